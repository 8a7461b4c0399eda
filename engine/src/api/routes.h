#pragma once
// One registration function per resource (STYLE.md section 11). Each adds its URIs, exactly as
// the model's requestUri spells them plus the trailing-slash forms older models use, to `server`.
// Handlers call only the Engine facade.

#include "lambdesk/engine/engine.h"

#include <httplib.h>

namespace lambdesk::engine::api {

void registerInvokeRoutes(httplib::Server &server, Engine &engine);      // Invoke (first: hot path)
void registerFunctionRoutes(httplib::Server &server, Engine &engine);    // CRUD + code.zip
void registerVersionRoutes(httplib::Server &server, Engine &engine);     // PublishVersion, List
void registerTagRoutes(httplib::Server &server, Engine &engine);         // Tag/Untag/ListTags
void registerConcurrencyRoutes(httplib::Server &server, Engine &engine); // Put/Get/Delete
void registerAccountRoutes(httplib::Server &server, Engine &engine);     // GetAccountSettings

using RouteHandler = void (*)(Engine &, const httplib::Request &, httplib::Response &);

inline httplib::Server::Handler bindEngine(Engine &engine, RouteHandler handler)
{
    return [&engine, handler](const httplib::Request &req, httplib::Response &res) {
        handler(engine, req, res);
    };
}

// For POST and PUT routes. httplib's plain handlers get bodies it has already interpreted: an
// application/x-www-form-urlencoded body (curl's default) is capped at 8 KB and parsed into query
// parameters. Lambda ignores the content type, so these read the raw body themselves.
httplib::Server::HandlerWithContentReader bindEngineWithBody(Engine &engine, RouteHandler handler);

// The request's own host, for URLs we hand back (GetFunction's Code.Location).
std::string requestBaseUrl(const httplib::Request &req);

} // namespace lambdesk::engine::api
