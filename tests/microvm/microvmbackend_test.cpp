// End-to-end tests of the microvm sandbox backend: real QEMU guests (TCG here), a small Runtime
// API harness on loopback, and a minimal Python runtime loop. Skips, saying why, when QEMU or the
// guest image is missing. Prints the cold start numbers the issue asks for.

#include "runtimeapiharness.h"
#include "sandbox/microvm/microvmsandbox.h"
#include "sandbox/sandbox.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
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
        // Restores are measured without the pool; PoolServesTheNextColdStart turns it on.
        ::setenv("LAMBDESK_MICROVM_POOL", "0", 1);
        // Nor function snapshots (they would boot a guest in the background after every start);
        // FunctionSnapshotSkipsInitOnLaterColdStarts turns them on.
        ::setenv("LAMBDESK_MICROVM_FUNCTION_SNAPSHOTS", "0", 1);
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

    // A function of `kind` whose code directory holds `files`; the spec points at the harness.
    EnvironmentSpec function(const std::string &name, RuntimeKind kind,
                             const std::map<std::string, std::string> &files,
                             const RuntimeApiHarness &api, int memoryMb = 128)
    {
        const fs::path code = s_root / ("code-" + name);
        fs::create_directories(code);
        for (const auto &[file, content] : files)
            std::ofstream(code / file) << content;
        // The engine's own bootstraps, as production runs them; a shell one for provided.
        const fs::path runtimes = fs::path(LAMBDESK_SOURCE_DIR) / "engine/runtimes";
        EnvironmentSpec spec;
        spec.id = name;
        if (kind == RuntimeKind::Python) {
            spec.runtime = {"python3.11", kind, "/usr/bin/python3.11", runtimes / "python/bootstrap.py"};
        } else if (kind == RuntimeKind::Node) {
            spec.runtime = {"nodejs20.x", kind, "/usr/bin/node", runtimes / "node/bootstrap.js"};
        } else {
            spec.runtime = {"provided.al2023", kind, {}, {}};
            fs::copy_file(fs::path(LAMBDESK_SOURCE_DIR) / "tests/microvm/runtime/provided-bootstrap.sh",
                          code / "bootstrap", fs::copy_options::overwrite_existing);
        }
        spec.codeDir = code;
        spec.environment = {{"_HANDLER", kind == RuntimeKind::Node ? "index.handler" : "handler.handler"},
                            {"LAMBDA_TASK_ROOT", "/var/task"}, {"PYTHONUNBUFFERED", "1"},
                            {"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}};
        spec.memoryMb = memoryMb;
        spec.serveRuntimeApi = [&api](int fd) {
            return const_cast<RuntimeApiHarness &>(api).serveOn(fd);
        };
        spec.scratchDir = s_root / ("scratch-" + name);
        return spec;
    }

    EnvironmentSpec pythonFunction(const std::string &name, const std::string &source,
                                   const RuntimeApiHarness &api, int memoryMb = 128)
    {
        return function(name, RuntimeKind::Python, {{"handler.py", source}}, api, memoryMb);
    }

    std::unique_ptr<Sandbox> start(const EnvironmentSpec &spec, RuntimeApiHarness &api)
    {
        if (!spec.runtime.bootstrap.empty() && !fs::exists(spec.runtime.bootstrap)) {
            ADD_FAILURE() << "the engine's bootstrap is missing: " << spec.runtime.bootstrap;
            return nullptr;
        }
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

TEST_F(MicroVmBackendTest, BootsOnceThenRestoresFromTheSnapshot)
{
    // The first Python start boots a guest, starts the Python zygote in it and snapshots it;
    // every later one restores that snapshot.
    const char *source = "def handler(event, context):\n    return 1\n";
    for (const char *round : {"full boot", "snapshot restore", "snapshot restore"}) {
        RuntimeApiHarness api;
        auto spec = pythonFunction("first", source, api);
        const auto start = Clock::now();
        auto sandbox = this->start(spec, api);
        ASSERT_TRUE(sandbox);
        auto first = api.waitFirstNext(Clock::now() + kBootLimit);
        ASSERT_TRUE(first) << "no /next; console:\n" << consoleLog(spec);
        std::printf("[ microvm ] %s to first /next: %.0f ms\n", round, millisSince(start, *first));
    }
}

// With the pool on, a function snapshot's next cold start finds a spare already restored, its
// agent warmed by a resume's work (FrameType::Warm): the start only resumes it, yet the guest's
// clock and randomness are still the start's own.
TEST_F(MicroVmBackendTest, FunctionSnapshotSparesResumeWithTheirOwnClockAndEntropy)
{
    ::setenv("LAMBDESK_MICROVM_FUNCTION_SNAPSHOTS", "2", 1);
    ::setenv("LAMBDESK_MICROVM_POOL", "1", 1);
    auto backend = makeMicroVmBackend(s_root / "cache");
    ::setenv("LAMBDESK_MICROVM_FUNCTION_SNAPSHOTS", "0", 1);
    ::setenv("LAMBDESK_MICROVM_POOL", "0", 1);
    ASSERT_TRUE(backend->probe().available);
    const char *source = R"(
import os, time
print("init ran", flush=True)
def handler(event, context):
    return {"now": os.urandom(8).hex(), "time": time.time()}
)";
    std::vector<nlohmann::json> fromSpares;
    const auto deadline = Clock::now() + 2 * kBootLimit;
    for (int attempt = 0; fromSpares.size() < 2; ++attempt) {
        ASSERT_LT(Clock::now(), deadline) << "no cold start was served by a warmed spare";
        RuntimeApiHarness api;
        auto spec = pythonFunction("spare", source, api);
        spec.id = "spare-" + std::to_string(attempt);
        spec.scratchDir = s_root / ("scratch-" + spec.id);
        spec.snapStart = true;
        auto started = backend->start(spec);
        ASSERT_TRUE(started) << started.error().message;
        auto sandbox = std::move(*started);
        api.setOutputFd(sandbox->outputFd());
        ASSERT_TRUE(api.waitFirstNext(Clock::now() + kBootLimit)) << api.output();
        api.queue("{}");
        auto result = api.waitResult(0, Clock::now() + std::chrono::seconds(60));
        ASSERT_TRUE(result && !result->error) << api.output();
        // Init output: not from the function snapshot (yet). A qemu.log in this start's scratch
        // dir: a QEMU of its own, not a spare (those were started for the pool).
        const bool resumed = api.output().find("init ran") == std::string::npos;
        if (!resumed || fs::exists(spec.scratchDir / "qemu.log")) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200)); // let snapshot and spare come
            continue;
        }
        fromSpares.push_back(nlohmann::json::parse(result->body));
    }
    EXPECT_NE(fromSpares[0]["now"], fromSpares[1]["now"]);
    const double hostNow = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_NEAR(fromSpares[1]["time"].get<double>(), hostNow, 5.0) << "the guest's wall clock is stale";
}

TEST_F(MicroVmBackendTest, PoolServesTheNextColdStart)
{
    ::setenv("LAMBDESK_MICROVM_POOL", "1", 1);
    auto pooledBackend = makeMicroVmBackend(s_root / "cache");
    ::setenv("LAMBDESK_MICROVM_POOL", "0", 1);
    ASSERT_TRUE(pooledBackend->probe().available);
    // Every start asks for a guest to be restored ahead; a start that finds one does not start
    // a QEMU of its own (so its scratch dir gets no qemu.log).
    const auto deadline = Clock::now() + kBootLimit;
    for (int attempt = 0;; ++attempt) {
        ASSERT_LT(Clock::now(), deadline) << "no start was served from the pool";
        RuntimeApiHarness api;
        auto spec = pythonFunction("pooled" + std::to_string(attempt),
                                   "def handler(event, context):\n    return open('/var/task/data.txt').read()\n", api);
        std::ofstream(spec.codeDir / "data.txt") << "from the slot";
        const auto start = Clock::now();
        auto started = pooledBackend->start(spec);
        ASSERT_TRUE(started) << started.error().message;
        auto sandbox = std::move(*started);
        api.setOutputFd(sandbox->outputFd());
        auto first = api.waitFirstNext(Clock::now() + kBootLimit);
        ASSERT_TRUE(first) << api.output();
        const bool pooled = !fs::exists(spec.scratchDir / "qemu.log");
        if (!pooled)
            continue;
        std::printf("[ microvm ] pooled guest to first /next: %.0f ms\n", millisSince(start, *first));
        api.queue("{}");
        auto result = api.waitResult(0, Clock::now() + std::chrono::seconds(60));
        ASSERT_TRUE(result) << api.output();
        EXPECT_EQ(result->body, "\"from the slot\"");
        break;
    }
}

TEST_F(MicroVmBackendTest, FunctionSnapshotSkipsInitOnLaterColdStarts)
{
    ::setenv("LAMBDESK_MICROVM_FUNCTION_SNAPSHOTS", "2", 1);
    auto backend = makeMicroVmBackend(s_root / "cache");
    ::setenv("LAMBDESK_MICROVM_FUNCTION_SNAPSHOTS", "0", 1);
    ASSERT_TRUE(backend->probe().available);
    const char *source = R"(
import os
print("init ran", flush=True)
TOKEN = os.urandom(8).hex()
def handler(event, context):
    return {"init": TOKEN, "now": os.urandom(8).hex(), "code": open("/var/task/data.txt").read()}
)";
    struct Run {
        nlohmann::json result;
        std::string output;
    };
    auto run = [&](const std::string &id) -> std::optional<Run> {
        RuntimeApiHarness api;
        auto spec = pythonFunction("snap", source, api);
        spec.id = id;
        spec.scratchDir = s_root / ("scratch-" + id);
        spec.snapStart = true; // a published version with SnapStart on
        std::ofstream(spec.codeDir / "data.txt") << "from the function disk";
        const auto start = Clock::now();
        auto started = backend->start(spec);
        if (!started) {
            ADD_FAILURE() << started.error().message;
            return std::nullopt;
        }
        api.setOutputFd((*started)->outputFd());
        auto first = api.waitFirstNext(Clock::now() + kBootLimit);
        if (!first) {
            ADD_FAILURE() << "no /next: " << api.output();
            return std::nullopt;
        }
        std::printf("[ microvm ] %s: start to first /next %.0f ms\n", id.c_str(), millisSince(start, *first));
        api.queue("{}");
        auto result = api.waitResult(0, Clock::now() + std::chrono::seconds(60));
        if (!result || result->error) {
            ADD_FAILURE() << "no result: " << api.output();
            return std::nullopt;
        }
        return Run{nlohmann::json::parse(result->body), api.output()};
    };

    // The first cold start runs init, then the function snapshot is made in the background (other
    // tests may have left snapshots of their own functions).
    auto functionSnapshots = [&] {
        std::set<std::string> names;
        for (const auto &entry : fs::directory_iterator(s_root / "cache" / "snapshots"))
            if (const auto name = entry.path().filename().string();
                name.rfind("fn-", 0) == 0 && name.find(".tmp-") == std::string::npos) // not half-made
                names.insert(name);
        return names;
    };
    const auto before = functionSnapshots();
    auto first = run("snap-first");
    ASSERT_TRUE(first);
    EXPECT_NE(first->output.find("init ran"), std::string::npos) << first->output;
    const auto deadline = Clock::now() + kBootLimit;
    auto made = [&] {
        const auto now = functionSnapshots();
        return std::any_of(now.begin(), now.end(), [&](const std::string &name) { return !before.count(name); });
    };
    while (!made()) {
        ASSERT_LT(Clock::now(), deadline) << "no function snapshot was made";
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    // Later cold starts resume that snapshot: no init output, the snapshot's init state, the
    // function's files from its disk, and fresh randomness in each guest.
    auto second = run("snap-second");
    auto third = run("snap-third");
    ASSERT_TRUE(second && third);
    for (const Run *restored : {&*second, &*third}) {
        EXPECT_EQ(restored->output.find("init ran"), std::string::npos) << restored->output;
        EXPECT_EQ(restored->result["code"], "from the function disk");
    }
    EXPECT_EQ(second->result["init"], third->result["init"]);
    EXPECT_NE(second->result["init"], first->result["init"]);
    EXPECT_NE(second->result["now"], third->result["now"]);
}

TEST_F(MicroVmBackendTest, AnswersAnInvocationWithOutputFirst)
{
    RuntimeApiHarness api;
    auto spec = pythonFunction("echo", R"(
def handler(event, context):
    print("hello from the guest", flush=True)
    return {"echo": event}
)", api);
    auto sandbox = this->start(spec, api);
    ASSERT_TRUE(sandbox);
    ASSERT_TRUE(api.waitFirstNext(Clock::now() + kBootLimit)) << "no /next; console:\n" << consoleLog(spec);

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
                warm[warm.size() / 2], static_cast<double>(vm->process().residentBytes()) / 1048576.0,
                static_cast<double>(sandbox->memoryBytes()) / 1048576.0);
    EXPECT_TRUE(sandbox->isRunning());
    sandbox->kill();
    EXPECT_FALSE(sandbox->isRunning());
}

// The agent answers a small response POST itself so that the runtime asks for its next event at
// once; the relay then drops the Runtime API's answer and holds the runtime's next request until
// it came. Big responses take the ordinary path. The stream must stay in step either way, also
// when the Runtime API's answer is not the 202 the runtime already got.
TEST_F(MicroVmBackendTest, ResponsesAnsweredInTheGuestKeepTheStreamInStep)
{
    RuntimeApiHarness api;
    auto spec = pythonFunction("sizes", R"(
def handler(event, context):
    return "x" * event["size"]
)", api);
    auto sandbox = this->start(spec, api);
    ASSERT_TRUE(sandbox);
    ASSERT_TRUE(api.waitFirstNext(Clock::now() + kBootLimit)) << "no /next; console:\n" << consoleLog(spec);

    const std::vector<std::size_t> sizes{10, 100'000, 10, 200, 70'000, 10, 10};
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (i == 5)
            api.setResponseStatus(400); // dropped in the relay: the runtime already has its 202
        if (i == 6)
            api.setResponseStatus(202);
        api.queue(R"({"size":)" + std::to_string(sizes[i]) + "}");
        auto result = api.waitResult(i, Clock::now() + std::chrono::seconds(30));
        ASSERT_TRUE(result) << "no response " << i << "; output:\n" << api.output();
        EXPECT_EQ(nlohmann::json::parse(result->body), std::string(sizes[i], 'x')) << "response " << i;
    }
    EXPECT_TRUE(sandbox->isRunning()) << api.output();
}

TEST_F(MicroVmBackendTest, RunsNodeAndProvidedRuntimes)
{
    struct Case {
        RuntimeKind kind;
        std::map<std::string, std::string> files;
        std::string printed;
        std::string expected;
    };
    const std::vector<Case> cases{
        {RuntimeKind::Node,
         {{"index.js", "exports.handler = async (event) => { console.log('node says hi'); return {node: event.n}; };\n"}},
         "node says hi", R"({"node":7})"},
        {RuntimeKind::Provided, {}, "provided runtime got", R"({"shell":{"n":7}})"},
    };
    std::map<std::string, int> starts;
    for (const auto &c : {cases[0], cases[0], cases[1]}) {
        RuntimeApiHarness api;
        auto spec = function(c.kind == RuntimeKind::Node ? "node" : "provided", c.kind, c.files, api);
        const auto start = Clock::now();
        auto sandbox = this->start(spec, api);
        ASSERT_TRUE(sandbox);
        auto first = api.waitFirstNext(Clock::now() + kBootLimit);
        ASSERT_TRUE(first) << spec.runtime.id << ": no /next; output:\n" << api.output();
        std::printf("[ microvm ] %s: start to first /next %.0f ms (%s)\n", spec.runtime.id.c_str(),
                    millisSince(start, *first),
                    c.kind == RuntimeKind::Provided   ? "restores the probe's runtime-less snapshot"
                    : starts[spec.runtime.id]++ == 0 ? "first start: boots and snapshots"
                                                     : "snapshot restore");
        api.queue(R"({"n":7})");
        auto result = api.waitResult(0, Clock::now() + std::chrono::seconds(60));
        ASSERT_TRUE(result) << api.output();
        EXPECT_EQ(nlohmann::json::parse(result->body), nlohmann::json::parse(c.expected));
        EXPECT_NE(result->outputAtResponse.find(c.printed), std::string::npos) << result->outputAtResponse;
    }
}

TEST_F(MicroVmBackendTest, RunsEnvironmentsSideBySide)
{
    constexpr int kCount = 2;
    std::vector<std::unique_ptr<RuntimeApiHarness>> apis;
    std::vector<std::unique_ptr<Sandbox>> sandboxes;
    for (int i = 0; i < kCount; ++i) {
        apis.push_back(std::make_unique<RuntimeApiHarness>());
        auto spec = pythonFunction("pair" + std::to_string(i),
                                   "def handler(event, context):\n    return event\n", *apis.back());
        sandboxes.push_back(start(spec, *apis.back()));
        ASSERT_TRUE(sandboxes.back());
    }
    for (int i = 0; i < kCount; ++i) {
        apis[i]->queue(std::to_string(i));
        auto result = apis[i]->waitResult(0, Clock::now() + kBootLimit);
        ASSERT_TRUE(result);
        EXPECT_EQ(result->body, std::to_string(i));
    }
    // Proportional set size: guest pages both restored from one snapshot are shared.
    for (auto &sandbox : sandboxes) {
        auto *vm = dynamic_cast<MicroVmSandbox *>(sandbox.get());
        ASSERT_NE(vm, nullptr);
        std::ifstream rollup("/proc/" + std::to_string(vm->process().pid()) + "/smaps_rollup");
        std::string line;
        while (std::getline(rollup, line))
            if (line.rfind("Pss:", 0) == 0)
                std::printf("[ microvm ] idle VM with %d running: RSS %.1f MiB, %s\n", kCount,
                            static_cast<double>(vm->process().residentBytes()) / 1048576.0, line.c_str());
    }
}

TEST_F(MicroVmBackendTest, AllowNetworkRoutesOutButNeverReachesTheHostsLoopback)
{
    // QEMU's user-mode network maps 10.0.2.2 to "the host's" loopback, where the harness (and
    // the engine) listen; QEMU's own network namespace makes that an empty one. The UDP connect
    // to a documentation address only asks for a route and sends nothing.
    RuntimeApiHarness api;
    auto spec = pythonFunction("net", R"(
import os, socket
def handler(event, context):
    reached = {}
    for host in ("10.0.2.2", "127.0.0.1"):
        try:
            with socket.create_connection((host, int(os.environ["HARNESS_PORT"])), timeout=10):
                reached[host] = True
        except OSError:
            reached[host] = False
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.connect(("192.0.2.1", 9))
    return {"reached": reached, "routed": True, "nics": sorted(os.listdir("/sys/class/net"))}
)",
                               api);
    spec.allowNetwork = true;
    spec.environment["HARNESS_PORT"] = std::to_string(api.port());
    auto sandbox = start(spec, api);
    ASSERT_TRUE(sandbox);
    ASSERT_TRUE(api.waitFirstNext(Clock::now() + kBootLimit)) << api.output();
    api.queue("{}");
    auto result = api.waitResult(0, Clock::now() + std::chrono::seconds(60));
    ASSERT_TRUE(result) << api.output();
    EXPECT_FALSE(result->error) << result->body;
    EXPECT_EQ(
        nlohmann::json::parse(result->body),
        nlohmann::json::parse(
            R"({"reached":{"10.0.2.2":false,"127.0.0.1":false},"routed":true,"nics":["eth0","lo"]})"));
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
            "net": sorted(os.listdir("/sys/class/net")),
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
    EXPECT_EQ(body["net"], nlohmann::json::array({"lo"})) << "no network device without allowNetwork";
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
