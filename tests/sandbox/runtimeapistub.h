#pragma once
// A small Runtime API (2018-06-01) for sandbox tests: serves queued events to the runtime's long
// poll and records what the runtime posts back. Not the engine's server: the tests check the
// sandboxes and the bootstraps on their own.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lambdesk::test {

struct RuntimePost {
    std::string kind;       // "response" | "error" | "init-error"
    std::string requestId;
    std::string errorType;  // Lambda-Runtime-Function-Error-Type
    std::string body;
    std::string contentType;
};

struct QueuedEvent {
    std::string requestId;
    std::string payload;
    std::int64_t timeoutMs = 30000;
};

class RuntimeApiStub {
public:
    using Clock = std::chrono::steady_clock;

    RuntimeApiStub()
    {
        registerRoutes(m_server);
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }

    // Serves the same routes on a listening socket a sandbox handed over (backends whose
    // sandboxes have a network of their own); takes ownership.
    void serveOn(int listeningFd)
    {
        auto server = std::make_unique<AdoptingServer>();
        registerRoutes(*server);
        server->adopt(listeningFd);
        AdoptingServer *raw = server.get();
        std::lock_guard lock(m_mutex);
        m_adopted.push_back(std::move(server));
        m_adoptedThreads.emplace_back([raw] { raw->listen_after_bind(); });
        while (!raw->is_running())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }

private:
    class AdoptingServer final : public httplib::Server {
    public:
        void adopt(int fd) { svr_sock_ = fd; }
    };

    void registerRoutes(httplib::Server &server)
    {
        server.Get("/2018-06-01/runtime/invocation/next", [this](const httplib::Request &, httplib::Response &res) {
            next(res);
        });
        server.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/(response|error))",
                    [this](const httplib::Request &req, httplib::Response &res) {
                        record({req.matches[2] == "response" ? "response" : "error", req.matches[1],
                                req.get_header_value("Lambda-Runtime-Function-Error-Type"),
                                req.body, req.get_header_value("Content-Type")});
                        res.status = 202;
                        res.set_content("{\"status\":\"OK\"}", "application/json");
                    });
        server.Post("/2018-06-01/runtime/init/error", [this](const httplib::Request &req,
                                                             httplib::Response &res) {
            record({"init-error", "", req.get_header_value("Lambda-Runtime-Function-Error-Type"),
                    req.body, req.get_header_value("Content-Type")});
            res.status = 202;
            res.set_content("{\"status\":\"OK\"}", "application/json");
        });
    }

public:

    ~RuntimeApiStub()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        m_server.stop();
        m_thread.join();
        for (auto &server : m_adopted)
            server->stop();
        for (auto &thread : m_adoptedThreads)
            thread.join();
    }

    int port() const { return m_port; }
    std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }

    void queue(QueuedEvent event)
    {
        {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(event));
        }
        m_changed.notify_all();
    }

    // The next post from the runtime, or nothing by the deadline.
    std::optional<RuntimePost> waitForPost(std::chrono::milliseconds timeout = std::chrono::seconds(20))
    {
        std::unique_lock lock(m_mutex);
        if (!m_changed.wait_for(lock, timeout, [this] { return m_taken < m_posts.size(); }))
            return std::nullopt;
        return m_posts[m_taken++];
    }

    // When the runtime first asked for an event (its init is done), or nothing by the deadline.
    std::optional<Clock::time_point> waitForFirstPoll(std::chrono::milliseconds timeout = std::chrono::seconds(20))
    {
        std::unique_lock lock(m_mutex);
        if (!m_changed.wait_for(lock, timeout, [this] { return m_firstPoll.has_value(); }))
            return std::nullopt;
        return m_firstPoll;
    }

    int polls()
    {
        std::lock_guard lock(m_mutex);
        return m_polls;
    }

private:
    void next(httplib::Response &res)
    {
        std::unique_lock lock(m_mutex);
        if (!m_firstPoll)
            m_firstPoll = Clock::now();
        ++m_polls;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return m_stopping || !m_events.empty(); });
        if (m_stopping) {
            res.status = 503;
            return;
        }
        QueuedEvent event = std::move(m_events.front());
        m_events.pop_front();
        lock.unlock();
        const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count()
                              + event.timeoutMs;
        res.set_header("Lambda-Runtime-Aws-Request-Id", event.requestId);
        res.set_header("Lambda-Runtime-Deadline-Ms", std::to_string(deadline));
        res.set_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:test");
        res.set_header("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
        res.set_content(event.payload, "application/json");
    }

    void record(RuntimePost post)
    {
        {
            std::lock_guard lock(m_mutex);
            m_posts.push_back(std::move(post));
        }
        m_changed.notify_all();
    }

    httplib::Server m_server;
    std::vector<std::unique_ptr<AdoptingServer>> m_adopted;
    std::vector<std::thread> m_adoptedThreads;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<QueuedEvent> m_events;
    std::vector<RuntimePost> m_posts;
    std::size_t m_taken = 0;
    std::optional<Clock::time_point> m_firstPoll;
    int m_polls = 0;
    bool m_stopping = false;
};

} // namespace lambdesk::test
