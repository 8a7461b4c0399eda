// The function URL listener: finds the URL a request names (by Host or by path), answers CORS
// preflights from the URL's configuration, enforces its AuthType, invokes the function with the
// payload format 2.0 event and sends back what the function answered.
#include "lambdesk/engine/functionurlserver.h"

#include "api/httplistener.h"
#include "api/requestauth.h"
#include "api/sigv4.h"
#include "api/urlresponsestream.h"
#include "common/random.h"
#include "core/browserguard.h"
#include "triggers/functionurlevent.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

namespace lambdesk::engine {

namespace {

using triggers::UrlRequest;
using triggers::UrlResponse;

// Room for a 6 MB event once its envelope is added; Invoke's own quota decides past that.
constexpr std::size_t kPayloadMaxLength = std::size_t{8} * 1024 * 1024;
constexpr std::size_t kWorkerThreads = 64;
// httplib parses a multipart body into parts; a URL passes it to the function as it came, so
// the Content-Type is parked here while httplib reads the body.
constexpr const char *kParkedContentType = "X-Lambdesk-Parked-Content-Type";
constexpr const char *kForbidden =
    "Forbidden. For troubleshooting Function URL authorization issues, see: "
    "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";

bool sameName(const std::string &a, const char *b)
{
    return strcasecmp(a.c_str(), b) == 0;
}

// serve() answered this request itself: the error handler leaves its 4xx and 5xx alone (a
// function's own 404 is not httplib's). httplib runs a request on one thread from routing to
// writing; the flag is cleared before routing and after writing.
thread_local bool t_answered = false;

bool isUrlId(const std::string &text)
{
    return text.size() == kFunctionUrlIdLength && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
           });
}

std::string lowercase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Which URL a request names, and its path below the URL: "<id>.lambda-url.localhost" in Host,
// else "/<id>/..." on a loopback Host. Any other Host (a rebound DNS name) names no URL.
struct UrlTarget {
    std::string urlId;
    std::string rawPath;
    bool pathForm = false; // http://127.0.0.1:PORT/<url-id>/...
};

std::optional<UrlTarget> targetOf(const httplib::Request &req)
{
    const auto hostAndPort = splitHostHeader(req.get_header_value("Host"));
    if (!hostAndPort)
        return std::nullopt;
    const std::string host = lowercase(hostAndPort->host);
    const std::string pathOnly = req.target.substr(0, req.target.find('?'));
    const std::string path = pathOnly.empty() ? "/" : pathOnly;
    const std::string domain = kFunctionUrlDomain;
    if (host.ends_with(domain)) {
        const std::string id = host.substr(0, host.size() - domain.size());
        if (isUrlId(id))
            return UrlTarget{id, path, false};
        return std::nullopt;
    }
    if (!isLoopbackHostName(host))
        return std::nullopt;
    const auto slash = path.find('/', 1);
    const std::string id =
        path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    if (!isUrlId(id))
        return std::nullopt;
    return UrlTarget{id, slash == std::string::npos ? "/" : path.substr(slash), true};
}

// The status and headers of `response`; returns its Content-Type, which httplib sets itself.
std::string sendHead(httplib::Response &res, const UrlResponse &response)
{
    t_answered = true;
    res.status = response.status;
    std::string contentType = "application/json";
    for (const auto &[name, value] : response.headers) {
        if (sameName(name, "Content-Type"))
            contentType = value;
        // The framing is httplib's: the function's own would contradict it.
        else if (!sameName(name, "Content-Length") && !sameName(name, "Transfer-Encoding") &&
                 !sameName(name, "Connection") && !sameName(name, "Keep-Alive"))
            res.headers.emplace(name, value); // names and values checked by urlResponseFor
    }
    return contentType;
}

void send(httplib::Response &res, const UrlResponse &response)
{
    res.set_content(response.body, sendHead(res, response));
}

UrlResponse messageResponse(int status, const nlohmann::json &message, const char *errorType)
{
    UrlResponse response{status, {}, nlohmann::json{{"Message", message}}.dump()};
    if (errorType)
        response.headers.emplace_back("x-amzn-ErrorType", errorType);
    return response;
}

// What the caller of a URL gets for an invocation that did not stream.
UrlResponse bufferedResponse(const Result<InvokeResult> &result)
{
    if (!result) {
        switch (result.error().code) {
        case ErrorCode::TooManyRequests:
            return messageResponse(429, "Rate Exceeded.", "TooManyRequestsException");
        case ErrorCode::RequestTooLarge:
            return messageResponse(413, "Request Entity Too Large", nullptr);
        default:
            return triggers::functionErrorResponse();
        }
    }
    if (result->functionError)
        return triggers::functionErrorResponse();
    return triggers::urlResponseFor(result->payload);
}

void sendMessage(httplib::Response &res, int status, const nlohmann::json &message,
                 const char *errorType = nullptr)
{
    send(res, messageResponse(status, message, errorType));
}

// A request a web page made (fetch, a form, a link): the path form puts every URL on the one
// origin http://127.0.0.1:PORT, where URL A's page could read URL B's answers and cookies.
bool isFromWebPage(const httplib::Request &req)
{
    const std::string site = req.get_header_value("Sec-Fetch-Site");
    return req.has_header("Origin") || (!site.empty() && site != "none");
}

UrlRequest urlRequestOf(const httplib::Request &req, const UrlTarget &target)
{
    UrlRequest request;
    request.method = req.method;
    request.rawPath = target.rawPath;
    if (const auto query = req.target.find('?'); query != std::string::npos)
        request.rawQueryString = req.target.substr(query + 1);
    for (const auto &[name, value] : req.headers) {
        if (sameName(name, kParkedContentType))
            request.headers.emplace_back("Content-Type", value);
        else if (!sameName(name, "REMOTE_ADDR") && !sameName(name, "REMOTE_PORT") &&
                 !sameName(name, "LOCAL_ADDR") && !sameName(name, "LOCAL_PORT"))
            request.headers.emplace_back(name, value);
    }
    request.body = req.body;
    request.sourceIp = req.remote_addr;
    return request;
}

} // namespace

struct FunctionUrlServer::Impl {
    Impl(Engine &engine, ApiAccess access)
        : engine(engine), authenticator(std::move(access)),
          listener(kWorkerThreads, kPayloadMaxLength)
    {
        configure();
    }

    void configure();
    void serve(const httplib::Request &req, httplib::Response &res);
    void serveStreaming(InvokeRequest invoke, const UrlRequest &request,
                        const FunctionUrlCors *cors, httplib::Response &res);
    // The URL's AuthType: false when the request may go on, else the refusal is sent.
    bool refused(const FunctionUrlAccess &access, const httplib::Request &req,
                 httplib::Response &res) const;

    Engine &engine;
    api::RequestAuthenticator authenticator;
    api::HttpListener listener;
    int port = 0;
};

void FunctionUrlServer::Impl::configure()
{
    httplib::Server &server = listener.server();
    server.set_pre_routing_handler([](const httplib::Request &req, httplib::Response &) {
        t_answered = false;
        // httplib (0.11) hands handlers a const Request, but the object is a non-const local of
        // its own: what it would do on its own with these two is not what a URL does.
        auto &request = const_cast<httplib::Request &>(req);
        request.headers.erase(kParkedContentType); // only ever ours
        if (req.is_multipart_form_data()) {
            const std::string type = req.get_header_value("Content-Type");
            request.headers.erase("Content-Type");
            request.headers.emplace(kParkedContentType, type);
        }
        // A Range header is the function's to honour; httplib would cut the answer itself.
        request.ranges.clear();
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request &, httplib::Response &res) {
            if (t_answered)
                return httplib::Server::HandlerResponse::Unhandled;
            sendMessage(res, res.status,
                        res.status == 413 ? "Request Entity Too Large" : "Bad Request");
            return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler(
        [](const httplib::Request &, httplib::Response &res, const std::exception_ptr &) {
            sendMessage(res, 500, "Internal Server Error");
        });
    // Runs once the response is written: the next request on this thread starts unanswered, even
    // one httplib refuses before routing.
    server.set_logger(
        [](const httplib::Request &, const httplib::Response &) { t_answered = false; });
    const auto plain = [this](const httplib::Request &req, httplib::Response &res) {
        serve(req, res);
    };
    const auto withBody = [this](const httplib::Request &req, httplib::Response &res,
                                 const httplib::ContentReader &reader) {
        httplib::Request full = req;
        if (!reader([&full](const char *data, std::size_t size) {
                full.body.append(data, size);
                return true;
            }))
            return; // httplib set 413 past the limit; the error handler words it
        serve(full, res);
    };
    const char *any = ".*";
    server.Get(any, plain); // and HEAD
    server.Options(any, plain);
    server.Post(any, withBody);
    server.Put(any, withBody);
    server.Patch(any, withBody);
    server.Delete(any, withBody);
}

bool FunctionUrlServer::Impl::refused(const FunctionUrlAccess &access, const httplib::Request &req,
                                      httplib::Response &res) const
{
    if (access.url.settings.authType == kUrlAuthNone) {
        if (access.publicAccessAllowed)
            return false;
        sendMessage(res, 403, kForbidden, "AccessDeniedException");
        return true;
    }
    auto refusal = authenticator.checkSignatureHeaders(req);
    if (!refusal)
        refusal = authenticator.checkSignature(req);
    if (!refusal)
        return false;
    // AWS's words, and which check failed: a developer signing by hand needs to know.
    sendMessage(res, 403, std::string(kForbidden) + " (" + refusal->message + ")",
                "AccessDeniedException");
    return true;
}

void FunctionUrlServer::Impl::serve(const httplib::Request &req, httplib::Response &res)
{
    const std::string requestId = common::newUuid();
    res.set_header("x-amzn-RequestId", requestId);
    const auto target = targetOf(req);
    auto access = target ? engine.functionUrlAccess(target->urlId)
                         : Result<FunctionUrlAccess>(makeError(ErrorCode::NotFound, ""));
    if (!access) // as Lambda answers a URL id it does not know
        return sendMessage(res, 403, nullptr, "AccessDeniedException");
    if (target->pathForm && isFromWebPage(req))
        return sendMessage(res, 403,
                           "Browsers share one origin across every URL's path form: call "
                           "http://" +
                               target->urlId + kFunctionUrlDomain + ":" + std::to_string(port) +
                               "/ instead",
                           "AccessDeniedException");
    const FunctionUrlInfo &url = access->url;
    const UrlRequest request = urlRequestOf(req, *target);
    // A Cors that allows no origin (what clearing the console's form leaves) is no CORS at all:
    // the function's own headers, and its OPTIONS handler, stay in charge.
    const bool corsOn = url.settings.cors && !url.settings.cors->allowOrigins.empty();
    if (corsOn && triggers::isPreflight(request))
        return send(res, triggers::preflightResponse(*url.settings.cors, request));
    if (refused(*access, req, res))
        return;

    triggers::UrlEventContext context;
    context.accountId = engine.options().accountId;
    context.urlId = url.urlId;
    context.domainName = url.urlId + kFunctionUrlDomain;
    context.requestId = requestId;
    context.traceId = "Root=1-" + common::randomHex(4) + "-" + common::randomHex(12);
    context.timeEpochMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    context.listenerPort = port;
    if (url.settings.authType == kUrlAuthIam)
        if (const auto header =
                api::sigv4::parseAuthorization(req.get_header_value("Authorization")).header)
            context.caller = triggers::IamCaller{header->accessKeyId, context.accountId};

    InvokeRequest invoke;
    invoke.functionName = url.functionName;
    invoke.qualifier = url.qualifier;
    invoke.payload = triggers::urlEvent(request, context);
    invoke.source = std::string(kInvocationSourceFunctionUrl);
    res.set_header("X-Amzn-Trace-Id", context.traceId);
    const FunctionUrlCors *cors = corsOn ? &*url.settings.cors : nullptr;
    if (url.settings.invokeMode == kInvokeModeStream)
        return serveStreaming(std::move(invoke), request, cors, res);
    UrlResponse response = bufferedResponse(engine.invoke(invoke));
    if (cors)
        triggers::applyCors(*cors, request, response);
    send(res, response);
}

void FunctionUrlServer::Impl::serveStreaming(InvokeRequest invoke, const UrlRequest &request,
                                             const FunctionUrlCors *cors, httplib::Response &res)
{
    // The invocation runs beside this thread, which answers as soon as the head is known and
    // then passes on each chunk as the runtime sends it.
    struct Call {
        std::thread thread;
        Result<InvokeResult> result = makeError(ErrorCode::ServiceError, "not run");
    };
    auto relay = std::make_shared<api::UrlResponseStream>();
    auto call = std::make_shared<Call>();
    invoke.stream = relay;
    call->thread = std::thread([this, invoke = std::move(invoke), relay, state = call.get()] {
        state->result = engine.invoke(invoke);
        relay->finish();
    });
    if (!relay->waitForHead()) { // the function did not stream: its answer, as BUFFERED gives it
        call->thread.join();
        UrlResponse response = bufferedResponse(call->result);
        if (cors)
            triggers::applyCors(*cors, request, response);
        return send(res, response);
    }
    UrlResponse head = relay->head();
    if (cors)
        triggers::applyCors(*cors, request, head);
    const std::string contentType = sendHead(res, head);
    res.set_chunked_content_provider(
        contentType,
        [relay](std::size_t, httplib::DataSink &sink) {
            if (const auto chunk = relay->next()) {
                if (sink.write(chunk->data(), chunk->size()))
                    return true;
                relay->cancel(); // the caller went away; the function runs to its end
                return false;
            }
            sink.done();
            return true;
        },
        [relay, call](bool) {
            relay->cancel();
            if (call->thread.joinable())
                call->thread.join();
        });
}

FunctionUrlServer::FunctionUrlServer(Engine &engine, ApiAccess access)
    : m_impl(std::make_unique<Impl>(engine, std::move(access)))
{
}

FunctionUrlServer::~FunctionUrlServer()
{
    stop();
}

Result<int> FunctionUrlServer::start(const std::string &host, int port)
{
    return m_impl->listener.start(host, port, [this](int bound) {
        m_impl->port = bound;
        m_impl->engine.setFunctionUrlPort(bound);
    });
}

void FunctionUrlServer::stop()
{
    // Only a stop that ends serving tells the engine: the destructor's may come after the
    // engine is gone.
    if (m_impl->listener.baseUrl().empty())
        return;
    m_impl->listener.stop();
    m_impl->engine.setFunctionUrlPort(0);
}

std::string FunctionUrlServer::baseUrl() const
{
    return m_impl->listener.baseUrl();
}

} // namespace lambdesk::engine
