// End-to-end tests of the microvm sandbox backend: real QEMU guests (TCG here), a small Runtime
// API harness on loopback, and a minimal Python runtime loop. Skips, saying why, when QEMU or the
// guest image is missing. Prints the cold start numbers the issue asks for.

#include "runtimeapiharness.h"
#include "sandbox/microvmsandbox.h"
#include "sandbox/sandbox.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace lambdesk::engine {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using tests::RuntimeApiHarness;

constexpr auto kBootLimit = std::chrono::seconds(240); // TCG on 2 busy cores

double millisSince(Clock::time_point start, Clock::time_point end = Clock::now())
{
    return std::chrono::duration<double, std::milli>(end - start).count();
}

fs::path userCacheDir()
{
    if (const char *dir = std::getenv("LAMBDESK_CACHE_DIR"))
        return dir;
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return fs::path(xdg) / "lambdesk";
    return fs::path(std::getenv("HOME") ? std::getenv("HOME") : "/tmp") / ".cache" / "lambdesk";
}

class MicroVmBackendTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_skip.clear();
        if (!fs::exists("/usr/bin/qemu-system-x86_64")) {
            s_skip = "qemu-system-x86_64 is not installed";
            return;
        }
        const fs::path manifest = userCacheDir() / "guest" / "image.json";
        if (!fs::exists(manifest)) {
            s_skip = "guest image not built: run packaging/guest/build-image.sh (" + manifest.string() + " missing)";
            return;
        }
        // A private cache with the shared image but no snapshots, so the probe really boots.
        char pattern[] = "/tmp/lambdesk-microvm-test-XXXXXX";
        s_root = ::mkdtemp(pattern);
        fs::create_directories(s_root / "cache" / "guest");
        fs::copy_file(manifest, s_root / "cache" / "guest" / "image.json");
        s_backend = makeMicroVmBackend(s_root / "cache");
        const auto start = Clock::now();
        s_availability = s_backend->probe();
        std::printf("[ microvm ] probe: %s (%s) in %.0f ms: boot to agent ready + snapshot\n",
                    s_availability.available ? "available" : "unavailable",
                    s_availability.detail.c_str(), millisSince(start));
    }

    static void TearDownTestSuite()
    {
        s_backend.reset();
        if (!s_root.empty())
            fs::remove_all(s_root);
    }

    void SetUp() override
    {
        if (!s_skip.empty())
            GTEST_SKIP() << s_skip;
        ASSERT_TRUE(s_availability.available) << s_availability.detail;
    }

    // A Python function whose handler.py is `source`; the spec points at the harness.
    EnvironmentSpec pythonFunction(const std::string &name, const std::string &source,
                                   const RuntimeApiHarness &api, int memoryMb = 128)
    {
        const fs::path code = s_root / ("code-" + name);
        fs::create_directories(code);
        std::ofstream(code / "handler.py") << source;
        EnvironmentSpec spec;
        spec.id = name;
        spec.runtime.id = "python3.11";
        spec.runtime.kind = RuntimeKind::Python;
        spec.runtime.interpreter = "/usr/bin/python3.11";
        spec.runtime.bootstrap = fs::path(LAMBDESK_SOURCE_DIR) / "tests/microvm/runtime/bootstrap.py";
        spec.codeDir = code;
        spec.environment = {{"_HANDLER", "handler.handler"}, {"LAMBDA_TASK_ROOT", "/var/task"},
                            {"PYTHONUNBUFFERED", "1"}, {"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}};
        spec.memoryMb = memoryMb;
        spec.runtimeApiPort = api.port();
        spec.scratchDir = s_root / ("scratch-" + name);
        return spec;
    }

    std::unique_ptr<Sandbox> start(const EnvironmentSpec &spec, RuntimeApiHarness &api)
    {
        auto sandbox = s_backend->start(spec);
        if (!sandbox) {
            ADD_FAILURE() << sandbox.error().message;
            return nullptr;
        }
        api.setOutputFd((*sandbox)->outputFd());
        return std::move(*sandbox);
    }

    // Waits until the sandbox stops on its own.
    static bool waitStopped(Sandbox &sandbox, Clock::time_point deadline)
    {
        while (sandbox.isRunning()) {
            if (Clock::now() > deadline)
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return true;
    }

    static std::string consoleLog(const EnvironmentSpec &spec)
    {
        std::ifstream in(spec.scratchDir / "console.log");
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }

    static inline std::string s_skip;
    static inline fs::path s_root;
    static inline std::unique_ptr<SandboxBackend> s_backend;
    static inline Availability s_availability;
};

TEST_F(MicroVmBackendTest, AnswersAnInvocationWithOutputFirst)
{
    RuntimeApiHarness api;
    auto spec = pythonFunction("echo", R"(
def handler(event, context):
    print("hello from the guest", flush=True)
    return {"echo": event}
)", api);
    const auto start = Clock::now();
    auto sandbox = this->start(spec, api);
    ASSERT_TRUE(sandbox);
    auto first = api.waitFirstNext(Clock::now() + kBootLimit);
    ASSERT_TRUE(first) << "no /next; console:\n" << consoleLog(spec);
    std::printf("[ microvm ] snapshot restore to first /next: %.0f ms\n", millisSince(start, *first));

    api.queue(R"({"name":"vm"})");
    auto result = api.waitResult(0, Clock::now() + std::chrono::seconds(60));
    ASSERT_TRUE(result) << "no response; output:\n" << api.output();
    EXPECT_FALSE(result->error) << result->body;
    EXPECT_EQ(nlohmann::json::parse(result->body), nlohmann::json::parse(R"({"echo":{"name":"vm"}})"));
    // Output written before the response was posted is readable when the response arrives.
    EXPECT_NE(result->outputAtResponse.find("hello from the guest"), std::string::npos)
        << result->outputAtResponse;
    EXPECT_GT(sandbox->peakMemoryBytes(), 0u);
    EXPECT_LT(sandbox->peakMemoryBytes(), 128ull << 20);

    // Warm invokes: the relay's round trip through the agent.
    std::vector<double> warm;
    for (std::size_t i = 1; i <= 10; ++i) {
        const auto sent = Clock::now();
        api.queue(R"({"n":)" + std::to_string(i) + "}");
        ASSERT_TRUE(api.waitResult(i, Clock::now() + std::chrono::seconds(30)));
        warm.push_back(millisSince(sent));
    }
    std::sort(warm.begin(), warm.end());
    auto *vm = dynamic_cast<MicroVmSandbox *>(sandbox.get());
    ASSERT_NE(vm, nullptr);
    std::printf("[ microvm ] warm invoke p50 %.1f ms; host RSS of the idle VM %.1f MiB; guest memory used %.1f MiB\n",
                warm[warm.size() / 2], vm->process().residentBytes() / 1048576.0,
                sandbox->memoryBytes() / 1048576.0);
    EXPECT_TRUE(sandbox->isRunning());
    sandbox->kill();
    EXPECT_FALSE(sandbox->isRunning());
}

TEST_F(MicroVmBackendTest, FullBootThenRestoreForANewShape)
{
    // 192 MB has no snapshot yet: the first start boots, snapshots and restores; the second
    // only restores.
    const char *source = "def handler(event, context):\n    return 1\n";
    for (const char *round : {"full boot", "snapshot restore"}) {
        RuntimeApiHarness api;
        auto spec = pythonFunction(std::string("shape-") + (round[0] == 'f' ? "boot" : "restore"),
                                   source, api, 192);
        const auto start = Clock::now();
        auto sandbox = this->start(spec, api);
        ASSERT_TRUE(sandbox);
        auto first = api.waitFirstNext(Clock::now() + kBootLimit);
        ASSERT_TRUE(first) << "no /next; console:\n" << consoleLog(spec);
        std::printf("[ microvm ] %s to first /next (192 MB): %.0f ms\n", round, millisSince(start, *first));
    }
}

TEST_F(MicroVmBackendTest, FlagsMemoryOverrun)
{
    RuntimeApiHarness api;
    auto spec = pythonFunction("hog", R"(
def handler(event, context):
    blocks = []
    while True:
        blocks.append(bytearray(16 * 1024 * 1024))
)", api);
    auto sandbox = start(spec, api);
    ASSERT_TRUE(sandbox);
    ASSERT_TRUE(api.waitFirstNext(Clock::now() + kBootLimit));
    api.queue("{}");
    ASSERT_TRUE(waitStopped(*sandbox, Clock::now() + std::chrono::seconds(120)));
    EXPECT_TRUE(sandbox->exceededMemoryLimit()) << sandbox->exitDescription();
    EXPECT_EQ(sandbox->exitDescription(), "signal: killed");
}

TEST_F(MicroVmBackendTest, HidesHostFiles)
{
    RuntimeApiHarness api;
    auto spec = pythonFunction("peek", R"(
import os
def handler(event, context):
    paths = ["/work", "/work/main", "/root/.cache", "/etc/debian_version", "/usr/include", "/home/user"]
    return {"visible": [p for p in paths if os.path.exists(p)], "root": os.listdir("/root"),
            "uid": os.getuid(), "task": sorted(os.listdir("/var/task"))}
)", api);
    auto sandbox = start(spec, api);
    ASSERT_TRUE(sandbox);
    ASSERT_TRUE(api.waitFirstNext(Clock::now() + kBootLimit));
    api.queue("{}");
    auto result = api.waitResult(0, Clock::now() + std::chrono::seconds(60));
    ASSERT_TRUE(result) << api.output();
    const auto body = nlohmann::json::parse(result->body);
    EXPECT_TRUE(body["visible"].empty()) << result->body;
    EXPECT_TRUE(body["root"].empty()) << result->body;
    EXPECT_NE(body["uid"], 0) << "the function must not run as root in its guest";
    EXPECT_EQ(body["task"], nlohmann::json::array({"handler.py"}));
}

TEST_F(MicroVmBackendTest, ReportsTheRuntimeExitStatus)
{
    RuntimeApiHarness api;
    auto spec = pythonFunction("quit", R"(
import os
def handler(event, context):
    print("leaving", flush=True)
    os._exit(3)
)", api);
    auto sandbox = start(spec, api);
    ASSERT_TRUE(sandbox);
    ASSERT_TRUE(api.waitFirstNext(Clock::now() + kBootLimit));
    api.queue("{}");
    ASSERT_TRUE(waitStopped(*sandbox, Clock::now() + std::chrono::seconds(60)));
    EXPECT_EQ(sandbox->exitDescription(), "exit status 3");
    EXPECT_FALSE(sandbox->exceededMemoryLimit());
    EXPECT_NE(api.output().find("leaving"), std::string::npos);
}

TEST_F(MicroVmBackendTest, KillsAHungGuest)
{
    RuntimeApiHarness api;
    auto spec = pythonFunction("spin", "def handler(event, context):\n    while True:\n        pass\n", api);
    auto sandbox = start(spec, api);
    ASSERT_TRUE(sandbox);
    ASSERT_TRUE(api.waitFirstNext(Clock::now() + kBootLimit));
    api.queue("{}");
    const auto killed = Clock::now();
    sandbox->kill();
    EXPECT_LT(millisSince(killed), 5000);
    EXPECT_FALSE(sandbox->isRunning());
    EXPECT_EQ(sandbox->exitDescription(), "signal: killed");
}

} // namespace
} // namespace lambdesk::engine
