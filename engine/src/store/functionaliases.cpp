// Aliases: a name for one version of a function (or $LATEST), optionally with a weighted second
// version. Rows in SQLite only; they go with their function (the database cascades), and a version
// an alias names cannot be deleted.
#include "common/random.h"
#include "store/functionstoreimpl.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace lambdesk::engine {

namespace {

bool allDigits(const std::string &text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<void> checkAliasName(const std::string &name)
{
    const bool chars = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
    if (name.empty() || name.size() > 128 || !chars || allDigits(name))
        return constraintError(
            name, "name",
            "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    return {};
}

std::string weightsText(const std::map<std::string, double> &weights)
{
    std::string text = "{";
    for (const auto &[version, weight] : weights)
        text += (text.size() > 1 ? ", " : "") + version + "=" + nlohmann::json(weight).dump();
    return text + "}";
}

// The model's rules and the service's, in the order AWS checks them; existence comes later.
Result<void> checkAliasConfig(const AliasConfig &alias)
{
    if (auto name = checkAliasName(alias.name); !name)
        return name;
    if (alias.functionVersion != "$LATEST" && !allDigits(alias.functionVersion))
        return constraintError(
            alias.functionVersion, "functionVersion",
            "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)");
    if (alias.description.size() > kMaxDescriptionLength)
        return constraintError(alias.description, "description",
                               "Member must have length less than or equal to 256");
    const auto &weights = alias.additionalVersionWeights;
    for (const auto &[version, weight] : weights) {
        if (!allDigits(version))
            return constraintError(
                weightsText(weights), "routingConfig.additionalVersionWeights",
                "Map keys must satisfy constraint: [Member must satisfy regular expression "
                "pattern: [0-9]+]");
        if (!(weight >= 0.0 && weight <= 1.0))
            return constraintError(
                weightsText(weights), "routingConfig.additionalVersionWeights",
                "Map value must satisfy constraint: [Member must have value less than or equal "
                "to 1.0, Member must have value greater than or equal to 0.0]");
    }
    if (weights.size() > 1)
        return makeError(ErrorCode::InvalidParameter,
                         "Number of items in AdditionalVersionWeights cannot be greater than 1");
    if (!weights.empty() && alias.functionVersion == "$LATEST")
        return makeError(ErrorCode::InvalidParameter,
                         "$LATEST is not supported for an alias pointing to more than 1 version");
    if (weights.contains(alias.functionVersion))
        return makeError(ErrorCode::InvalidParameter,
                         "Invalid function version " + alias.functionVersion +
                             ". Function version " + alias.functionVersion +
                             " is already included in routing configuration.");
    return {};
}

// "007" -> "7", as Lambda numbers versions, so an alias protects the version it names however it
// was spelled; a number too large to be any version stays as written and is reported missing.
std::string canonicalVersion(const std::string &version)
{
    std::uint64_t number = 0;
    const auto [end, error] =
        std::from_chars(version.data(), version.data() + version.size(), number);
    if (version == "$LATEST" || error != std::errc() || end != version.data() + version.size())
        return version;
    return std::to_string(number);
}

// The alias as stored: checked, with its versions in canonical form.
Result<AliasConfig> canonicalAlias(AliasConfig alias)
{
    if (auto valid = checkAliasConfig(alias); !valid)
        return valid.error();
    alias.functionVersion = canonicalVersion(alias.functionVersion);
    std::map<std::string, double> weights;
    for (const auto &[version, weight] : alias.additionalVersionWeights)
        weights[canonicalVersion(version)] = weight;
    alias.additionalVersionWeights = std::move(weights);
    if (auto valid = checkAliasConfig(alias); !valid) // "01" and "1" are one version
        return valid.error();
    return alias;
}

} // namespace

std::optional<AliasInfo> FunctionStore::Impl::loadAlias(const std::string &name,
                                                        const std::string &alias)
{
    auto &query =
        db.cached("SELECT name, function_version, description, additional_version_weights, "
                  "revision_id FROM aliases WHERE function_name = ? AND name = ?");
    query.bind(1, name).bind(2, alias);
    std::optional<AliasInfo> found;
    if (query.step()) {
        found.emplace();
        found->config.name = query.text(0);
        found->config.functionVersion = query.text(1);
        found->config.description = query.text(2);
        found->config.additionalVersionWeights =
            nlohmann::json::parse(query.text(3)).get<std::map<std::string, double>>();
        found->revisionId = query.text(4);
        found->aliasArn = arn(name, found->config.name);
    }
    query.reset();
    return found;
}

std::vector<AliasInfo> FunctionStore::Impl::loadAliases(const std::string &name)
{
    std::vector<std::string> names;
    auto query = db.prepare("SELECT name FROM aliases WHERE function_name = ? ORDER BY name");
    query.bind(1, name);
    while (query.step())
        names.push_back(query.text(0));
    std::vector<AliasInfo> aliases;
    for (const std::string &alias : names)
        if (auto found = loadAlias(name, alias))
            aliases.push_back(std::move(*found));
    return aliases;
}

Result<AliasInfo> FunctionStore::Impl::findAlias(const std::string &name, const std::string &alias)
{
    if (auto valid = checkAliasName(alias); !valid)
        return valid.error();
    if (!loadFunction(name))
        return notFound(name);
    auto found = loadAlias(name, alias);
    if (!found)
        return makeError(ErrorCode::NotFound, "Cannot find alias arn: " + arn(name, alias));
    return std::move(*found);
}

Result<void> FunctionStore::Impl::checkAliasVersions(const std::string &name,
                                                     const AliasConfig &alias)
{
    std::vector<std::string> versions{alias.functionVersion};
    for (const auto &[version, weight] : alias.additionalVersionWeights)
        versions.push_back(version);
    for (const std::string &version : versions) {
        if (version == "$LATEST")
            continue;
        int number = 0;
        const auto [end, error] =
            std::from_chars(version.data(), version.data() + version.size(), number);
        if (error != std::errc() || end != version.data() + version.size() ||
            !loadVersion(name, number))
            return notFound(name, version);
    }
    return {};
}

namespace {

void saveAlias(detail::Database &db, const std::string &name, const AliasInfo &alias, bool insert)
{
    detail::Transaction transaction(db);
    db.prepare(
          insert
              ? "INSERT INTO aliases (function_version, description, additional_version_weights, "
                "revision_id, function_name, name) VALUES (?, ?, ?, ?, ?, ?)"
              : "UPDATE aliases SET function_version = ?, description = ?, "
                "additional_version_weights = ?, "
                "revision_id = ? WHERE function_name = ? AND name = ?")
        .bind(1, alias.config.functionVersion)
        .bind(2, alias.config.description)
        .bind(3, nlohmann::json(alias.config.additionalVersionWeights).dump())
        .bind(4, alias.revisionId)
        .bind(5, name)
        .bind(6, alias.config.name)
        .run();
    transaction.commit();
}

} // namespace

Result<AliasInfo> FunctionStore::createAlias(const std::string &name, const AliasConfig &alias)
{
    return detail::guarded("create alias", [&]() -> Result<AliasInfo> {
        auto canonical = canonicalAlias(alias);
        if (!canonical)
            return canonical.error();
        const AliasConfig &config = *canonical;
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(name))
            return m_impl->notFound(name);
        if (m_impl->loadAlias(name, config.name))
            return makeError(ErrorCode::Conflict,
                             "Alias already exists: " + m_impl->arn(name, config.name));
        if (auto exist = m_impl->checkAliasVersions(name, config); !exist)
            return exist.error();
        AliasInfo info{config, m_impl->arn(name, config.name), common::newUuid()};
        saveAlias(m_impl->db, name, info, true);
        return info;
    });
}

Result<AliasInfo> FunctionStore::getAlias(const std::string &name, const std::string &alias)
{
    return detail::guarded("get alias", [&]() -> Result<AliasInfo> {
        std::lock_guard lock(m_impl->mutex);
        auto found = m_impl->findAlias(name, alias);
        if (!found)
            return found.error();
        return found;
    });
}

Result<std::vector<AliasInfo>> FunctionStore::listAliases(const std::string &name,
                                                          const std::string &functionVersion)
{
    return detail::guarded("list aliases", [&]() -> Result<std::vector<AliasInfo>> {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(name))
            return m_impl->notFound(name);
        auto aliases = m_impl->loadAliases(name);
        const std::string version = canonicalVersion(functionVersion);
        if (!functionVersion.empty())
            std::erase_if(aliases, [&](const AliasInfo &alias) {
                return alias.config.functionVersion != version &&
                       !alias.config.additionalVersionWeights.contains(version);
            });
        return aliases;
    });
}

Result<AliasInfo> FunctionStore::updateAlias(const std::string &name, const std::string &alias,
                                             const AliasPatch &patch)
{
    return detail::guarded("update alias", [&]() -> Result<AliasInfo> {
        std::lock_guard lock(m_impl->mutex);
        auto found = m_impl->findAlias(name, alias);
        if (!found)
            return found.error();
        if (!patch.revisionId.empty() && patch.revisionId != found->revisionId)
            return m_impl->revisionMismatch();
        AliasInfo updated = *found;
        if (patch.functionVersion)
            updated.config.functionVersion = *patch.functionVersion;
        if (patch.description)
            updated.config.description = *patch.description;
        if (patch.additionalVersionWeights)
            updated.config.additionalVersionWeights = *patch.additionalVersionWeights;
        auto canonical = canonicalAlias(updated.config);
        if (!canonical)
            return canonical.error();
        updated.config = std::move(*canonical);
        if (auto exist = m_impl->checkAliasVersions(name, updated.config); !exist)
            return exist.error();
        updated.revisionId = common::newUuid();
        saveAlias(m_impl->db, name, updated, false);
        return updated;
    });
}

Result<void> FunctionStore::deleteAlias(const std::string &name, const std::string &alias)
{
    return detail::guarded("delete alias", [&]() -> Result<void> {
        if (auto valid = checkAliasName(alias); !valid)
            return valid.error();
        std::lock_guard lock(m_impl->mutex);
        detail::Transaction transaction(m_impl->db);
        m_impl->db.prepare("DELETE FROM aliases WHERE function_name = ? AND name = ?")
            .bind(1, name)
            .bind(2, alias)
            .run();
        m_impl->deletePolicy(name, alias);
        m_impl->deleteFunctionUrl(name, alias);
        transaction.commit();
        return {};
    });
}

} // namespace lambdesk::engine
