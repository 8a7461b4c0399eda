#include "backendbench.h"

#include <httplib.h>

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

std::uint64_t rssBytes(int pid)
{
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    std::uint64_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

double initDurationOf(engine::Engine &engine, const std::string &function, const std::string &requestId)
{
    for (const auto &rec : engine.listInvocations({function, 0, 0, 0, false}))
        if (rec.requestId == requestId)
            return rec.initDurationMs;
    return -1;
}

} // namespace

std::uint64_t descendantsRssBytes()
{
    const auto parents = parentsOfAll();
    const int self = ::getpid();
    std::uint64_t total = 0;
    for (const auto &[pid, ppid] : parents) {
        int cursor = ppid;
        for (int depth = 0; depth < 16 && cursor > 1; ++depth) {
            if (cursor == self) {
                total += rssBytes(pid);
                break;
            }
            auto it = parents.find(cursor);
            cursor = it == parents.end() ? 0 : it->second;
        }
    }
    return total;
}

void benchBackends(engine::Engine &engine, int apiPort, const std::string &pythonRuntime,
                   const std::vector<std::string> &backends, Table &table)
{
    for (const auto &backend : backends) {
        const std::string name = "bench-" + backend;
        engine::FunctionConfig config;
        config.name = name;
        config.runtime = pythonRuntime;
        config.handler = "app.handler";
        config.timeoutSeconds = 30;
        config.tags["lambdesk:sandbox"] = backend;
        if (!engine.createFunctionFromFiles(config, {{"app.py", kHandler, false}})) {
            table.note(backend + ": cannot create the function");
            continue;
        }
        httplib::Client client("127.0.0.1", apiPort);
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);
        client.set_read_timeout(120);
        const std::string path = "/2015-03-31/functions/" + name + "/invocations";

        Samples cold;
        double firstCold = -1;
        for (int i = 0; i < 6; ++i) {
            engine::FunctionConfigPatch patch;
            patch.description = "cold " + std::to_string(i);
            (void)engine.updateFunctionConfiguration(name, patch);
            auto response = client.Post(path.c_str(), "{}", "application/json");
            if (!response || response->status != 200 || response->has_header("X-Amz-Function-Error")) {
                table.note(backend + ": invoke failed: " + (response ? response->body : std::string("no response")));
                break;
            }
            const double init = initDurationOf(engine, name, response->get_header_value("x-amzn-RequestId"));
            if (i == 0)
                firstCold = init;
            else
                cold.add(init);
        }
        if (cold.size() == 0)
            continue;
        Samples warm;
        for (int i = 0; i < 220; ++i) {
            Stopwatch watch;
            auto response = client.Post(path.c_str(), "{}", "application/json");
            if (i >= 20 && response && response->status == 200)
                warm.add(watch.elapsedMs());
        }
        // Host memory of idle warm environments: three of them, up at once, then idle.
        engine::FunctionConfigPatch patch;
        patch.description = "memory";
        (void)engine.updateFunctionConfiguration(name, patch);
        const std::uint64_t before = descendantsRssBytes();
        std::vector<std::thread> callers;
        for (int i = 0; i < 3; ++i)
            callers.emplace_back([&] {
                httplib::Client c("127.0.0.1", apiPort);
                c.set_read_timeout(120);
                c.Post(path.c_str(), R"({"sleep":1.0})", "application/json");
            });
        for (auto &t : callers)
            t.join();
        const double perEnvMiB = static_cast<double>(descendantsRssBytes() - std::min(before, descendantsRssBytes())) / 3.0 / (1 << 20);

        table.row(backend + ": first cold start in this run (Init Duration)", firstCold, "ms");
        table.row(backend + ": cold start median (Init Duration)", cold.median(), "ms");
        table.row(backend + ": warm invoke round trip p50", warm.percentile(50), "ms");
        table.row(backend + ": warm invoke round trip p99", warm.percentile(99), "ms");
        table.row(backend + ": host RSS per idle warm environment", perEnvMiB, "MiB");
    }
}

} // namespace lambdesk::bench
