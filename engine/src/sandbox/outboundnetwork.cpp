#include "sandbox/outboundnetwork.h"

#include "sandbox/processsupervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <thread>

namespace lambdesk::engine::procsandbox {

namespace {

ino_t networkNamespaceOf(const std::string &pid)
{
    struct stat info {};
    return ::stat(("/proc/" + pid + "/ns/net").c_str(), &info) == 0 ? info.st_ino : 0;
}

} // namespace

std::string findProgram(const std::string &name)
{
    for (const char *dir : {"/usr/bin", "/bin", "/usr/local/bin"})
        if (::access((std::string(dir) + "/" + name).c_str(), X_OK) == 0)
            return std::string(dir) + "/" + name;
    if (const char *path = std::getenv("PATH")) {
        std::stringstream dirs(path);
        std::string dir;
        while (std::getline(dirs, dir, ':'))
            if (!dir.empty() && dir[0] == '/' && ::access((dir + "/" + name).c_str(), X_OK) == 0)
                return dir + "/" + name;
    }
    return {};
}

bool waitForOwnNetworkNamespace(pid_t pid, std::chrono::steady_clock::time_point deadline)
{
    const ino_t engine = networkNamespaceOf("self");
    do {
        const ino_t current = networkNamespaceOf(std::to_string(pid));
        if (current == 0)
            return false; // gone
        if (current != engine)
            return true;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

Result<std::shared_ptr<SupervisedTree>> attachOutboundNetwork(pid_t namespaceMember)
{
    static const std::string slirp = findProgram("slirp4netns");
    if (slirp.empty())
        return makeError(ErrorCode::Unsupported, "outbound network needs slirp4netns (install the "
                                                 "Debian package 'slirp4netns'), or tag the "
                                                 "function lambdesk:network=none");
    auto ready = makePipe();
    if (!ready)
        return ready.error();
    SpawnRequest request;
    request.argv = {slirp,
                    "--configure",
                    "--mtu=65520",
                    "--disable-host-loopback",
                    "--enable-sandbox",
                    "--enable-seccomp",
                    "--ready-fd=" + std::to_string(ready->write.get()),
                    std::to_string(namespaceMember),
                    "tap0"};
    request.inheritFds = {ready->write.get()};
    request.environment = {"PATH=/usr/bin:/bin"};
    auto pid = ProcessSupervisor::instance().spawn(request);
    ready->write.reset();
    if (!pid)
        return pid.error();
    auto tree = std::make_shared<SupervisedTree>(*pid, TreeView::Helper, 0);
    ProcessSupervisor::instance().watch(tree);
    pollfd wait{ready->read.get(), POLLIN, 0};
    char byte = 0;
    if (::poll(&wait, 1, 10000) != 1 || ::read(ready->read.get(), &byte, 1) != 1) {
        const std::string why = tree->isRunning() ? "no answer in 10 s" : tree->exitDescription();
        tree->kill();
        return makeError(ErrorCode::ServiceError,
                         "slirp4netns could not configure the sandbox's network (" + why + ")");
    }
    return tree;
}

void HeldNetwork::kill()
{
    if (network)
        network->kill();
    if (holder)
        holder->kill();
}

Result<HeldNetwork> holdOutboundNetwork()
{
    static const std::string unshare = findProgram("unshare");
    static const std::string sleep = findProgram("sleep");
    if (unshare.empty() || sleep.empty())
        return makeError(ErrorCode::Unsupported,
                         "a network namespace needs util-linux's unshare and coreutils' sleep");
    SpawnRequest request;
    request.argv = {unshare, "--net"};
    if (::geteuid() != 0)
        request.argv.insert(request.argv.end(), {"--user", "--map-current-user"});
    request.argv.insert(request.argv.end(), {"--", sleep, "infinity"});
    request.environment = {"PATH=/usr/bin:/bin"};
    auto pid = ProcessSupervisor::instance().spawn(request);
    if (!pid)
        return pid.error();
    HeldNetwork held;
    held.holder = std::make_shared<SupervisedTree>(*pid, TreeView::Helper, 0);
    ProcessSupervisor::instance().watch(held.holder);
    if (!waitForOwnNetworkNamespace(*pid,
                                    std::chrono::steady_clock::now() + std::chrono::seconds(10))) {
        const std::string why =
            held.holder->isRunning() ? "no namespace in 10 s" : held.holder->exitDescription();
        held.kill();
        return makeError(ErrorCode::ServiceError,
                         "cannot create a network namespace (unshare: " + why + ")");
    }
    // What gets entered later is this descriptor, checked here, not whatever the pid names then.
    held.namespaceFd = std::make_shared<UniqueFd>(
        ::open(("/proc/" + std::to_string(*pid) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC));
    struct stat opened {};
    if (!held.namespaceFd->valid() || ::fstat(held.namespaceFd->get(), &opened) != 0 ||
        opened.st_ino == networkNamespaceOf("self")) {
        held.kill();
        return makeError(ErrorCode::ServiceError, "cannot hold the sandbox's network namespace");
    }
    auto network = attachOutboundNetwork(*pid);
    if (!network) {
        held.kill();
        return network.error();
    }
    held.network = std::move(*network);
    return held;
}

} // namespace lambdesk::engine::procsandbox
