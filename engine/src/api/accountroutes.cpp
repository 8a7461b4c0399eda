// GetAccountSettings (/2016-08-19/account-settings): Lambda's quotas and this engine's usage.

#include "api/httpexchange.h"
#include "api/routes.h"

namespace lambdesk::engine::api {

namespace {

constexpr const char *kAccountSettings = R"(/2016-08-19/account-settings/?)";

Result<Reply> getAccountSettings(Engine &engine, const httplib::Request &)
{
    const AccountSettings settings = engine.accountSettings();
    const nlohmann::json out = {
        {"AccountLimit",
         {{"TotalCodeSize", settings.totalCodeSizeLimit},
          {"CodeSizeUnzipped", settings.codeSizeUnzippedLimit},
          {"CodeSizeZipped", settings.codeSizeZippedLimit},
          {"ConcurrentExecutions", settings.concurrentExecutions},
          {"UnreservedConcurrentExecutions", settings.unreservedConcurrentExecutions}}},
        {"AccountUsage",
         {{"TotalCodeSize", settings.totalCodeSize}, {"FunctionCount", settings.functionCount}}},
    };
    return jsonReply(200, out);
}

} // namespace

void registerAccountRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Get(kAccountSettings, bindEngine(context, getAccountSettings));
}

} // namespace lambdesk::engine::api
