#include "core/runtimeapiserver.h"

#include "core/browserguard.h"
#include "core/errordocument.h"
#include "sandbox/sandbox.h"
#include "triggers/s3objectroutes.h"

#include <httplib.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

namespace lambdesk::engine {
namespace {

constexpr const char *kPrefix = "/2018-06-01/runtime";

void replyStatus(httplib::Response &res, int status, const std::string &errorType,
                 const std::string &message)
{
    res.status = status;
    if (errorType.empty()) {
        res.set_content(R"({"status":"OK"})", "application/json");
        return;
    }
    res.set_content(errorDocument(errorType, message), "application/json");
}

std::string functionErrorType(const httplib::Request &req, const std::string &fallback)
{
    std::string type = req.get_header_value("Lambda-Runtime-Function-Error-Type");
    if (!type.empty())
        return type;
    // The header is optional: take errorType from the body when the runtime sent the usual document.
    return errorTypeOf(req.body, fallback);
}

// httplib binds its own sockets; the listening socket a sandbox hands over is adopted instead.
class AdoptingServer final : public httplib::Server {
public:
    void adopt(int listeningFd)
    {
        // Accepted sockets inherit TCP_NODELAY from the listener, and httplib sets it only on the
        // listeners it opens itself: without it every response waits for a delayed ACK (~40 ms).
        // (A unix socket has no Nagle; the call fails there, harmlessly.)
        const int yes = 1;
        ::setsockopt(listeningFd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        svr_sock_ = listeningFd;
    }
};

// stop() is a no-op until the server runs: wait for that, so that a stop never misses it.
void waitUntilRunning(const httplib::Server &server)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server.is_running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(50));
}

} // namespace

RuntimeApiServer::RuntimeApiServer(RuntimeApiHandler &handler, triggers::BucketDirectory *buckets)
    : m_handler(handler), m_buckets(buckets), m_server(std::make_unique<AdoptingServer>())
{
}

RuntimeApiServer::~RuntimeApiServer()
{
    stop();
}

Result<int> RuntimeApiServer::start(const std::string &host)
{
    configure(host);
    m_port = m_server->bind_to_any_port(host);
    if (m_port <= 0)
        return makeError(ErrorCode::ServiceError, "cannot bind the Runtime API on " + host);
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    waitUntilRunning(*m_server);
    return m_port;
}

Result<void> RuntimeApiServer::serveOn(int listeningFd)
{
    configure("127.0.0.1");
    static_cast<AdoptingServer &>(*m_server).adopt(listeningFd);
    m_port = kSandboxRuntimeApiPort;
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    waitUntilRunning(*m_server);
    return {};
}

void RuntimeApiServer::configure(const std::string &host)
{
    auto &svr = *m_server;
    // One long poll plus a response connection at a time; a few spare for clients that reconnect.
    svr.new_task_queue = [] { return new httplib::ThreadPool(4); }; // NOLINT: httplib owns it
    svr.set_keep_alive_max_count(1u << 30);
    svr.set_keep_alive_timeout(3600);
    svr.set_read_timeout(3600);
    svr.set_tcp_nodelay(true);
    // A streamed response may reach 200 MB (Lambda's quota); a buffered one is refused past
    // kMaxResponseBytes as it arrives, never held whole.
    svr.set_payload_max_length(kMaxStreamedResponseBytes + std::size_t{1024} * 1024);

    // Runtime clients never sign, but neither do they send Origin or a foreign Host: a web page
    // that guessed the port is refused before it can take or answer an event.
    svr.set_pre_routing_handler([host](const httplib::Request &req, httplib::Response &res) {
        if (auto refusal = browserRequestRefusal(req, BrowserGuardPolicy{{}, host, 0})) {
            replyStatus(res, 403, "AccessDenied", *refusal);
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    svr.Get(std::string(kPrefix) + "/invocation/next",
            [this](const httplib::Request &, httplib::Response &res) {
                auto event = m_handler.nextEvent();
                if (!event) {
                    replyStatus(res, 500, "Runtime.ShuttingDown", "execution environment is shutting down");
                    return;
                }
                res.status = 200;
                res.set_header("Lambda-Runtime-Aws-Request-Id", event->requestId);
                res.set_header("Lambda-Runtime-Deadline-Ms", std::to_string(event->deadlineMs));
                res.set_header("Lambda-Runtime-Invoked-Function-Arn", event->functionArn);
                res.set_header("Lambda-Runtime-Trace-Id", event->traceId);
                // All six headers always, as the issue's conformance list asks; empty objects
                // when the caller sent no client context (both RIC clients parse "{}").
                res.set_header("Lambda-Runtime-Client-Context",
                               event->clientContext.empty() ? std::string("{}") : event->clientContext);
                res.set_header("Lambda-Runtime-Cognito-Identity", "{}");
                res.set_content(event->payload.empty() ? std::string("{}") : event->payload,
                                "application/json");
            });

    svr.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/response)",
             [this](const httplib::Request &req, httplib::Response &res,
                    const httplib::ContentReader &content) {
                 const std::string id = req.matches[1];
                 // Streaming (Lambda-Runtime-Function-Response-Mode: streaming, chunked): each
                 // chunk goes on as it arrives, to an invoker that takes a stream.
                 std::shared_ptr<ResponseStream> stream;
                 if (req.get_header_value("Lambda-Runtime-Function-Response-Mode") == "streaming")
                     stream = m_handler.responseStream(id);
                 if (stream)
                     stream->begin(req.has_header("Content-Type")
                                       ? req.get_header_value("Content-Type")
                                       : std::string("application/octet-stream"));
                 std::string body;
                 bool tooLarge = false;
                 bool listening = true;
                 const bool complete = content([&](const char *data, std::size_t size) {
                     if (stream) {
                         // A caller that went away takes no more; the runtime still finishes.
                         if (listening)
                             listening = stream->write(std::string(data, size));
                     } else if (body.size() + size > kMaxResponseBytes) {
                         tooLarge = true;
                     } else {
                         body.append(data, size);
                     }
                     return true;
                 });
                 if (!complete)
                     return; // the runtime's connection broke: its exit decides the invocation
                 if (tooLarge) {
                     m_handler.postError(
                         id, "Function.ResponseSizeTooLarge",
                         errorDocument("Function.ResponseSizeTooLarge",
                                       "Response payload size exceeded maximum allowed payload "
                                       "size (6291556 bytes)."));
                     replyStatus(res, 413, "RequestEntityTooLarge", "response too large");
                     return;
                 }
                 if (!m_handler.postResponse(id, std::move(body)))
                     replyStatus(res, 400, "InvalidRequestID", "unknown request id " + id);
                 else
                     replyStatus(res, 202, {}, {});
             });

    svr.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/error)",
             [this](const httplib::Request &req, httplib::Response &res) {
                 const std::string id = req.matches[1];
                 if (!m_handler.postError(id, functionErrorType(req, "Unhandled"), req.body))
                     replyStatus(res, 400, "InvalidRequestID", "unknown request id " + id);
                 else
                     replyStatus(res, 202, {}, {});
             });

    // SnapStart: a snapshot is taken while this call is pending (the microVM guest holds it), so
    // it returns in each environment restored from it; elsewhere there is nothing to wait for.
    svr.Get(std::string(kPrefix) + "/restore/next",
            [](const httplib::Request &, httplib::Response &res) {
                res.status = 200;
                res.set_content("", "application/json");
            });

    // A failed after-restore hook ends the environment as a failed init does.
    svr.Post(std::string(kPrefix) + "/restore/error",
             [this](const httplib::Request &req, httplib::Response &res) {
                 m_handler.postInitError(functionErrorType(req, "Runtime.Unknown"), req.body);
                 replyStatus(res, 202, {}, {});
             });

    if (m_buckets)
        triggers::addS3ObjectRoutes(svr, kObjectApiPath, *m_buckets);

    svr.Post(std::string(kPrefix) + "/init/error",
             [this](const httplib::Request &req, httplib::Response &res) {
                 m_handler.postInitError(functionErrorType(req, "Runtime.Unknown"), req.body);
                 replyStatus(res, 202, {}, {});
             });
}

void RuntimeApiServer::stop()
{
    if (m_thread.joinable()) {
        m_server->stop();
        m_thread.join();
    }
}

} // namespace lambdesk::engine
