#include "backendbench.h"

#include <httplib.h>

#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace lambdesk::bench {
namespace {

const char *kHandler = "import time\ndef handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return None\n";

std::map<int, int> parentsOfAll()
{
    std::map<int, int> parents;
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return parents;
    while (dirent *entry = ::readdir(proc)) {
        const int pid = std::atoi(entry->d_name);
        if (pid <= 0)
            continue;
        std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), {});
        auto close = text.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream rest(text.substr(close + 2));
        std::string state;
        int ppid = 0;
        rest >> state >> ppid;
        parents[pid] = ppid;
    }
    ::closedir(proc);
    return parents;
}

// Rss and Pss of one process (smaps_rollup, kB). Pss splits pages shared between processes,
// such as a snapshot's RAM file mapped by every VM restored from it.
ProcessMemory memoryOf(int pid)
{
    std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
    ProcessMemory memory;
    std::string line; // the first one names the range, then "Rss:   1234 kB" and so on
    while (std::getline(rollup, line)) {
        const auto kilobytes = [&] { return std::strtoull(line.c_str() + line.find(':') + 1, nullptr, 10) << 10; };
        if (line.rfind("Rss:", 0) == 0)
            memory.rss = kilobytes();
        else if (line.rfind("Pss:", 0) == 0)
            memory.pss = kilobytes();
    }
    return memory;
}

double initDurationOf(engine::Engine &engine, const std::string &function, const std::string &requestId)
{
    for (const auto &rec : engine.listInvocations({function, 0, 0, 0, false, {}, {}}))
        if (rec.requestId == requestId)
            return rec.initDurationMs;
    return -1;
}

} // namespace

ProcessMemory descendantsMemory()
{
    const auto parents = parentsOfAll();
    const int self = ::getpid();
    ProcessMemory total;
    for (const auto &[pid, ppid] : parents) {
        int cursor = ppid;
        for (int depth = 0; depth < 16 && cursor > 1; ++depth) {
            if (cursor == self) {
                const ProcessMemory one = memoryOf(pid);
                total.rss += one.rss;
                total.pss += one.pss;
                break;
            }
            auto it = parents.find(cursor);
            cursor = it == parents.end() ? 0 : it->second;
        }
    }
    return total;
}

namespace {

engine::FunctionConfig benchFunction(const std::string &name, const std::string &runtime, const std::string &backend)
{
    engine::FunctionConfig config;
    config.name = name;
    config.runtime = runtime;
    config.handler = "app.handler";
    config.timeoutSeconds = 30;
    config.tags["lambdesk:sandbox"] = backend;
    return config;
}

std::string invokePath(const std::string &name, const std::string &qualifier = {})
{
    return "/2015-03-31/functions/" + name + "/invocations" + (qualifier.empty() ? "" : "?Qualifier=" + qualifier);
}

// Retires the warm environment (a configuration change) and invokes: one cold start. Returns its
// Init Duration, or -1 with a note in the table; `roundTripMs` gets the whole invoke's time.
double coldStart(engine::Engine &engine, httplib::Client &client, const std::string &name, Table &table,
                 const std::string &qualifier = {}, double *roundTripMs = nullptr)
{
    static int serial = 0;
    engine::FunctionConfigPatch patch;
    patch.description = "cold " + std::to_string(++serial);
    (void)engine.updateFunctionConfiguration(name, patch);
    const std::string path = invokePath(name, qualifier);
    Stopwatch watch;
    auto response = client.Post(path.c_str(), "{}", "application/json");
    if (roundTripMs)
        *roundTripMs = watch.elapsedMs();
    if (!response || response->status != 200 || response->has_header("X-Amz-Function-Error")) {
        table.note(name + ": invoke failed: " + (response ? response->body : std::string("no response")));
        return -1;
    }
    return initDurationOf(engine, name, response->get_header_value("x-amzn-RequestId"));
}

std::size_t functionSnapshotCount(const std::filesystem::path &cacheDir)
{
    std::size_t count = 0;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(cacheDir / "snapshots", ec)) {
        const std::string name = entry.path().filename().string();
        count += name.rfind("fn-", 0) == 0 && name.find(".tmp-") == std::string::npos;
    }
    return count;
}

// The microVM's cold starts, each kind by itself: the first boot (this run's cache starts
// empty), from the runtime snapshot (new code: zygote restore + init), and from the function
// snapshot of a published version with SnapStart (restore + resume; the snapshot is made in the
// background after the version's first cold start). Returns that version ("" when none).
std::string microVmColdStarts(engine::Engine &engine, httplib::Client &client, const std::string &name,
                              const std::string &runtime, Table &table)
{
    const double firstBoot = coldStart(engine, client, name, table);
    engine::FunctionConfigPatch snapStart;
    snapStart.snapStartApplyOn = "PublishedVersions";
    auto updated = engine.updateFunctionConfiguration(name, snapStart);
    auto version = updated ? engine.publishVersion(name) : engine::Result<engine::FunctionInfo>(updated.error());
    if (!version) {
        table.note("microvm: cannot publish a SnapStart version: " + version.error().message);
        return {};
    }
    (void)coldStart(engine, client, name, table, version->version);
    const std::filesystem::path cacheDir = engine.guestImage().cacheDir;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (functionSnapshotCount(cacheDir) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // Cold starts a second apart, as they usually come: each finds the spare restored and warmed
    // after the previous one. Then a burst, back to back, where most start a QEMU of their own.
    Samples fromFunction, fromFunctionRoundTrip, burst;
    for (int i = 0; i < 7; ++i) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        double roundTrip = 0;
        fromFunction.add(coldStart(engine, client, name, table, version->version, &roundTrip));
        fromFunctionRoundTrip.add(roundTrip);
    }
    for (int i = 0; i < 7; ++i)
        burst.add(coldStart(engine, client, name, table, version->version));
    Samples fromRuntime;
    for (int i = 0; i < 3; ++i) {
        const std::string other = name + "-new-code-" + std::to_string(i);
        const std::string source = std::string(kHandler) + "# variant " + std::to_string(i) + "\n";
        if (!engine.createFunctionFromFiles(benchFunction(other, runtime, "microvm"), {{"app.py", source, false}}))
            continue;
        fromRuntime.add(coldStart(engine, client, other, table));
    }
    table.row("microvm: cold start, first boot (kernel + runtime snapshot + init)", firstBoot, "ms");
    table.row("microvm: cold start from the runtime snapshot (new code; median of 3)", fromRuntime.median(), "ms");
    table.row("microvm: cold start from a SnapStart version's snapshot (median of 7)", fromFunction.median(),
              "ms (target <= 100)");
    table.row("microvm: cold start from a SnapStart version's snapshot, max", fromFunction.percentile(100), "ms");
    table.row("microvm: SnapStart cold invoke, whole REST round trip (median of 7)", fromFunctionRoundTrip.median(), "ms");
    table.row("microvm: SnapStart cold starts back to back (median of 7)", burst.median(), "ms");
    return version->version;
}

// Host memory of idle warm environments: three of them, up at once, then idle.
void idleMemory(engine::Engine &engine, int apiPort, const std::string &name, const std::string &qualifier,
                const std::string &label, Table &table)
{
    engine::FunctionConfigPatch patch;
    patch.description = "memory " + label;
    (void)engine.updateFunctionConfiguration(name, patch);
    const std::string path = invokePath(name, qualifier);
    const ProcessMemory before = descendantsMemory();
    std::vector<std::thread> callers;
    callers.reserve(3);
    for (int i = 0; i < 3; ++i)
        callers.emplace_back([&] {
            httplib::Client c("127.0.0.1", apiPort);
            signLikeAnSdk(c);
            c.set_read_timeout(120);
            c.Post(path.c_str(), R"({"sleep":1.0})", "application/json");
        });
    for (auto &t : callers)
        t.join();
    const ProcessMemory after = descendantsMemory();
    auto perEnvMiB = [](std::uint64_t now, std::uint64_t then) {
        return static_cast<double>(now - std::min(now, then)) / 3.0 / (1 << 20);
    };
    table.row(label + ": host RSS per idle warm environment", perEnvMiB(after.rss, before.rss), "MiB");
    table.row(label + ": host PSS per idle warm environment", perEnvMiB(after.pss, before.pss),
              "MiB (shared pages split)");
}

} // namespace

void benchBackends(engine::Engine &engine, int apiPort, const std::string &pythonRuntime,
                   const std::vector<std::string> &backends, Table &table)
{
    for (const auto &backend : backends) {
        const std::string name = "bench-" + backend;
        if (!engine.createFunctionFromFiles(benchFunction(name, pythonRuntime, backend), {{"app.py", kHandler, false}})) {
            table.note(backend + ": cannot create the function");
            continue;
        }
        httplib::Client client("127.0.0.1", apiPort);
        signLikeAnSdk(client);
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);
        client.set_read_timeout(120);
        const std::string path = invokePath(name);

        std::string snapStartVersion;
        if (backend == "microvm") {
            snapStartVersion = microVmColdStarts(engine, client, name, pythonRuntime, table);
        } else {
            Samples cold;
            for (int i = 0; i < 6; ++i)
                cold.add(coldStart(engine, client, name, table));
            table.row(backend + ": cold start median (Init Duration)", cold.median(), "ms");
        }
        // Back to back, as the process numbers above: each invoke also waits for the previous
        // one's 202 and the next /next (in a microVM both cross the VM boundary). Pausing between
        // invokes instead measures this machine's thread wake-up latency (~1.5 ms) as well.
        std::map<std::string, double> roundTrips;
        for (int i = 0; i < 220; ++i) {
            Stopwatch watch;
            auto response = client.Post(path.c_str(), "{}", "application/json");
            if (i >= 20 && response && response->status == 200)
                roundTrips[response->get_header_value("x-amzn-RequestId")] = watch.elapsedMs();
        }
        Samples warm, duration, overhead;
        for (const auto &rec : engine.listInvocations({name, 0, 0, 0, false, {}, {}})) {
            auto it = roundTrips.find(rec.requestId);
            if (it == roundTrips.end())
                continue;
            warm.add(it->second);
            duration.add(rec.durationMs);
            overhead.add(it->second - rec.durationMs);
        }
        table.row(backend + ": warm invoke round trip p50", warm.percentile(50), "ms");
        table.row(backend + ": warm invoke round trip p99", warm.percentile(99), "ms");
        // Duration runs from the event leaving the engine to the response reaching it: in a
        // microVM that includes both crossings of the VM boundary.
        table.row(backend + ": warm Duration p50", duration.percentile(50), "ms");
        table.row(backend + ": warm overhead p50 (round trip - Duration)", overhead.percentile(50), "ms");
        idleMemory(engine, apiPort, name, {}, backend, table);
        if (!snapStartVersion.empty()) // environments restored from the SnapStart version's snapshot
            idleMemory(engine, apiPort, name, snapStartVersion, backend + " (SnapStart version)", table);
    }
}

} // namespace lambdesk::bench
