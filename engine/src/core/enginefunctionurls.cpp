// The Engine facade's function URL operations; the store owns the configuration rules, this file
// the one rule of serving that depends on other resources: who may call a URL with AuthType NONE.
#include "core/engineimpl.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

namespace lambdesk::engine {

namespace {

using nlohmann::json;

bool isEveryone(const json &principal)
{
    return principal == "*" ||
           (principal.is_object() && principal.contains("AWS") && principal["AWS"] == "*");
}

bool grants(const json &action, const char *wanted)
{
    const auto matches = [wanted](const json &one) {
        return one == wanted || one == "lambda:*" || one == "*";
    };
    if (action.is_array())
        return std::any_of(action.begin(), action.end(), matches);
    return matches(action);
}

// An anonymous caller of a NONE URL can satisfy only the conditions about the URL itself.
bool conditionsHoldForPublicCall(const json &statement)
{
    if (!statement.contains("Condition"))
        return true;
    const json &condition = statement["Condition"];
    if (!condition.is_object())
        return false;
    for (const auto &[test, keys] : condition.items()) {
        if (!keys.is_object())
            return false;
        for (const auto &[key, value] : keys.items()) {
            const bool urlAuthNone = test == "StringEquals" &&
                                     key == "lambda:FunctionUrlAuthType" && value == kUrlAuthNone;
            const bool viaUrl =
                test == "Bool" && key == "lambda:InvokedViaFunctionUrl" && value == "true";
            if (!urlAuthNone && !viaUrl)
                return false;
        }
    }
    return true;
}

const json &member(const json &object, const char *key)
{
    static const json absent;
    return object.is_object() && object.contains(key) ? object[key] : absent;
}

// Whether the policy document lets anyone invoke through the URL: since October 2025 Lambda wants
// both lambda:InvokeFunctionUrl and lambda:InvokeFunction granted to everyone.
bool allowsPublicUrlInvoke(const std::string &policyDocument)
{
    const json document = json::parse(policyDocument, nullptr, false);
    const json &statements = member(document, "Statement");
    if (!statements.is_array())
        return false;
    const auto grantedToEveryone = [&statements](const char *action) {
        return std::any_of(statements.begin(), statements.end(), [action](const json &statement) {
            return member(statement, "Effect") == "Allow" &&
                   isEveryone(member(statement, "Principal")) &&
                   grants(member(statement, "Action"), action) &&
                   conditionsHoldForPublicCall(statement);
        });
    };
    return grantedToEveryone("lambda:InvokeFunctionUrl") &&
           grantedToEveryone("lambda:InvokeFunction");
}

// The two statements the console adds for a public URL.
std::vector<PermissionRequest> publicAccessStatements()
{
    PermissionRequest url;
    url.statementId = "FunctionURLAllowPublicAccess";
    url.action = "lambda:InvokeFunctionUrl";
    url.principal = "*";
    url.functionUrlAuthType = kUrlAuthNone;
    PermissionRequest invoke;
    invoke.statementId = "FunctionURLAllowInvokeAction";
    invoke.action = "lambda:InvokeFunction";
    invoke.principal = "*";
    invoke.invokedViaFunctionUrl = true;
    return {url, invoke};
}

template <class Operation>
auto onTarget(const std::string &functionName, const std::string &qualifier, Operation &&operation)
    -> decltype(operation(FunctionRef{}))
{
    const auto target = qualifiedRef(functionName, qualifier);
    if (!target)
        return target.error();
    return operation(*target);
}

} // namespace

void Engine::Impl::decorate(FunctionUrlInfo &url) const
{
    // Without a listener (the app's --listen off) the URL names no port: nothing serves it.
    const int port = functionUrlPort.load();
    url.functionUrl = "http://" + url.urlId + kFunctionUrlDomain +
                      (port > 0 ? ":" + std::to_string(port) : std::string()) + "/";
}

Result<FunctionUrlInfo> Engine::Impl::decorated(Result<FunctionUrlInfo> url) const
{
    if (url)
        decorate(*url);
    return url;
}

Result<FunctionUrlInfo> Engine::createFunctionUrl(const std::string &functionName,
                                                  const std::string &qualifier,
                                                  const FunctionUrlSettings &settings)
{
    return onTarget(functionName, qualifier, [&](const FunctionRef &target) {
        return m_impl->decorated(
            m_impl->store->createFunctionUrl(target.name, target.qualifier, settings));
    });
}

Result<FunctionUrlInfo> Engine::getFunctionUrl(const std::string &functionName,
                                               const std::string &qualifier)
{
    return onTarget(functionName, qualifier, [&](const FunctionRef &target) {
        return m_impl->decorated(m_impl->store->getFunctionUrl(target.name, target.qualifier));
    });
}

Result<FunctionUrlInfo> Engine::updateFunctionUrl(const std::string &functionName,
                                                  const std::string &qualifier,
                                                  const FunctionUrlPatch &patch)
{
    return onTarget(functionName, qualifier, [&](const FunctionRef &target) {
        return m_impl->decorated(
            m_impl->store->updateFunctionUrl(target.name, target.qualifier, patch));
    });
}

Result<void> Engine::deleteFunctionUrl(const std::string &functionName,
                                       const std::string &qualifier)
{
    return onTarget(functionName, qualifier, [&](const FunctionRef &target) {
        return m_impl->store->deleteFunctionUrl(target.name, target.qualifier);
    });
}

Result<std::vector<FunctionUrlInfo>> Engine::listFunctionUrls(const std::string &functionName)
{
    return onTarget(functionName, {}, [&](const FunctionRef &target) {
        auto urls = m_impl->store->listFunctionUrls(target.name);
        if (urls)
            for (auto &url : *urls)
                m_impl->decorate(url);
        return urls;
    });
}

Result<FunctionUrlAccess> Engine::functionUrlAccess(const std::string &urlId)
{
    auto url = m_impl->store->findFunctionUrl(urlId);
    if (!url)
        return makeError(ErrorCode::NotFound, "No function URL has the id " + urlId);
    m_impl->decorate(*url);
    FunctionUrlAccess access{*url, false};
    if (const auto policy = m_impl->store->getPolicy(url->functionName, url->qualifier))
        access.publicAccessAllowed = allowsPublicUrlInvoke(policy->policy);
    return access;
}

Result<void> Engine::grantPublicFunctionUrlAccess(const std::string &functionName,
                                                  const std::string &qualifier)
{
    const auto target = qualifiedRef(functionName, qualifier);
    if (!target)
        return target.error();
    const auto isPublic = [&] {
        const auto policy = m_impl->store->getPolicy(target->name, target->qualifier);
        return policy && allowsPublicUrlInvoke(policy->policy);
    };
    if (isPublic())
        return {};
    for (const PermissionRequest &statement : publicAccessStatements()) {
        auto added = m_impl->store->addPermission(target->name, target->qualifier, statement);
        if (!added && added.error().code != ErrorCode::Conflict)
            return added.error();
    }
    if (!isPublic())
        return makeError(ErrorCode::Conflict,
                         "The policy's statements FunctionURLAllowPublicAccess and "
                         "FunctionURLAllowInvokeAction do not grant public access; remove them, "
                         "then save again.");
    return {};
}

void Engine::setFunctionUrlPort(int port)
{
    m_impl->functionUrlPort = port;
}

} // namespace lambdesk::engine
