// GetAccountSettings (/2016-08-19/account-settings): Lambda's quotas and this engine's usage.

#include "api/httpexchange.h"
#include "api/routes.h"
#include "lambdesk/engine/validation.h"

#include <algorithm>

namespace lambdesk::engine::api {

namespace {

constexpr const char *kAccountSettings = R"(/2016-08-19/account-settings/?)";

Result<Reply> getAccountSettings(Engine &engine, const httplib::Request &)
{
    const auto functions = engine.listFunctions();
    std::int64_t codeSize = 0;
    int reserved = 0;
    for (const FunctionInfo &function : functions) {
        codeSize += function.codeSize;
        reserved += function.reservedConcurrency.value_or(0);
    }
    const int concurrency = engine.options().accountConcurrency;
    const nlohmann::json out = {
        {"AccountLimit",
         {{"TotalCodeSize", kMaxTotalCodeBytes},
          {"CodeSizeUnzipped", kMaxUnzippedCodeBytes},
          {"CodeSizeZipped", kMaxZippedCodeBytes},
          {"ConcurrentExecutions", concurrency},
          {"UnreservedConcurrentExecutions", std::max(0, concurrency - reserved)}}},
        {"AccountUsage",
         {{"TotalCodeSize", codeSize},
          {"FunctionCount", static_cast<std::int64_t>(functions.size())}}},
    };
    return jsonReply(200, out);
}

} // namespace

void registerAccountRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Get(kAccountSettings, bindEngine(context, getAccountSettings));
}

} // namespace lambdesk::engine::api
