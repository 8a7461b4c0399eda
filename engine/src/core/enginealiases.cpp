// The Engine facade's alias operations, and the draw that splits an alias's invocations.
#include "core/engineimpl.h"

namespace lambdesk::engine {

double Engine::Impl::routingDraw()
{
    std::lock_guard lock(routingMutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(routing);
}

namespace {

// The function part of a FunctionName (name or ARN); aliases take no qualifier in it.
Result<std::string> functionNameOf(const std::string &functionName)
{
    auto parsed = parseFunctionRef(functionName);
    if (!parsed)
        return parsed.error();
    return parsed->name;
}

} // namespace

Result<AliasInfo> Engine::createAlias(const std::string &functionName, const AliasConfig &alias)
{
    const auto name = functionNameOf(functionName);
    if (!name)
        return name.error();
    return m_impl->store->createAlias(*name, alias);
}

Result<AliasInfo> Engine::getAlias(const std::string &functionName, const std::string &aliasName)
{
    const auto name = functionNameOf(functionName);
    if (!name)
        return name.error();
    return m_impl->store->getAlias(*name, aliasName);
}

Result<std::vector<AliasInfo>> Engine::listAliases(const std::string &functionName,
                                                   const std::string &functionVersion)
{
    const auto name = functionNameOf(functionName);
    if (!name)
        return name.error();
    return m_impl->store->listAliases(*name, functionVersion);
}

Result<AliasInfo> Engine::updateAlias(const std::string &functionName, const std::string &aliasName,
                                      const AliasPatch &patch)
{
    const auto name = functionNameOf(functionName);
    if (!name)
        return name.error();
    auto updated = m_impl->store->updateAlias(*name, aliasName, patch);
    return updated;
}

Result<void> Engine::deleteAlias(const std::string &functionName, const std::string &aliasName)
{
    const auto name = functionNameOf(functionName);
    if (!name)
        return name.error();
    auto deleted = m_impl->store->deleteAlias(*name, aliasName);
    if (deleted) // an alias made again under this name starts without the old one's settings
        (void)m_impl->store->asyncInvocations().removeConfig(*name, aliasName);
    return deleted;
}

} // namespace lambdesk::engine
