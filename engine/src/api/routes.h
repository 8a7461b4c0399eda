#pragma once
// One registration function per resource (STYLE.md section 11). Each adds its URIs, exactly as
// the model's requestUri spells them plus the trailing-slash forms older models use, to `server`.
// Handlers call only the Engine facade.

#include "api/requestauth.h"
#include "lambdesk/engine/engine.h"

#include <httplib.h>

#include <functional>

namespace lambdesk::engine::api {

// What every route needs: the engine it drives and the authenticator that checks a request's
// signature once its body is read.
struct RouteContext {
    Engine &engine;
    const RequestAuthenticator &authenticator;
};

void registerInvokeRoutes(httplib::Server &server, const RouteContext &context);      // Invoke (first: hot path)
void registerFunctionRoutes(httplib::Server &server, const RouteContext &context);    // CRUD + code.zip
void registerVersionRoutes(httplib::Server &server, const RouteContext &context);     // PublishVersion, List
void registerTagRoutes(httplib::Server &server, const RouteContext &context);         // Tag/Untag/ListTags
void registerConcurrencyRoutes(httplib::Server &server, const RouteContext &context); // Put/Get/Delete
void registerAccountRoutes(httplib::Server &server, const RouteContext &context);     // GetAccountSettings
void registerAliasRoutes(httplib::Server &server,
                         const RouteContext &context); // Create/Get/List/Update/Delete
void registerLayerRoutes(httplib::Server &server, const RouteContext &context); // 2018-10-31/layers
void registerPolicyRoutes(httplib::Server &server,
                          const RouteContext &context); // Add/RemovePermission, GetPolicy
void registerFunctionUrlRoutes(httplib::Server &server,
                               const RouteContext &context); // *FunctionUrlConfig(s)
void registerEventSourceMappingRoutes(httplib::Server &server,
                                      const RouteContext &context); // *EventSourceMapping(s)
void registerEventInvokeConfigRoutes(httplib::Server &server,
                                     const RouteContext &context); // *FunctionEventInvokeConfig(s)
// POST /: EventBridge (AWSEvents.*, JSON 1.1) and SQS (AmazonSQS.*, JSON 1.0, or the query
// protocol's form body).
void registerJsonProtocolRoutes(httplib::Server &server, const RouteContext &context);
// A POST / with a form body and no X-Amz-Target: SQS's query protocol.
bool isQueryRequest(const httplib::Request &req);

// A route reads the request and answers a Reply or an Error; bindEngine* hand that to respond(),
// so every route ends in the one converter.
struct Reply;
using RouteHandler = Result<Reply> (*)(Engine &, const httplib::Request &);

// For routes without a body, and DELETE (httplib has read its body before the handler runs).
httplib::Server::Handler bindEngine(const RouteContext &context, RouteHandler handler);

// For POST and PUT routes. httplib's plain handlers get bodies it has already interpreted: an
// application/x-www-form-urlencoded body (curl's default) is capped at 8 KB and parsed into query
// parameters. Lambda ignores the content type, so these read the raw body themselves.
httplib::Server::HandlerWithContentReader bindEngineWithBody(const RouteContext &context, RouteHandler handler);

// The raw body, read whole and its signature checked, then `handler` writes the response.
using BodyHandler = std::function<void(const httplib::Request &withBody, httplib::Response &res)>;
httplib::Server::HandlerWithContentReader bindBody(const RouteContext &context,
                                                   BodyHandler handler);

// The request's own host, for URLs we hand back (GetFunction's Code.Location).
std::string requestBaseUrl(const httplib::Request &req);

} // namespace lambdesk::engine::api
