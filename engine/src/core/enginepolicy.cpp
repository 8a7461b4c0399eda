// The Engine facade's resource-based policy operations (AddPermission, RemovePermission,
// GetPolicy); the store owns the rules.
#include "core/engineimpl.h"

namespace lambdesk::engine {

Result<FunctionRef> qualifiedRef(const std::string &functionName, const std::string &qualifier)
{
    auto parsed = parseFunctionRef(functionName);
    if (!parsed)
        return parsed.error();
    if (!qualifier.empty())
        parsed->qualifier = qualifier;
    return parsed;
}

Result<std::string> Engine::addPermission(const std::string &functionName,
                                          const std::string &qualifier,
                                          const PermissionRequest &request)
{
    const auto target = qualifiedRef(functionName, qualifier);
    if (!target)
        return target.error();
    return m_impl->store->addPermission(target->name, target->qualifier, request);
}

Result<void> Engine::removePermission(const std::string &functionName, const std::string &qualifier,
                                      const std::string &statementId, const std::string &revisionId)
{
    const auto target = qualifiedRef(functionName, qualifier);
    if (!target)
        return target.error();
    return m_impl->store->removePermission(target->name, target->qualifier, statementId,
                                           revisionId);
}

Result<FunctionPolicy> Engine::getPolicy(const std::string &functionName,
                                         const std::string &qualifier)
{
    const auto target = qualifiedRef(functionName, qualifier);
    if (!target)
        return target.error();
    return m_impl->store->getPolicy(target->name, target->qualifier);
}

} // namespace lambdesk::engine
