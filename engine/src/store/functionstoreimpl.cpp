#include "store/functionstoreimpl.h"

#include "store/configjson.h"

#include <charconv>

namespace fs = std::filesystem;

namespace lambdesk::engine {

using detail::FunctionRow;
using detail::VersionRow;

namespace detail {

StagingDir &StagingDir::operator=(StagingDir &&other) noexcept
{
    if (this != &other) {
        removeTreeQuietly(m_path);
        m_path = std::exchange(other.m_path, {});
    }
    return *this;
}

} // namespace detail

namespace {

constexpr const char *kFunctionColumns =
    "name, config, commit_sha, code_sha256, code_size, revision_id, last_modified_ms, "
    "reserved_concurrency, last_version";
constexpr const char *kVersionColumns =
    "version, config, description, commit_sha, code_sha256, code_size, revision_id, "
    "last_modified_ms";

FunctionRow functionFrom(const detail::Statement &row)
{
    FunctionRow function;
    function.name = row.text(0);
    function.config = detail::configFromJson(row.text(1));
    function.config.name = function.name;
    function.commit = row.text(2);
    function.codeSha256 = row.text(3);
    function.codeSize = row.int64(4);
    function.revisionId = row.text(5);
    function.lastModifiedMs = row.int64(6);
    if (!row.isNull(7))
        function.reservedConcurrency = row.int32(7);
    function.lastVersion = row.int32(8);
    return function;
}

VersionRow versionFrom(const detail::Statement &row)
{
    VersionRow version;
    version.version = row.int32(0);
    version.config = detail::configFromJson(row.text(1));
    version.description = row.text(2);
    version.commit = row.text(3);
    version.codeSha256 = row.text(4);
    version.codeSize = row.int64(5);
    version.revisionId = row.text(6);
    version.lastModifiedMs = row.int64(7);
    return version;
}

std::optional<int> parseVersionNumber(const std::string &qualifier)
{
    int number = 0;
    const char *end = qualifier.data() + qualifier.size();
    const auto [at, error] = std::from_chars(qualifier.data(), end, number);
    if (error != std::errc() || at != end || number <= 0)
        return std::nullopt;
    return number;
}

} // namespace

FunctionStore::Impl::Impl(StoreOptions storeOptions, detail::Database database)
    : options(std::move(storeOptions)),
      functionsDir(options.dataDir / "functions"),
      stagingRoot(options.dataDir / "staging"),
      trashRoot(options.dataDir / "trash"),
      db(std::move(database))
{
}

fs::path FunctionStore::Impl::functionDir(const std::string &name) const
{
    return functionsDir / name;
}

fs::path FunctionStore::Impl::repoDir(const std::string &name) const
{
    return functionDir(name) / "repo.git";
}

fs::path FunctionStore::Impl::treeDir(const std::string &name, const std::string &commit) const
{
    return functionDir(name) / "trees" / commit;
}

std::string FunctionStore::Impl::arn(const std::string &name, const std::string &qualifier) const
{
    return detail::functionArn(options, name, qualifier);
}

Error FunctionStore::Impl::notFound(const std::string &name, const std::string &qualifier) const
{
    return detail::functionNotFound(options, name, qualifier);
}

Error FunctionStore::Impl::revisionMismatch() const
{
    return makeError(ErrorCode::PreconditionFailed,
                     "The Revision Id provided does not match the latest Revision Id. Call the "
                     "GetFunction/GetAlias API to retrieve the latest Revision Id");
}

std::optional<FunctionRow> FunctionStore::Impl::loadFunction(const std::string &name)
{
    static const std::string sql =
        std::string("SELECT ") + kFunctionColumns + " FROM functions WHERE name = ?";
    auto &query = db.cached(sql);
    query.bind(1, name);
    if (!query.step())
        return std::nullopt;
    FunctionRow row = functionFrom(query);
    query.reset(); // a cached statement left on a row would pin a WAL snapshot
    return row;
}

std::optional<VersionRow> FunctionStore::Impl::loadVersion(const std::string &name, int version)
{
    static const std::string sql = std::string("SELECT ") + kVersionColumns
                                   + " FROM versions WHERE function_name = ? AND version = ?";
    auto &query = db.cached(sql);
    query.bind(1, name).bind(2, version);
    if (!query.step())
        return std::nullopt;
    VersionRow row = versionFrom(query);
    query.reset();
    return row;
}

std::vector<VersionRow> FunctionStore::Impl::loadVersions(const std::string &name)
{
    auto query = db.prepare(std::string("SELECT ") + kVersionColumns
                            + " FROM versions WHERE function_name = ? ORDER BY version");
    query.bind(1, name);
    std::vector<VersionRow> versions;
    while (query.step())
        versions.push_back(versionFrom(query));
    return versions;
}

void FunctionStore::Impl::saveFunction(const FunctionRow &row, bool insert)
{
    auto statement = db.prepare(
        insert ? "INSERT INTO functions (config, commit_sha, code_sha256, code_size, revision_id, "
                 "last_modified_ms, reserved_concurrency, last_version, name, created_ms) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
               : "UPDATE functions SET config = ?, commit_sha = ?, code_sha256 = ?, code_size = ?, "
                 "revision_id = ?, last_modified_ms = ?, reserved_concurrency = ?, "
                 "last_version = ? WHERE name = ?");
    statement.bind(1, detail::configToJson(row.config))
        .bind(2, row.commit)
        .bind(3, row.codeSha256)
        .bind(4, row.codeSize)
        .bind(5, row.revisionId)
        .bind(6, row.lastModifiedMs)
        .bind(7, row.reservedConcurrency)
        .bind(8, row.lastVersion)
        .bind(9, row.name);
    if (insert)
        statement.bind(10, row.lastModifiedMs);
    statement.run();
    if (db.changes() != 1)
        throw detail::StoreFailure("function row '" + row.name + "' was not written");
}

StoredFunction FunctionStore::Impl::latestInfo(const FunctionRow &row) const
{
    StoredFunction stored;
    FunctionInfo &info = stored.info;
    info.config = row.config;
    info.functionArn = arn(row.name);
    info.version = "$LATEST";
    info.codeSha256 = row.codeSha256;
    info.codeSize = row.codeSize;
    info.revisionId = row.revisionId;
    info.lastModifiedMs = row.lastModifiedMs;
    info.lastModified = detail::formatLastModified(row.lastModifiedMs);
    info.commit = row.commit;
    info.reservedConcurrency = row.reservedConcurrency;
    if (auto backend = row.config.tags.find("lambdesk:sandbox"); backend != row.config.tags.end())
        info.sandbox = backend->second;
    stored.codeDir = treeDir(row.name, row.commit);
    describeLayers(stored);
    return stored;
}

void FunctionStore::Impl::describeLayers(StoredFunction &stored) const
{
    stored.info.layers.clear();
    stored.layerDirs.clear();
    if (stored.info.config.layers.empty())
        return;
    ResolvedLayers resolved = layers->describe(stored.info.config.layers);
    stored.info.layers = std::move(resolved.layers);
    stored.layerDirs = std::move(resolved.dirs);
}

Result<void> FunctionStore::Impl::checkLayers(const std::vector<std::string> &arns,
                                              std::int64_t codeBytes) const
{
    if (arns.empty())
        return {};
    const auto resolved = layers->attach(arns);
    if (!resolved)
        return resolved.error();
    return detail::checkUnzippedTotal(codeBytes + resolved->unzippedBytes);
}

StoredFunction FunctionStore::Impl::versionInfo(const FunctionRow &row, const VersionRow &version) const
{
    StoredFunction stored = latestInfo(row); // tags and concurrency belong to the function
    FunctionInfo &info = stored.info;
    const auto tags = info.config.tags;
    info.config = version.config;
    info.config.name = row.name;
    info.config.tags = tags;
    if (!version.description.empty())
        info.config.description = version.description;
    info.version = std::to_string(version.version);
    info.functionArn = arn(row.name, info.version);
    info.codeSha256 = version.codeSha256;
    info.codeSize = version.codeSize;
    info.revisionId = version.revisionId;
    info.lastModifiedMs = version.lastModifiedMs;
    info.lastModified = detail::formatLastModified(version.lastModifiedMs);
    info.commit = version.commit;
    stored.codeDir = treeDir(row.name, version.commit);
    describeLayers(stored);
    return stored;
}

Result<StoredFunction> FunctionStore::Impl::resolve(const std::string &name,
                                                    const std::string &qualifier,
                                                    double routingDraw)
{
    const auto row = loadFunction(name);
    if (!row)
        return notFound(name, qualifier == "$LATEST" ? std::string() : qualifier);
    if (qualifier.empty() || qualifier == "$LATEST")
        return latestInfo(*row);
    if (const auto number = parseVersionNumber(qualifier)) {
        const auto version = loadVersion(name, *number);
        if (!version)
            return notFound(name, qualifier);
        return versionInfo(*row, *version);
    }
    const auto alias = loadAlias(name, qualifier);
    if (!alias)
        return notFound(name, qualifier);
    std::string target = alias->config.functionVersion;
    for (const auto &[additional, weight] : alias->config.additionalVersionWeights)
        if (routingDraw < weight)
            target = additional;
    auto resolved = resolve(name, target);
    if (resolved) { // the version that runs, under the name it was invoked by
        resolved->info.functionArn = arn(name, qualifier);
        resolved->alias = alias->config.name;
    }
    return resolved;
}

} // namespace lambdesk::engine
