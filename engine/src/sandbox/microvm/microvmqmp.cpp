#include "sandbox/microvm/microvmqmp.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lambdesk::engine {

MicroVmQmp::MicroVmQmp(int fd) : m_fd(fd)
{
}

MicroVmQmp::~MicroVmQmp()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<void> MicroVmQmp::handshake(int timeoutMs)
{
    auto greeting = readMessage(timeoutMs);
    if (!greeting)
        return greeting.error();
    if (!greeting->contains("QMP"))
        return makeError(ErrorCode::ServiceError, "unexpected QMP greeting: " + greeting->dump());
    auto reply = execute("qmp_capabilities", nlohmann::json::object(), timeoutMs);
    if (!reply)
        return reply.error();
    return {};
}

Result<nlohmann::json> MicroVmQmp::execute(const std::string &command,
                                           const nlohmann::json &arguments, int timeoutMs)
{
    nlohmann::json request{{"execute", command}};
    if (!arguments.empty())
        request["arguments"] = arguments;
    const std::string line = request.dump() + "\n";
    if (::send(m_fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size()))
        return makeError(ErrorCode::ServiceError,
                         "QMP " + command + ": cannot write: " + std::strerror(errno));
    for (;;) {
        auto message = readMessage(timeoutMs);
        if (!message)
            return message.error();
        if (message->contains("event"))
            continue;
        if (message->contains("error"))
            return makeError(ErrorCode::ServiceError,
                             "QMP " + command + ": " + (*message)["error"].value("desc", "failed"));
        return message->value("return", nlohmann::json::object());
    }
}

Result<nlohmann::json> MicroVmQmp::readMessage(int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        const auto newline = m_buffer.find('\n');
        if (newline != std::string::npos) {
            const std::string line = m_buffer.substr(0, newline);
            m_buffer.erase(0, newline + 1);
            auto parsed = nlohmann::json::parse(line, nullptr, false);
            if (parsed.is_discarded())
                return makeError(ErrorCode::ServiceError, "QMP sent invalid JSON: " + line);
            return parsed;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0)
            return makeError(ErrorCode::ServiceError, "QMP did not answer in time");
        pollfd pfd{m_fd, POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(left)) <= 0)
            continue;
        char chunk[4096];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return makeError(ErrorCode::ServiceError, "QMP connection closed");
        m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

} // namespace lambdesk::engine
