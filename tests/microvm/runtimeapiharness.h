#pragma once
// A tiny Runtime API (the engine's side) for the microVM backend tests: serves /next with queued
// events and records responses, plus the sandbox output seen when each response arrived.

#include "lambdesk/engine/result.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lambdesk::tests {

class RuntimeApiHarness {
public:
    using Clock = std::chrono::steady_clock;

    RuntimeApiHarness()
    {
        m_server.Get("/2018-06-01/runtime/invocation/next", [this](const httplib::Request &, httplib::Response &res) {
            std::unique_lock lock(m_mutex);
            if (!m_firstNext)
                m_firstNext = Clock::now();
            m_changed.notify_all();
            m_changed.wait(lock, [this] { return m_stopping || !m_events.empty(); });
            if (m_stopping) {
                res.status = 500;
                return;
            }
            const std::string event = m_events.front();
            m_events.pop_front();
            ++m_served;
            res.set_header("Lambda-Runtime-Aws-Request-Id", "req-" + std::to_string(m_served));
            res.set_header("Lambda-Runtime-Deadline-Ms", "0");
            res.set_content(event, "application/json");
        });
        m_server.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/(response|error))",
                      [this](const httplib::Request &req, httplib::Response &res) {
                          std::lock_guard lock(m_mutex);
                          drainOutputLocked(); // what the runtime printed before it posted
                          m_results.push_back({req.matches[2] == "error", req.body, m_output});
                          m_changed.notify_all();
                          res.status = m_responseStatus;
                          res.set_content(m_responseStatus == 202 ? R"({"status":"OK"})"
                                                                  : R"({"errorType":"InvalidRequestID"})",
                                          "application/json");
                      });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }

    ~RuntimeApiHarness()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
            m_changed.notify_all();
        }
        m_server.stop();
        m_thread.join();
        if (m_relayListener >= 0)
            ::shutdown(m_relayListener, SHUT_RDWR);
        for (auto &thread : m_relays)
            thread.join();
        if (m_relayListener >= 0)
            ::close(m_relayListener);
    }

    // The backend serves the Runtime API on a socket of its own (a unix socket): its
    // connections are relayed to this harness's TCP port. For EnvironmentSpec::serveRuntimeApi.
    lambdesk::engine::Result<void> serveOn(int listeningFd)
    {
        m_relayListener = listeningFd;
        m_relays.emplace_back([this] {
            for (;;) {
                const int client = ::accept4(m_relayListener, nullptr, nullptr, SOCK_CLOEXEC);
                if (client < 0)
                    return;
                const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                sockaddr_in address{};
                address.sin_family = AF_INET;
                address.sin_port = htons(static_cast<std::uint16_t>(m_port));
                address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                if (::connect(upstream, reinterpret_cast<sockaddr *>(&address), sizeof address) !=
                    0) {
                    ::close(client);
                    ::close(upstream);
                    continue;
                }
                std::thread([client, upstream] {
                    pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
                    char buffer[65536];
                    while (::poll(fds, 2, -1) > 0) {
                        const int from = (fds[0].revents != 0) ? 0 : 1;
                        const ssize_t n = ::read(fds[from].fd, buffer, sizeof buffer);
                        if (n <= 0 || ::send(fds[1 - from].fd, buffer, static_cast<std::size_t>(n),
                                             MSG_NOSIGNAL) != n)
                            break;
                    }
                    ::close(client);
                    ::close(upstream);
                }).detach();
            }
        });
        return {};
    }

    struct Result {
        bool error = false;
        std::string body;
        std::string outputAtResponse;
    };

    int port() const { return m_port; }
    // What the next posted responses get (the Runtime API says 400 to a stale request id).
    void setResponseStatus(int status)
    {
        std::lock_guard lock(m_mutex);
        m_responseStatus = status;
    }
    void setOutputFd(int fd)
    {
        std::lock_guard lock(m_mutex);
        m_outputFd = fd;
    }
    void queue(std::string event)
    {
        std::lock_guard lock(m_mutex);
        m_events.push_back(std::move(event));
        m_changed.notify_all();
    }
    std::optional<Clock::time_point> waitFirstNext(Clock::time_point deadline)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait_until(lock, deadline, [this] { return m_firstNext.has_value(); });
        return m_firstNext;
    }
    std::optional<Result> waitResult(std::size_t index, Clock::time_point deadline)
    {
        std::unique_lock lock(m_mutex);
        if (!m_changed.wait_until(lock, deadline, [&] { return m_results.size() > index; }))
            return std::nullopt;
        return m_results[index];
    }
    std::string output()
    {
        std::lock_guard lock(m_mutex);
        drainOutputLocked();
        return m_output;
    }

private:
    void drainOutputLocked()
    {
        if (m_outputFd < 0)
            return;
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(m_outputFd, buffer, sizeof buffer)) > 0)
            m_output.append(buffer, static_cast<std::size_t>(n));
    }

    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::string> m_events;
    std::vector<Result> m_results;
    int m_responseStatus = 202;
    std::optional<Clock::time_point> m_firstNext;
    std::string m_output;
    int m_outputFd = -1;
    int m_served = 0;
    bool m_stopping = false;
    int m_relayListener = -1;
    std::vector<std::thread> m_relays;
};

} // namespace lambdesk::tests
