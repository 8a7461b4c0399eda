// The Engine facade's function URL operations; the store owns the configuration rules, this file
// the one rule of serving that depends on other resources: who may call a URL with AuthType NONE.
#include "core/engineimpl.h"
#include "core/policyrules.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

namespace lambdesk::engine {

namespace {

using nlohmann::json;

// A statement granting `action` to everyone. (Strings built, not assigned from literals: GCC 12
// warns falsely about operator=(const char *) once inlined here, PR 105651.)
PermissionRequest publicStatement(std::string statementId, std::string action)
{
    PermissionRequest statement;
    statement.statementId = std::move(statementId);
    statement.action = std::move(action);
    statement.principal = std::string(1, '*');
    return statement;
}

// The two statements the console adds for a public URL.
std::vector<PermissionRequest> publicAccessStatements()
{
    PermissionRequest url =
        publicStatement("FunctionURLAllowPublicAccess", "lambda:InvokeFunctionUrl");
    url.functionUrlAuthType = std::string(kUrlAuthNone);
    PermissionRequest invoke =
        publicStatement("FunctionURLAllowInvokeAction", "lambda:InvokeFunction");
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
    std::string address = "http://";
    address.append(url.urlId).append(kFunctionUrlDomain);
    if (port > 0)
        address.append(":").append(std::to_string(port));
    address.push_back('/');
    url.functionUrl = std::move(address);
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
