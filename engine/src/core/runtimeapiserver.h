#pragma once
// The Lambda Runtime API (2018-06-01) for one execution environment: its own loopback port, as
// each Lambda environment has its own endpoint. HTTP glue only; the protocol state lives in the
// RuntimeApiHandler (the environment).

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace lambdesk::engine {

struct RuntimeEvent {
    std::string requestId;
    std::string payload;
    std::string functionArn;
    std::string clientContext;
    std::string traceId;
    std::int64_t deadlineMs = 0; // epoch ms
    std::shared_ptr<ResponseStream> stream; // where a streamed response goes; null: nowhere
};

class RuntimeApiHandler {
public:
    virtual ~RuntimeApiHandler() = default;
    // Long poll: blocks until an event is delivered; nullopt when the environment shuts down.
    virtual std::optional<RuntimeEvent> nextEvent() = 0;
    // false: unknown or stale request id (answered 400 InvalidRequestID).
    virtual bool postResponse(const std::string &requestId, std::string body) = 0;
    // A streamed response (Lambda-Runtime-Function-Response-Mode: streaming) for the current
    // request: where its chunks go, or null when the request id is not current or the invoker
    // takes no stream (its chunks are then gathered into one body). postResponse ends it.
    virtual std::shared_ptr<ResponseStream> responseStream(const std::string &requestId) = 0;
    virtual bool postError(const std::string &requestId, const std::string &errorType,
                           std::string body) = 0;
    virtual void postInitError(const std::string &errorType, std::string body) = 0;
};

namespace triggers {
class BucketDirectory;
}

// Where an environment's functions reach S3's object API: AWS_ENDPOINT_URL_S3 is this path on the
// Runtime API's own host and port.
inline constexpr const char *kObjectApiPath = "/s3";

class RuntimeApiServer {
public:
    // With `buckets`, the same endpoint serves S3's object API over them at kObjectApiPath.
    explicit RuntimeApiServer(RuntimeApiHandler &handler,
                              triggers::BucketDirectory *buckets = nullptr);
    ~RuntimeApiServer(); // stop()
    RuntimeApiServer(const RuntimeApiServer &) = delete;
    RuntimeApiServer &operator=(const RuntimeApiServer &) = delete;

    Result<int> start(const std::string &host); // binds a free port, serves in the background
    // Serves on a socket that is already listening (inside a sandbox's network namespace, or a
    // unix socket), taking ownership of it.
    Result<void> serveOn(int listeningFd);
    // The handler must already have released its long polls (nextEvent returned).
    void stop();
    int port() const { return m_port; }

private:
    void configure(const std::string &host);

    RuntimeApiHandler &m_handler;
    triggers::BucketDirectory *m_buckets;
    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    int m_port = 0;
};

// Runtime responses above this are refused (Function.ResponseSizeTooLarge), as Lambda does.
inline constexpr std::size_t kMaxResponseBytes = std::size_t{6} * 1024 * 1024;
// A streamed response's quota (function URLs with InvokeMode RESPONSE_STREAM).
inline constexpr std::size_t kMaxStreamedResponseBytes = std::size_t{200} * 1024 * 1024;

} // namespace lambdesk::engine
