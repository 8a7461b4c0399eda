// AddPermission, RemovePermission, GetPolicy
// (/2015-03-31/functions/{FunctionName}/policy[/{StatementId}]).

#include "api/bodyreader.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/routes.h"

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kPolicy = R"(/2015-03-31/functions/([^/]+)/policy/?)";
constexpr const char *kStatement = R"(/2015-03-31/functions/([^/]+)/policy/([^/]+)/?)";

Result<Reply> addPermission(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Namespaced, QualifierUse::Accepted);
    if (!request)
        return request.error();
    BodyReader reader(request->body);
    const auto statementId = reader.string("StatementId");
    const auto action = reader.string("Action");
    const auto principal = reader.string("Principal");
    PermissionRequest permission;
    permission.sourceArn = reader.string("SourceArn").value_or("");
    permission.sourceAccount = reader.string("SourceAccount").value_or("");
    permission.eventSourceToken = reader.string("EventSourceToken").value_or("");
    permission.revisionId = reader.string("RevisionId").value_or("");
    permission.principalOrgId = reader.string("PrincipalOrgID").value_or("");
    permission.functionUrlAuthType = reader.string("FunctionUrlAuthType").value_or("");
    permission.invokedViaFunctionUrl = reader.boolean("InvokedViaFunctionUrl").value_or(false);
    if (auto failure = reader.failure())
        return *failure;
    if (!statementId)
        return validationError("null", "statementId", "Member must not be null");
    if (!action)
        return validationError("null", "action", "Member must not be null");
    if (!principal)
        return validationError("null", "principal", "Member must not be null");
    permission.statementId = *statementId;
    permission.action = *action;
    permission.principal = *principal;
    return jsonResult(engine.addPermission(request->ref.name, request->ref.qualifier, permission),
                      201, [](const std::string &statement) {
                          return json{{"Statement", statement}};
                      });
}

Result<Reply> removePermission(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return emptyResult(engine.removePermission(ref->name, ref->qualifier, req.matches[2].str(),
                                               req.get_param_value("RevisionId")),
                       204);
}

Result<Reply> getPolicy(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return jsonResult(engine.getPolicy(ref->name, ref->qualifier), 200,
                      [](const FunctionPolicy &policy) {
                          return json{{"Policy", policy.policy}, {"RevisionId", policy.revisionId}};
                      });
}

} // namespace

void registerPolicyRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kPolicy, bindEngineWithBody(context, addPermission));
    server.Get(kPolicy, bindEngine(context, getPolicy));
    server.Delete(kStatement, bindEngine(context, removePermission));
}

} // namespace lambdesk::engine::api
