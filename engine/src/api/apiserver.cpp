#include "lambdesk/engine/apiserver.h"
#include "common/random.h"

#include "api/httpexchange.h"
#include "api/httplistener.h"
#include "api/routes.h"

#include <httplib.h>

namespace lambdesk::engine {

namespace {

// Above the 6 MB Invoke quota and a 50 MB zip in base64, so that our handlers (not httplib)
// answer oversized requests with a Lambda-shaped 413.
constexpr std::size_t kPayloadMaxLength = std::size_t{80} * 1024 * 1024;
// Each connection holds a worker while it runs an invocation; concurrent invocations beyond
// this wait in httplib's queue.
constexpr std::size_t kWorkerThreads = 64;

// What a status httplib chose itself means, in Lambda's terms.
Error httpErrorOf(const httplib::Request &req, int status)
{
    switch (status) {
    case 404:
        return makeError(ErrorCode::UnknownOperation,
                         "No Lambda operation matches " + req.method + " " + req.path);
    case 413:
        return makeError(ErrorCode::RequestTooLarge, "Request must be smaller than " +
                                                         std::to_string(kPayloadMaxLength) +
                                                         " bytes");
    case 400:
        if ((req.method == "POST" || req.method == "PUT") && !req.has_header("Content-Length")
            && !req.has_header("Transfer-Encoding")) {
            // httplib cannot tell an empty body from a missing one without a length.
            return makeError(
                ErrorCode::LengthRequired,
                "Content-Length is required (send Content-Length: 0 for an empty body)");
        }
        // httplib's answer to a malformed request or to a method no route takes.
        return makeError(ErrorCode::InvalidRequestContent,
                         "Bad request: " + (req.method.empty() ? std::string("unreadable")
                                                               : req.method + " " + req.path));
    default:
        return makeError(status >= 500 ? ErrorCode::ServiceError : ErrorCode::InvalidRequestContent,
                         "Request failed with HTTP status " + std::to_string(status));
    }
}

// Responses httplib produced itself (no route matched, body over the limit, malformed request)
// become Lambda-shaped errors too. Handler errors already carry x-amzn-ErrorType.
httplib::Server::HandlerResponse lambdaShapedError(const httplib::Request &req,
                                                   httplib::Response &res)
{
    if (!res.has_header(api::kRequestIdHeader))
        res.set_header(api::kRequestIdHeader, common::newUuid());
    if (res.has_header(api::kErrorTypeHeader))
        return httplib::Server::HandlerResponse::Unhandled;
    api::sendError(res, httpErrorOf(req, res.status));
    return httplib::Server::HandlerResponse::Handled;
}

} // namespace

struct ApiServer::Impl {
    Impl(Engine &engine, ApiAccess access)
        : engine(engine), authenticator(std::move(access)), routes{engine, authenticator},
          listener(kWorkerThreads, kPayloadMaxLength)
    {
        configure();
    }

    void configure();

    Engine &engine;
    api::RequestAuthenticator authenticator;
    api::RouteContext routes;
    api::HttpListener listener;
};

void ApiServer::Impl::configure()
{
    httplib::Server &server = listener.server();
    server.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &res) {
        res.set_header(api::kRequestIdHeader, common::newUuid());
        if (auto refusal = authenticator.checkHeaders(req)) {
            api::sendRefusal(req, res, *refusal);
            // The body of a refused request is never read: do not try to reuse the connection.
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(lambdaShapedError));
    server.set_exception_handler(
        [](const httplib::Request &, httplib::Response &res, const std::exception_ptr &exception) {
            std::string what = "unexpected error";
            try {
                if (exception)
                    std::rethrow_exception(exception);
            } catch (const std::exception &error) {
                what = error.what();
            } catch (...) {
            }
            api::sendError(res, makeError(ErrorCode::ServiceError, "Internal error: " + what));
        });

    // Invoke first: httplib tries routes in registration order and Invoke is the hot path.
    api::registerInvokeRoutes(server, routes);
    api::registerFunctionRoutes(server, routes);
    api::registerVersionRoutes(server, routes);
    api::registerTagRoutes(server, routes);
    api::registerConcurrencyRoutes(server, routes);
    api::registerAccountRoutes(server, routes);
    api::registerAliasRoutes(server, routes);
    api::registerLayerRoutes(server, routes);
    api::registerPolicyRoutes(server, routes);
    api::registerEventSourceMappingRoutes(server, routes);
    api::registerEventInvokeConfigRoutes(server, routes);
    api::registerFunctionUrlRoutes(server, routes);
    api::registerJsonProtocolRoutes(server, routes);
}

ApiServer::ApiServer(Engine &engine, ApiAccess access)
    : m_impl(std::make_unique<Impl>(engine, std::move(access)))
{
}

ApiServer::~ApiServer()
{
    stop();
}

Result<int> ApiServer::start(const std::string &host, int port)
{
    return m_impl->listener.start(
        host, port, [this, &host](int bound) { m_impl->authenticator.setListener(host, bound); });
}

void ApiServer::stop()
{
    m_impl->listener.stop();
}

std::string ApiServer::baseUrl() const
{
    return m_impl->listener.baseUrl();
}

namespace api {

namespace {

// The signature covers the body, so it is checked here, once the body is in.
bool signatureRefused(const RouteContext &context, const httplib::Request &req, httplib::Response &res)
{
    auto refusal = context.authenticator.checkSignature(req);
    if (refusal)
        sendRefusal(req, res, *refusal);
    return refusal.has_value();
}

} // namespace

httplib::Server::Handler bindEngine(const RouteContext &context, RouteHandler handler)
{
    return [context, handler](const httplib::Request &req, httplib::Response &res) {
        if (!signatureRefused(context, req, res))
            respond(res, handler(context.engine, req));
    };
}

httplib::Server::HandlerWithContentReader bindBody(const RouteContext &context, BodyHandler handler)
{
    return [context, handler = std::move(handler)](const httplib::Request &req,
                                                   httplib::Response &res,
                                                   const httplib::ContentReader &reader) {
        if (req.is_multipart_form_data()) {
            return sendError(res,
                             makeError(ErrorCode::UnsupportedMediaType,
                                       "multipart/form-data bodies are not supported; send JSON"));
        }
        httplib::Request withBody = req; // matches still point into req.path, alive until we return
        const bool complete = reader([&withBody](const char *data, std::size_t size) {
            withBody.body.append(data, size);
            return true;
        });
        if (!complete) // httplib set the status (413 past the payload limit); the error handler words it
            return;
        if (!signatureRefused(context, withBody, res))
            handler(withBody, res);
    };
}

httplib::Server::HandlerWithContentReader bindEngineWithBody(const RouteContext &context,
                                                             RouteHandler handler)
{
    return bindBody(context, [&engine = context.engine, handler](const httplib::Request &req,
                                                                 httplib::Response &res) {
        respond(res, handler(engine, req));
    });
}

std::string requestBaseUrl(const httplib::Request &req)
{
    const std::string host = req.get_header_value("Host");
    return "http://" + (host.empty() ? std::string("127.0.0.1") : host);
}

} // namespace api

} // namespace lambdesk::engine
