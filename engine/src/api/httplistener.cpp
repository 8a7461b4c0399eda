#include "api/httplistener.h"

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace lambdesk::engine::api {

namespace {

// httplib's default turns on SO_REUSEPORT, which would let a second engine bind a port that is
// already serving; SO_REUSEADDR alone still allows a quick restart past TIME_WAIT.
void socketOptions(int sock)
{
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

} // namespace

HttpListener::HttpListener(std::size_t workerThreads, std::size_t payloadMaxLength)
{
    // httplib takes ownership of the queue it gets from this factory.
    m_server.new_task_queue = [workerThreads] { return new httplib::ThreadPool(workerThreads); };
    m_server.set_socket_options(socketOptions);
    m_server.set_tcp_nodelay(true);
    m_server.set_keep_alive_max_count(100000);
    m_server.set_keep_alive_timeout(5);
    // A client may take a while to send a large body, and waits long for an invocation.
    m_server.set_read_timeout(60);
    m_server.set_write_timeout(60);
    m_server.set_payload_max_length(payloadMaxLength);
}

HttpListener::~HttpListener()
{
    stop();
}

Result<int> HttpListener::start(const std::string &host, int port,
                                const std::function<void(int port)> &bound)
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return makeError(ErrorCode::Conflict, "already listening on " + m_baseUrl);
    errno = 0;
    int boundPort = port;
    if (port == 0) {
        boundPort = m_server.bind_to_any_port(host);
    } else if (!m_server.bind_to_port(host, port)) {
        boundPort = -1;
    }
    if (boundPort <= 0) {
        const int error = errno;
        const std::string where = host + ":" + std::to_string(port);
        if (error == EADDRINUSE)
            return makeError(ErrorCode::Conflict,
                             "cannot listen on " + where + ": address already in use");
        return makeError(ErrorCode::ServiceError,
                         "cannot listen on " + where +
                             (error ? std::string(": ") + std::strerror(error) : std::string()));
    }
    const std::string urlHost = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    m_baseUrl = "http://" + urlHost + ":" + std::to_string(boundPort);
    if (bound)
        bound(boundPort);
    m_threadDone = false;
    m_thread = std::thread([this] {
        m_server.listen_after_bind();
        m_threadDone = true;
    });
    // The socket already accepts connections (they queue in the backlog); wait only until
    // httplib marks itself running, because its stop() is a no-op before that.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!m_server.is_running() && !m_threadDone && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return boundPort;
}

void HttpListener::stop()
{
    std::lock_guard lock(m_mutex);
    if (!m_thread.joinable())
        return;
    m_server.stop();
    m_thread.join();
    m_baseUrl.clear();
}

std::string HttpListener::baseUrl() const
{
    std::lock_guard lock(m_mutex);
    return m_baseUrl;
}

} // namespace lambdesk::engine::api
