#pragma once
// One httplib server on its own thread: binding (port 0 picks a free one) with errors in the
// engine's words, the options every engine listener shares, and a stop that joins. Owned by
// ApiServer and FunctionUrlServer.

#include "lambdesk/engine/result.h"

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace lambdesk::engine::api {

class HttpListener {
public:
    // Worker threads and the largest body httplib reads before answering 413 itself.
    HttpListener(std::size_t workerThreads, std::size_t payloadMaxLength);
    ~HttpListener(); // stop()
    HttpListener(const HttpListener &) = delete;
    HttpListener &operator=(const HttpListener &) = delete;

    httplib::Server &server() { return m_server; } // configure before start()

    // Binds host:port and serves on a background thread; returns the bound port. `bound` runs
    // once the port is known and before the first request is served.
    Result<int> start(const std::string &host, int port,
                      const std::function<void(int port)> &bound = {});
    void stop();
    std::string baseUrl() const; // "http://HOST:PORT", empty when not started

private:
    httplib::Server m_server;
    std::thread m_thread;
    std::atomic<bool> m_threadDone{false};
    mutable std::mutex m_mutex; // guards start/stop and m_baseUrl
    std::string m_baseUrl;
};

} // namespace lambdesk::engine::api
