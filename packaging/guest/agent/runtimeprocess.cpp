#include "runtimeprocess.h"

#include "guestsystem.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <utility>
#include <unistd.h>

namespace lambdesk::guest {

namespace proto = lambdesk::engine::microvm;

namespace {

SpawnRequest spawnRequest(const proto::Fields &fields, std::string cwd)
{
    SpawnRequest request;
    request.cwd = std::move(cwd);
    auto [begin, end] = fields.equal_range("argv");
    for (auto it = begin; it != end; ++it)
        request.argv.push_back(it->second);
    for (const auto &[key, value] : fields) {
        if (key.rfind("env:", 0) == 0)
            request.env.push_back(key.substr(4) + "=" + value);
    }
    request.uid = static_cast<uid_t>(std::stoul(proto::field(fields, "uid", "0")));
    request.gid = static_cast<gid_t>(std::stoul(proto::field(fields, "gid", "0")));
    return request;
}

bool writeAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// "what: strerror(errno)". Built by appending: GCC 12's -Wrestrict misfires on operator+ here.
std::string systemError(const char *what)
{
    std::string message(what);
    message.append(": ").append(std::strerror(errno));
    return message;
}

void closeFd(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

} // namespace

RuntimeProcess::~RuntimeProcess()
{
    closeFd(m_output);
    closeFd(m_zygoteStart);
    closeFd(m_zygoteReady);
    closeFd(m_kernelLog);
}

std::string RuntimeProcess::prepare(const proto::Fields &fields)
{
    if (m_pid != 0)
        return "a runtime is already running";
    int startPipe[2];
    int readyPipe[2];
    if (::pipe2(startPipe, O_CLOEXEC) != 0)
        return systemError("pipe");
    if (::pipe2(readyPipe, O_CLOEXEC) != 0) {
        ::close(startPipe[0]);
        ::close(startPipe[1]);
        return systemError("pipe");
    }
    auto request = spawnRequest(fields, "/");
    // Above the child's target descriptors (3 and 4), so that its dup2s are never no-ops.
    const int childStart = ::fcntl(startPipe[0], F_DUPFD_CLOEXEC, 10);
    const int childReady = ::fcntl(readyPipe[1], F_DUPFD_CLOEXEC, 10);
    ::close(startPipe[0]);
    ::close(readyPipe[1]);
    request.extraFds = {childStart, childReady};
    const std::string error = launch(request);
    ::close(childStart);
    ::close(childReady);
    m_zygoteStart = startPipe[1];
    m_zygoteReady = readyPipe[0];
    return error;
}

std::string RuntimeProcess::start(const proto::Fields &fields, const std::string &payload)
{
    if (m_zygoteStart >= 0) {
        // The zygote (running since the snapshot) reads the same fields and becomes the runtime.
        const bool written = writeAll(m_zygoteStart, payload);
        closeFd(m_zygoteStart);
        return written ? std::string() : std::string("the runtime zygote is gone");
    }
    if (m_pid != 0)
        return "the runtime was started already";
    auto request = spawnRequest(fields, proto::field(fields, "cwd", "/var/task"));
    if (request.argv.empty())
        return "Start without a command";
    return launch(request);
}

std::string RuntimeProcess::launch(SpawnRequest &request)
{
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        return systemError("pipe");
    ::fcntl(pipeFds[0], F_SETFL, O_NONBLOCK);
    ::fcntl(pipeFds[1], F_SETPIPE_SZ, 1024 * 1024);
    m_output = pipeFds[0];
    request.outputFd = pipeFds[1];
    if (m_kernelLog < 0)
        m_kernelLog = openKernelLogAtEnd();
    m_pid = spawnRuntime(request);
    ::close(pipeFds[1]);
    if (m_pid < 0) {
        m_pid = 0;
        return systemError("fork");
    }
    return {};
}

void RuntimeProcess::closeOutput()
{
    closeFd(m_output);
}

bool RuntimeProcess::takeReady()
{
    char byte;
    const ssize_t n = ::read(m_zygoteReady, &byte, 1);
    closeFd(m_zygoteReady);
    return n == 1;
}

bool RuntimeProcess::killedByOom() const
{
    return kernelLogShowsOomKill(m_kernelLog);
}

} // namespace lambdesk::guest
