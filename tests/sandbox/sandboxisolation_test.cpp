// What every sandbox backend guarantees: provided bootstraps run, host files stay invisible,
// /tmp and memory are limited, crashes are described like Lambda, kill leaves nothing behind.

#include "sandboxfixture.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <spawn.h>


namespace lambdesk::test {
namespace {

using SandboxIsolation = SandboxTest;

// A custom runtime in plain bash: no HTTP client needed, just /dev/tcp.
constexpr const char *kShellBootstrap = R"(#!/bin/bash
set -eu
host=${AWS_LAMBDA_RUNTIME_API%:*}
port=${AWS_LAMBDA_RUNTIME_API##*:}
echo "shell runtime up"
while true; do
  exec 3<>"/dev/tcp/$host/$port"
  printf 'GET /2018-06-01/runtime/invocation/next HTTP/1.0\r\nHost: x\r\n\r\n' >&3
  id=""; length=0
  # -t makes bash wait in select() first: gVisor's host-network sockets can answer a bare
  # blocking read with EAGAIN.
  while IFS= read -r -t 10 line <&3; do
    line=${line%$'\r'}
    [ -z "$line" ] && break
    case "${line,,}" in
      lambda-runtime-aws-request-id:*) id=${line#*: } ;;
      content-length:*) length=${line#*: } ;;
    esac
  done
  IFS= read -r -t 10 -N "$length" event <&3
  exec 3<&-
  body="{\"echo\":$event,\"handler\":\"$_HANDLER\",\"user\":\"$(id -u)\"}"
  exec 3<>"/dev/tcp/$host/$port"
  printf 'POST /2018-06-01/runtime/invocation/%s/response HTTP/1.0\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s' \
    "$id" "${#body}" "$body" >&3
  cat <&3 >/dev/null
  exec 3<&-
done
)";

TEST_P(SandboxIsolation, RunsAProvidedShellBootstrap)
{
    m_code.write("bootstrap", kShellBootstrap, true);
    LAMBDESK_START_OR_SKIP(sandbox, "provided.al2023", "function.handler");
    const auto post = invoke("req-sh", R"({"a":1})");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->kind, "response");
    const auto body = parse(post->body);
    EXPECT_EQ(body["echo"]["a"], 1) << post->body;
    EXPECT_EQ(body["handler"], "function.handler");
    EXPECT_EQ(body["user"], "993"); // Lambda's sbx_user1051, not root
    EXPECT_NE(drainOutput(*sandbox).find("shell runtime up"), std::string::npos);
}

TEST_P(SandboxIsolation, RefusesAProvidedFunctionWithoutBootstrap)
{
    const auto runtime = findRuntime("provided.al2023");
    ASSERT_TRUE(runtime);
    auto started = backend().start(makeSpec(*runtime, m_code.path(), m_api, "x.y"));
    ASSERT_FALSE(started.ok());
    EXPECT_NE(started.error().message.find("Couldn't find valid bootstrap"), std::string::npos);
}

TEST_P(SandboxIsolation, HidesHostFilesAndKeepsCodeReadOnly)
{
    m_code.write("app.py", R"(import os
def handler(event, context):
    seen = {p: os.path.exists(p) for p in event["paths"]}
    writable = {}
    for p in ["/var/task/new.txt", "/new.txt", "/etc/new.txt", "/opt/new.txt", "/usr/new.txt", "/tmp/new.txt"]:
        try:
            with open(p, "w") as f:
                f.write("x")
            writable[p] = True
        except OSError:
            writable[p] = False
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    return {"seen": seen, "writable": writable, "pids": pids, "user": os.getuid()}
)");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    TempDir secrets; // a host file outside the code: must not be reachable
    secrets.write("secret.txt", "s3cr3t");
    nlohmann::json paths = {"/work", "/root", "/home", m_code.path().string(), "/etc/shadow",
                            "/var/lib", "/run", "/etc/ssl/private", (secrets.path() / "secret.txt").string()};
    if (GetParam() == "process") { // gVisor's own /dev has these, and they lead to no host device
        paths.push_back("/dev/tty");
        paths.push_back("/dev/shm");
    }
    const auto post = invoke("req-iso", nlohmann::json{{"paths", paths}}.dump());
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    const auto body = parse(post->body);
    ASSERT_TRUE(body.is_object()) << post->body;
    for (const auto &path : paths)
        EXPECT_FALSE(body["seen"][path.get<std::string>()].get<bool>()) << path << " is visible";
    for (const auto &[path, ok] : body["writable"].items())
        EXPECT_EQ(ok.get<bool>(), path == "/tmp/new.txt") << path;
    EXPECT_LE(body["pids"].size(), 3u) << body["pids"].dump(); // own pid namespace
    EXPECT_NE(body["user"], 0);
}

TEST_P(SandboxIsolation, MergesLayersAtOptInOrder)
{
    TempDir first, second;
    first.write("python/layer_one.py", "NAME = 'one'\n");
    first.write("python/shared/data.txt", "from the first layer");
    first.write("python/shared/only_first.txt", "1");
    second.write("python/layer_two.py", "NAME = 'two'\n");
    second.write("python/shared/data.txt", "from the second layer");
    second.write("extra/readme.txt", "2");
    m_code.write("app.py", R"(import os
import layer_one, layer_two
def handler(event, context):
    try:
        open("/opt/python/new.txt", "w")
        writable = True
    except OSError:
        writable = False
    return {"modules": [layer_one.NAME, layer_two.NAME], "data": open("/opt/python/shared/data.txt").read(),
            "shared": sorted(os.listdir("/opt/python/shared")), "top": sorted(os.listdir("/opt")),
            "writable": writable}
)");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler", [&](engine::EnvironmentSpec &spec) {
        spec.layerDirs = {first.path(), second.path()};
    });
    const auto post = invoke("req-layers", "{}");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    const auto body = parse(post->body);
    ASSERT_TRUE(body.is_object()) << post->body;
    EXPECT_EQ(body["modules"], nlohmann::json({"one", "two"}));
    EXPECT_EQ(body["data"], "from the second layer"); // later layers win
    EXPECT_EQ(body["shared"], nlohmann::json({"data.txt", "only_first.txt"}));
    EXPECT_EQ(body["top"], nlohmann::json({"extra", "python"}));
    EXPECT_FALSE(body["writable"].get<bool>());
}

TEST_P(SandboxIsolation, LimitsTmpToTheEphemeralStorageSize)
{
    m_code.write("app.py", R"(import os
def handler(event, context):
    chunk = b"x" * (1 << 20)
    written, error = 0, None
    try:
        with open("/tmp/fill", "wb") as f:
            for _ in range(64):
                f.write(chunk)
                f.flush()
                written += 1
    except OSError as e:
        error = e.errno
    stat = os.statvfs("/tmp")
    return {"written": written, "error": error, "size": stat.f_blocks * stat.f_frsize}
)");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler",
                           [](engine::EnvironmentSpec &spec) { spec.ephemeralStorageMb = 16; });
    const auto post = invoke("req-tmp", "{}");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    const auto body = parse(post->body);
    EXPECT_EQ(body["error"], 28) << post->body; // ENOSPC
    EXPECT_LE(body["written"].get<int>(), 16);
    EXPECT_LE(body["size"].get<std::int64_t>(), 17 << 20);
}

TEST_P(SandboxIsolation, KillsAnEnvironmentThatExceedsItsMemory)
{
    m_code.write("app.py", "def handler(event, context):\n    data = b'x' * (400 << 20)\n    return len(data)\n");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler",
                           [](engine::EnvironmentSpec &spec) { spec.memoryMb = 128; });
    m_api.queue({"req-oom", "{}"});
    ASSERT_TRUE(waitForExit(*sandbox)) << drainOutput(*sandbox) << " memory " << sandbox->memoryBytes() << " post "
                                       << (m_api.waitForPost(0ms) ? "yes" : "no") << " polls " << m_api.polls();
    EXPECT_TRUE(sandbox->exceededMemoryLimit());
    EXPECT_EQ(sandbox->exitDescription(), "signal: killed");
    EXPECT_FALSE(m_api.waitForPost(0ms));
}

TEST_P(SandboxIsolation, MeasuresMemoryForReal)
{
    m_code.write("app.py", "keep = []\ndef handler(event, context):\n    keep.append(b'x' * (80 << 20))\n"
                           "    return 'ok'\n");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    ASSERT_TRUE(m_api.waitForFirstPoll());
    const auto before = sandbox->memoryBytes();
    const auto post = invoke("req-mem", "{}");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->body, "\"ok\"");
    EXPECT_GE(sandbox->memoryBytes(), before + (70u << 20));
    EXPECT_GE(sandbox->peakMemoryBytes(), 80u << 20);
    EXPECT_LT(sandbox->peakMemoryBytes(), 256u << 20);
    EXPECT_FALSE(sandbox->exceededMemoryLimit());
}

TEST_P(SandboxIsolation, DescribesExitsLikeLambda)
{
    m_code.write("app.py", "import os, signal\ndef exits(event, context):\n    os._exit(3)\n"
                           "def crashes(event, context):\n    os.kill(os.getpid(), signal.SIGSEGV)\n");
    {
        LAMBDESK_START_OR_SKIP(sandbox, "python", "app.exits");
        m_api.queue({"req-exit", "{}"});
        ASSERT_TRUE(waitForExit(*sandbox));
        EXPECT_EQ(sandbox->exitDescription(), "exit status 3");
    }
    {
        auto sandbox = start("python", "app.crashes");
        ASSERT_TRUE(sandbox);
        m_api.queue({"req-crash", "{}"});
        ASSERT_TRUE(waitForExit(*sandbox));
        EXPECT_EQ(sandbox->exitDescription(), "signal: segmentation fault");
        EXPECT_FALSE(sandbox->exceededMemoryLimit());
    }
}

TEST_P(SandboxIsolation, KillLeavesNoProcessBehind)
{
    // A child in its own session and a double-forked daemon: both must die with the environment.
    const std::string marker = "4242." + std::to_string(::getpid());
    m_code.write("app.py", "import os, subprocess\ndef handler(event, context):\n"
                           "    subprocess.Popen(['sleep', '" + marker + "'], start_new_session=True)\n"
                           "    if os.fork() == 0:\n        if os.fork() == 0:\n"
                           "            os.execv('/bin/sleep', ['sleep', '" + marker + "'])\n"
                           "        os._exit(0)\n    return 'spawned'\n");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    const auto post = invoke("req-kill", "{}");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->body, "\"spawned\"");
    if (GetParam() == "process") { // gVisor's processes are not host processes
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (countProcessesWith(marker) < 2 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(5ms);
        EXPECT_EQ(countProcessesWith(marker), 2);
    }
    sandbox->kill();
    EXPECT_FALSE(sandbox->isRunning());
    EXPECT_EQ(sandbox->exitDescription(), "signal: killed");
    EXPECT_EQ(countProcessesWith(marker), 0);
    sandbox.reset();
    // No zombie left among our children either.
    siginfo_t info{};
    EXPECT_TRUE(::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0);
}

TEST_P(SandboxIsolation, DiesWithTheEngine)
{
    // The death-test child re-runs this test from the start: share the marker through the
    // environment so both sides look for the same process.
    if (!std::getenv("LAMBDESK_TEST_DEATH_MARKER"))
        ::setenv("LAMBDESK_TEST_DEATH_MARKER", ("4343." + std::to_string(::getpid())).c_str(), 1);
    const std::string marker = std::getenv("LAMBDESK_TEST_DEATH_MARKER");
    m_code.write("bootstrap", "#!/bin/sh\nexec sleep " + marker + "\n", true);
    const auto runtime = findRuntime("provided.al2023");
    ASSERT_TRUE(runtime);
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // gVisor's processes are not host processes: its runsc processes carry the environment id.
    std::string id = "death-" + marker;
    std::replace(id.begin(), id.end(), '.', '-');
    const auto running = [&] {
        return GetParam() == "gvisor" ? countProcessesWith(id) >= 3 : countProcessesWith(marker) == 1;
    };
    const auto gone = [&] { return countProcessesWith(id) == 0 && countProcessesWith(marker) == 0; };
    EXPECT_EXIT(
        {
            auto spec = makeSpec(*runtime, m_code.path(), m_api, "x.y");
            spec.id = id;
            auto sandbox = backend().start(spec);
            const auto deadline = std::chrono::steady_clock::now() + 20s;
            while (sandbox.ok() && !(running() && (*sandbox)->memoryBytes() > 0)
                   && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(5ms);
            if (!sandbox.ok() || (*sandbox)->memoryBytes() == 0)
                std::_Exit(3); // never got going: the parent sees the wrong exit
            ::raise(SIGKILL); // the engine dies without cleaning up
        },
        ::testing::KilledBySignal(SIGKILL), "");
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!gone() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(5ms);
    EXPECT_TRUE(gone());
}

double medianMs(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double elapsedMs(std::chrono::steady_clock::time_point begin, std::chrono::steady_clock::time_point end)
{
    return std::chrono::duration<double, std::milli>(end - begin).count();
}

// Reference: one start and exit of the bare interpreter, with an empty environment.
double bareStartMs(const std::vector<std::string> &argv)
{
    std::vector<char *> args;
    for (const auto &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    char *noEnvironment[] = {nullptr};
    const auto begin = std::chrono::steady_clock::now();
    pid_t pid = 0;
    if (::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), noEnvironment) != 0)
        return 0;
    int status = 0;
    ::waitpid(pid, &status, 0);
    return elapsedMs(begin, std::chrono::steady_clock::now());
}

TEST_P(SandboxIsolation, ReportsColdStartTimes)
{
    // Interleaved samples, so that load from elsewhere on the machine hits both alike.
    m_code.write("app.py", "def handler(event, context):\n    return None\n");
    m_code.write("index.js", "exports.handler = async () => null;\n");
    for (const std::string prefix : {"python", "nodejs"}) {
        const auto runtime = findRuntime(prefix);
        if (!runtime)
            continue;
        const bool python = prefix == "python";
        std::vector<double> sandboxed, bare, bareNoSite;
        const int runs = GetParam() == "gvisor" ? 5 : 11; // gVisor starts take ~0.5 s each
        for (int i = 0; i < runs; ++i) {
            RuntimeApiStub api;
            const auto begin = std::chrono::steady_clock::now();
            auto sandbox = backend().start(
                makeSpec(*runtime, m_code.path(), api, python ? "app.handler" : "index.handler"));
            ASSERT_TRUE(sandbox.ok()) << sandbox.error().message;
            const auto polled = api.waitForFirstPoll();
            ASSERT_TRUE(polled) << drainOutput(**sandbox);
            if (i > 0) // the first start also prepares the runtime files
                sandboxed.push_back(elapsedMs(begin, *polled));
            (*sandbox)->kill();
            bare.push_back(bareStartMs({runtime->interpreter.string(), python ? "-c" : "-e", python ? "pass" : "0"}));
            if (python) // the site module alone can cost more than the rest (Debian's .pth files)
                bareNoSite.push_back(bareStartMs({runtime->interpreter.string(), "-S", "-c", "pass"}));
        }
        std::printf("[ timing ] %s %s: start to first /next %.1f ms, bare `%s %s` %.1f ms",
                    GetParam().c_str(), runtime->id.c_str(), medianMs(sandboxed), runtime->interpreter.c_str(),
                    python ? "-c pass" : "-e 0", medianMs(bare));
        if (python)
            std::printf(", bare `-S -c pass` %.1f ms", medianMs(bareNoSite));
        std::printf(" (medians of %zu)\n", sandboxed.size());
        EXPECT_LT(medianMs(sandboxed), 5000.0);
    }
}

LAMBDESK_SANDBOX_BACKENDS(SandboxIsolation);

} // namespace
} // namespace lambdesk::test
