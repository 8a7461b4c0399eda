// lambdesk-bench: the headless engine's numbers in one table, in one run.
//   cold start, warm round trip p50/p99 through the REST API, engine overhead (round trip minus
//   the handler's Duration), warm throughput with 1 and 4 clients, bare `python3 -c pass`, and the
//   same Node handler served by lambda-local (npm) as the peer.
// Usage: lambdesk-bench [--sandbox process|gvisor|microvm] [--warm N] [--cold N]
//                       [--backends process,gvisor,microvm]
// LAMBDESK_BENCH_NETWORK=none tags the functions lambdesk:network=none (no slirp4netns), to tell
// the outbound network's share of a cold start.

#include "backendbench.h"
#include "benchutil.h"
#include "lambdesk/engine/apiserver.h"
#include "lambdesk/engine/engine.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

using namespace lambdesk::engine;
using namespace lambdesk::bench;

namespace {

struct Options {
    std::string sandbox = "process";
    int warm = 1000;
    int cold = 15;
    std::vector<std::string> backends; // --backends process,gvisor,microvm
};

Options parseArgs(int argc, char **argv)
{
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--sandbox"))
            options.sandbox = argv[i + 1];
        else if (!std::strcmp(argv[i], "--warm"))
            options.warm = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--cold"))
            options.cold = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--backends")) {
            std::string list = argv[i + 1];
            for (std::size_t start = 0; start <= list.size();) {
                auto comma = list.find(',', start);
                options.backends.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
                start = comma == std::string::npos ? list.size() + 1 : comma + 1;
            }
        }
    }
    return options;
}

std::string runtimeLike(Engine &engine, const std::string &prefix)
{
    for (const auto &runtime : engine.runtimes())
        if (runtime.available && runtime.id.rfind(prefix, 0) == 0)
            return runtime.id;
    return {};
}

bool createFunction(Engine &engine, const std::string &name, const std::string &runtime,
                    const std::string &handler, const std::vector<CodeFile> &files,
                    const std::string &sandbox)
{
    FunctionConfig config;
    config.name = name;
    config.runtime = runtime;
    config.handler = handler;
    config.memorySizeMb = 256;
    config.tags["lambdesk:sandbox"] = sandbox;
    if (const char *network = std::getenv("LAMBDESK_BENCH_NETWORK"))
        config.tags["lambdesk:network"] = network;
    auto created = engine.createFunctionFromFiles(config, files);
    if (!created)
        std::fprintf(stderr, "cannot create %s: %s\n", name.c_str(), created.error().message.c_str());
    return created.ok();
}

// One REST invoke; returns round-trip ms and the invocation's request id.
std::pair<double, std::string> invokeOnce(httplib::Client &client, const std::string &path)
{
    Stopwatch watch;
    auto response = client.Post(path.c_str(), "{}", "application/json");
    const double ms = watch.elapsedMs();
    if (!response || response->status != 200)
        return {-1, {}};
    return {ms, response->get_header_value("x-amzn-RequestId")};
}

double throughput(int port, const std::string &path, int clients, int perClient, const std::string &body)
{
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    Stopwatch watch;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            signLikeAnSdk(client);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            client.set_read_timeout(60);
            for (int i = 0; i < perClient; ++i) {
                auto response = client.Post(path.c_str(), body, "application/json");
                if (!response || response->status != 200)
                    ++failures;
            }
        });
    }
    for (auto &t : threads)
        t.join();
    const double seconds = watch.elapsedMs() / 1000.0;
    if (failures)
        std::fprintf(stderr, "%d failed requests against %s\n", failures.load(), path.c_str());
    return (clients * perClient - failures) / seconds;
}

// Brings `count` warm environments up by invoking concurrently once.
void warmUp(int port, const std::string &path, int count)
{
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i)
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            signLikeAnSdk(client);
            client.set_read_timeout(60);
            client.Post((path).c_str(), "{}", "application/json");
        });
    for (auto &t : threads)
        t.join();
}

} // namespace

int main(int argc, char **argv)
{
    const Options options = parseArgs(argc, argv);
    TempDir dataDir("lambdesk-bench-");
    // The microVM's first boot is measured from an empty cache: a private one that only shares
    // the guest image.
    TempDir cacheDir("lambdesk-bench-cache-");
    if (std::find(options.backends.begin(), options.backends.end(), "microvm") != options.backends.end()) {
        const char *xdg = std::getenv("XDG_CACHE_HOME");
        const char *home = std::getenv("HOME");
        const std::filesystem::path userCache = xdg && *xdg ? std::filesystem::path(xdg)
                                                            : std::filesystem::path(home ? home : "/tmp") / ".cache";
        std::error_code ec;
        std::filesystem::create_directories(cacheDir.path() / "lambdesk" / "guest", ec);
        std::filesystem::copy_file(userCache / "lambdesk" / "guest" / "image.json",
                                   cacheDir.path() / "lambdesk" / "guest" / "image.json", ec);
        ::setenv("XDG_CACHE_HOME", cacheDir.path().c_str(), 1);
    }
    EngineOptions engineOptions;
    engineOptions.dataDir = dataDir.path();
    engineOptions.defaultSandbox = options.sandbox;
    auto opened = Engine::open(engineOptions);
    if (!opened) {
        std::fprintf(stderr, "engine: %s\n", opened.error().message.c_str());
        return 1;
    }
    Engine &engine = **opened;
    ApiServer api(engine);
    auto port = api.start("127.0.0.1", 0);
    if (!port) {
        std::fprintf(stderr, "api: %s\n", port.error().message.c_str());
        return 1;
    }

    const std::string python = runtimeLike(engine, "python3");
    const std::string node = runtimeLike(engine, "nodejs");
    Table table("lambdesk-engine benchmark (sandbox: " + options.sandbox + ")");

    // Reference: the bare interpreter, in the same run.
    const std::string pythonPath = "/usr/bin/" + python;
    Samples bare;
    for (int i = 0; i < 20; ++i)
        bare.add(timeCommandMs({pythonPath, "-c", "pass"}));
    table.row("bare `" + python + " -c pass` (median of 20)", bare.median(), "ms");

    if (!createFunction(engine, "noop-py", python, "app.handler",
                        {{"app.py", "def handler(event, context):\n    return None\n", false}},
                        options.sandbox))
        return 1;
    httplib::Client client("127.0.0.1", *port);
    signLikeAnSdk(client);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    client.set_read_timeout(60);
    const std::string pyPath = "/2015-03-31/functions/noop-py/invocations";

    // Cold starts: each configuration change retires the warm environment.
    const auto coldStarts = [&](const std::string &function, Samples &init, Samples &roundTrip) {
        const std::string path = "/2015-03-31/functions/" + function + "/invocations";
        for (int i = 0; i < options.cold; ++i) {
            FunctionConfigPatch patch;
            patch.description = "cold " + std::to_string(i);
            (void)engine.updateFunctionConfiguration(function, patch);
            auto [ms, requestId] = invokeOnce(client, path);
            roundTrip.add(ms);
            for (const auto &rec : engine.listInvocations({function, 0, 0, 0, false, {}, {}}))
                if (rec.requestId == requestId)
                    init.add(rec.initDurationMs);
        }
    };
    Samples coldInit, coldRoundTrip;
    coldStarts("noop-py", coldInit, coldRoundTrip);
    table.row("cold start: Init Duration (median)", coldInit.median(), "ms");
    table.row("cold start: Init / bare interpreter", coldInit.median() / bare.median(), "x (target <= 1.3)");
    table.row("cold start: REST round trip (median)", coldRoundTrip.median(), "ms");

    // Warm round trips and engine overhead (round trip minus the handler's Duration).
    std::map<std::string, double> roundTrips;
    for (int i = 0; i < 50; ++i)
        invokeOnce(client, pyPath);
    for (int i = 0; i < options.warm; ++i) {
        auto [ms, requestId] = invokeOnce(client, pyPath);
        if (ms >= 0)
            roundTrips[requestId] = ms;
    }
    Samples warm, overhead;
    for (const auto &rec : engine.listInvocations({"noop-py", 0, 0, 0, false, {}, {}})) {
        auto it = roundTrips.find(rec.requestId);
        if (it == roundTrips.end())
            continue;
        warm.add(it->second);
        overhead.add(it->second - rec.durationMs);
    }
    table.row("warm invoke round trip p50", warm.percentile(50), "ms");
    table.row("warm invoke round trip p99", warm.percentile(99), "ms");
    table.row("engine overhead p50 (round trip - Duration)", overhead.percentile(50), "ms (target <= 0.5)");
    table.row("engine overhead p99", overhead.percentile(99), "ms");

    warmUp(*port, pyPath, 4);
    table.row("warm throughput python, 1 client", throughput(*port, pyPath, 1, options.warm, "{}"), "invokes/s");
    table.row("warm throughput python, 4 clients", throughput(*port, pyPath, 4, options.warm / 2, "{}"), "invokes/s");

    // The same Node handler: in our engine, and under lambda-local as the peer.
    const char *nodeHandler = "exports.handler = async (event) => ({ ok: true });\n";
    if (!node.empty() && createFunction(engine, "noop-node", node, "index.handler",
                                        {{"index.js", nodeHandler, false}}, options.sandbox)) {
        const std::string nodePath = "/2015-03-31/functions/noop-node/invocations";
        warmUp(*port, nodePath, 4);
        table.row("warm throughput node (lambdesk), 1 client", throughput(*port, nodePath, 1, options.warm, "{}"), "invokes/s");
        table.row("warm throughput node (lambdesk), 4 clients", throughput(*port, nodePath, 4, options.warm / 2, "{}"), "invokes/s");
        LambdaLocal peer(nodeHandler);
        if (peer.start()) {
            const std::string body = R"({"event":{}})";
            throughput(peer.port(), "/", 1, 20, body); // warm its module cache
            table.row("warm throughput node (lambda-local peer), 1 client", throughput(peer.port(), "/", 1, options.warm, body), "invokes/s");
            table.row("warm throughput node (lambda-local peer), 4 clients", throughput(peer.port(), "/", 4, options.warm / 2, body), "invokes/s");
        } else {
            table.note("lambda-local peer not measured: " + peer.error());
        }
    }
    // Ruby, Java and Go (issue 14): the same no-op handler, cold and warm.
    const auto runtimeRows = [&](const std::string &label, const std::string &runtime,
                                 const std::string &handler, const std::vector<CodeFile> &files) {
        const std::string function = "noop-" + label;
        if (runtime.empty() ||
            !createFunction(engine, function, runtime, handler, files, options.sandbox)) {
            table.note(label + " not measured: its runtime cannot run on this machine");
            return;
        }
        const std::string path = "/2015-03-31/functions/" + function + "/invocations";
        Samples init, roundTrip;
        coldStarts(function, init, roundTrip);
        table.row("cold start " + label + ": Init Duration (median)", init.median(), "ms");
        table.row("cold start " + label + ": REST round trip (median)", roundTrip.median(), "ms");
        warmUp(*port, path, 4);
        table.row("warm throughput " + label + ", 1 client",
                  throughput(*port, path, 1, options.warm, "{}"), "invokes/s");
        table.row("warm throughput " + label + ", 4 clients",
                  throughput(*port, path, 4, options.warm / 2, "{}"), "invokes/s");
    };
    runtimeRows("ruby", runtimeLike(engine, "ruby"), "app.handler",
                {{"app.rb", "def handler(event:, context:)\n  nil\nend\n", false}});
    // Deploy compiles both (javac; go build into bootstrap) before the first cold start.
    runtimeRows("java", runtimeLike(engine, "java17"), "example.Noop::handleRequest",
                {{"example/Noop.java",
                  "package example;\n"
                  "public class Noop {\n"
                  "    public Object handleRequest(Object event) { return null; }\n"
                  "}\n",
                  false}});
    runtimeRows("go", "provided.al2023", "bootstrap",
                {{"go.mod", "module example.com/noop\n\ngo 1.19\n", false},
                 {"main.go",
                  "package main\n\nimport (\n\t\"bytes\"\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n)\n\n"
                  "func main() {\n"
                  "\tapi := \"http://\" + os.Getenv(\"AWS_LAMBDA_RUNTIME_API\") + "
                  "\"/2018-06-01/runtime/invocation/\"\n"
                  "\tfor {\n"
                  "\t\tresp, err := http.Get(api + \"next\")\n"
                  "\t\tif err != nil {\n\t\t\tos.Exit(1)\n\t\t}\n"
                  "\t\tio.Copy(io.Discard, resp.Body)\n\t\tresp.Body.Close()\n"
                  "\t\tid := resp.Header.Get(\"Lambda-Runtime-Aws-Request-Id\")\n"
                  "\t\tout, err := http.Post(api+id+\"/response\", \"application/json\", "
                  "bytes.NewReader([]byte(\"null\")))\n"
                  "\t\tif err == nil {\n\t\t\tout.Body.Close()\n\t\t}\n"
                  "\t}\n}\n",
                  false}});
    table.print();
    if (!options.backends.empty()) {
        Table backends("per-backend (python handler, REST API round trips)");
        benchBackends(engine, *port, python, options.backends, backends);
        backends.print();
    }
    return 0;
}
