// Published versions: a git tag "v<N>" on the code commit plus a row snapshotting the
// configuration. Numbers only grow (functions.last_version), even after a version is deleted.
#include "common/clock.h"
#include "common/random.h"
#include "store/functionstoreimpl.h"

#include "store/configjson.h"

namespace lambdesk::engine {

using detail::VersionRow;

namespace {

// What makes two publishes "the same version": code and configuration, not tags (they belong
// to the function, not to a version).
std::string publishedState(FunctionConfig config)
{
    config.tags.clear();
    return detail::configToJson(config);
}

} // namespace

Result<StoredFunction> FunctionStore::publishVersion(const std::string &name, const std::string &description,
                                                     const std::string &expectedCodeSha256,
                                                     const std::string &expectedRevisionId)
{
    return detail::guarded("publish version", [&]() -> Result<StoredFunction> {
        if (description.size() > 256)
            return makeError(ErrorCode::InvalidParameter,
                             "1 validation error detected: Value '" + description
                                 + "' at 'description' failed to satisfy constraint: Member must "
                                   "have length less than or equal to 256");
        std::lock_guard lock(m_impl->mutex);
        auto row = m_impl->loadFunction(name);
        if (!row)
            return m_impl->notFound(name);
        if (!expectedRevisionId.empty() && expectedRevisionId != row->revisionId)
            return m_impl->revisionMismatch();
        if (!expectedCodeSha256.empty() && expectedCodeSha256 != row->codeSha256)
            return makeError(ErrorCode::InvalidParameter,
                             "CodeSHA256 (" + expectedCodeSha256
                                 + ") is different from current CodeSHA256 in $LATEST ("
                                 + row->codeSha256 + "). Please try again.");

        // Lambda does not publish again when nothing changed since the last version.
        if (row->lastVersion > 0) {
            const auto last = m_impl->loadVersion(name, row->lastVersion);
            if (last && last->codeSha256 == row->codeSha256
                && publishedState(last->config) == publishedState(row->config)) {
                return m_impl->versionInfo(*row, *last);
            }
        }

        VersionRow version;
        version.version = row->lastVersion + 1;
        version.config = row->config;
        version.description = description;
        version.commit = row->commit;
        version.codeSha256 = row->codeSha256;
        version.codeSize = row->codeSize;
        version.revisionId = common::newUuid();
        version.lastModifiedMs = common::epochMillis();
        detail::GitRepo::open(m_impl->repoDir(name))
            .tag(detail::versionTag(version.version), version.commit, description,
                 version.lastModifiedMs);

        row->lastVersion = version.version;
        detail::Transaction transaction(m_impl->db);
        m_impl->db
            .prepare("INSERT INTO versions (function_name, version, config, description, "
                     "commit_sha, code_sha256, code_size, revision_id, last_modified_ms) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, name)
            .bind(2, version.version)
            .bind(3, detail::configToJson(version.config))
            .bind(4, version.description)
            .bind(5, version.commit)
            .bind(6, version.codeSha256)
            .bind(7, version.codeSize)
            .bind(8, version.revisionId)
            .bind(9, version.lastModifiedMs)
            .run();
        m_impl->saveFunction(*row, false);
        transaction.commit();
        return m_impl->versionInfo(*row, version);
    });
}

Result<std::vector<StoredFunction>> FunctionStore::listVersions(const std::string &name)
{
    return detail::guarded("list versions", [&]() -> Result<std::vector<StoredFunction>> {
        std::lock_guard lock(m_impl->mutex);
        const auto row = m_impl->loadFunction(name);
        if (!row)
            return m_impl->notFound(name);
        std::vector<StoredFunction> versions{m_impl->latestInfo(*row)};
        for (const VersionRow &version : m_impl->loadVersions(name))
            versions.push_back(m_impl->versionInfo(*row, version));
        return versions;
    });
}

} // namespace lambdesk::engine
