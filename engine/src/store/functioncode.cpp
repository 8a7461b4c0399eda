// Deploys: preparing new code (outside the lock), switching a function to it (inside), reading
// code back, and retiring replaced trees.
#include "common/clock.h"
#include "common/encoding.h"
#include "common/random.h"
#include "store/functionstoreimpl.h"

#include "store/ziparchive.h"

#include <charconv>

namespace fs = std::filesystem;

namespace lambdesk::engine {

using detail::FunctionRow;
using detail::PreparedCode;
using detail::StagingDir;
using detail::TreeEntry;

Result<PreparedCode> FunctionStore::Impl::prepareCode(const fs::path &repo, bool newRepo,
                                                      const std::string &parent,
                                                      detail::CodeInput input,
                                                      const std::string &message,
                                                      const FunctionConfig &config)
{
    fs::create_directories(stagingRoot);
    PreparedCode prepared;
    prepared.staging = StagingDir(stagingRoot / common::newUuid());
    fs::create_directories(prepared.staging.path());
    prepared.tree = prepared.staging.path() / "tree";

    if (input.entries) {
        std::uint64_t total = 0;
        for (const TreeEntry &entry : *input.entries)
            total += entry.content.size();
        if (total > detail::kMaxUnzippedBytes)
            return makeError(ErrorCode::InvalidParameter,
                             "Unzipped size must be smaller than "
                                 + std::to_string(detail::kMaxUnzippedBytes) + " bytes");
        detail::TreeWriter writer(prepared.tree);
        for (const TreeEntry &entry : *input.entries)
            if (auto added = writer.addEntry(entry); !added)
                return added.error();
        if (auto finished = writer.finish(); !finished)
            return finished.error();
        const std::string zip = detail::buildZip(*input.entries);
        prepared.codeSha256 = common::sha256Base64(zip);
        prepared.codeSize = static_cast<std::int64_t>(zip.size());
    } else {
        if (auto extracted = detail::extractZip(input.zipBytes, prepared.tree, detail::kMaxUnzippedBytes);
            !extracted) {
            return extracted.error();
        }
        prepared.codeSha256 = common::sha256Base64(input.zipBytes);
        prepared.codeSize = static_cast<std::int64_t>(input.zipBytes.size());
    }

    if (codeBuilder) {
        if (auto built = codeBuilder(prepared.tree, config); !built)
            return built.error();
        // What the build added counts toward the quota too.
        if (auto fits = detail::checkUnzippedTotal(detail::treeBytes(prepared.tree)); !fits)
            return fits.error();
    }

    const std::string text = message + " " + prepared.codeSha256.substr(0, 12);
    detail::GitRepo git = newRepo ? detail::GitRepo::init(repo) : detail::GitRepo::open(repo);
    prepared.commit = git.commitDirectory(prepared.tree, parent, text, common::epochMillis());
    return prepared;
}

Result<StoredFunction> FunctionStore::Impl::updateCode(const std::string &name, detail::CodeInput input,
                                                       const std::string &expectedRevisionId,
                                                       const std::string &message)
{
    std::string parent;
    std::string revisionBefore;
    FunctionConfig config;
    {
        std::lock_guard lock(mutex);
        const auto row = loadFunction(name);
        if (!row)
            return notFound(name);
        if (!expectedRevisionId.empty() && expectedRevisionId != row->revisionId)
            return revisionMismatch();
        parent = row->commit;
        revisionBefore = row->revisionId;
        config = row->config;
    }

    // The slow part (unzip, hashing, git objects) runs unlocked so invokes are not held up.
    std::optional<Result<PreparedCode>> attempt;
    try {
        attempt.emplace(prepareCode(repoDir(name), false, parent, input, message, config));
    } catch (const std::exception &) {
        // A delete that ran meanwhile took the repository away: report what the caller can act on.
        std::lock_guard lock(mutex);
        if (!loadFunction(name))
            return notFound(name);
        throw;
    }
    auto &prepared = *attempt;
    if (!prepared)
        return prepared.error();
    // Measured before the lock: walking a large tree must not hold up invokes.
    const std::int64_t codeBytes = detail::treeBytes(prepared->tree);

    std::lock_guard lock(mutex);
    auto row = loadFunction(name);
    if (!row)
        return notFound(name);
    if (row->revisionId != revisionBefore) {
        return makeError(ErrorCode::Conflict,
                         "The operation cannot be performed at this time. An update is in "
                         "progress for resource: " + arn(name));
    }
    if (!row->config.layers.empty()) {
        const auto total = codeBytes + layers->describe(row->config.layers).unzippedBytes;
        if (auto fits = detail::checkUnzippedTotal(total); !fits)
            return fits.error();
    }
    const fs::path target = treeDir(name, prepared->commit);
    fs::create_directories(target.parent_path());
    if (fs::exists(fs::symlink_status(target)))
        retire(target); // leftover of an interrupted attempt; nothing references a new commit
    fs::rename(prepared->tree, target);

    const std::string oldCommit = row->commit;
    row->commit = prepared->commit;
    row->codeSha256 = prepared->codeSha256;
    row->codeSize = prepared->codeSize;
    row->revisionId = common::newUuid();
    row->lastModifiedMs = common::epochMillis();
    try {
        detail::Transaction transaction(db);
        saveFunction(*row, false);
        transaction.commit();
    } catch (...) {
        detail::removeTreeQuietly(target);
        throw;
    }
    // From here the deploy has happened; what follows is tidying that open() would redo.
    try {
        detail::GitRepo::open(repoDir(name)).setBranch(row->commit);
        retireTreeIfUnused(name, oldCommit);
        sweepTrash(detail::kRetiredTreeGraceMs);
    } catch (const std::exception &failure) {
        std::fprintf(stderr, "lambdesk store: tidying after deploying %s: %s\n", name.c_str(),
                     failure.what());
    }
    return latestInfo(*row);
}

Result<std::vector<TreeEntry>> FunctionStore::Impl::readEntries(const std::string &name,
                                                                const std::string &qualifier)
{
    std::string commit;
    {
        std::lock_guard lock(mutex);
        auto resolved = resolve(name, qualifier);
        if (!resolved)
            return resolved.error();
        commit = resolved->info.commit;
    }
    return detail::GitRepo::open(repoDir(name)).readTree(commit);
}

bool FunctionStore::Impl::isCommitReferenced(const std::string &name, const std::string &commit)
{
    auto query = db.prepare(
        "SELECT 1 FROM functions WHERE name = ?1 AND commit_sha = ?2 "
        "UNION ALL SELECT 1 FROM versions WHERE function_name = ?1 AND commit_sha = ?2 LIMIT 1");
    query.bind(1, name).bind(2, commit);
    return query.step();
}

void FunctionStore::Impl::retireTreeIfUnused(const std::string &name, const std::string &commit)
{
    const fs::path tree = treeDir(name, commit);
    if (!isCommitReferenced(name, commit) && fs::exists(fs::symlink_status(tree)))
        retire(tree);
}

void FunctionStore::Impl::retire(const fs::path &path)
{
    // Sandboxes bind-mount code trees; renaming keeps their mounts working, deleting the files
    // would pull the code from under an invocation that is still running.
    fs::create_directories(trashRoot);
    fs::rename(path, trashRoot / (std::to_string(common::epochMillis()) + "-" + common::newUuid()));
}

void FunctionStore::Impl::sweepTrash(std::int64_t olderThanMs)
{
    std::error_code error;
    if (!fs::exists(trashRoot, error))
        return;
    const std::int64_t now = common::epochMillis();
    for (const fs::directory_entry &entry : fs::directory_iterator(trashRoot)) {
        const std::string name = entry.path().filename().string();
        std::int64_t retiredAt = 0;
        std::from_chars(name.data(), name.data() + name.size(), retiredAt);
        if (olderThanMs <= 0 || now - retiredAt >= olderThanMs)
            detail::removeTreeQuietly(entry.path());
    }
}

Result<StoredFunction> FunctionStore::updateCodeZip(const std::string &name, const std::string &zipBytes,
                                                    const std::string &expectedRevisionId)
{
    return detail::guarded("update function code", [&]() -> Result<StoredFunction> {
        return m_impl->updateCode(name, detail::CodeInput{zipBytes, nullptr}, expectedRevisionId,
                                  "Deploy");
    });
}

Result<StoredFunction> FunctionStore::checkCodeZip(const std::string &name,
                                                   const std::string &zipBytes,
                                                   const std::string &expectedRevisionId)
{
    return detail::guarded("check function code", [&]() -> Result<StoredFunction> {
        auto stored = get(name);
        if (!stored)
            return stored.error();
        if (!expectedRevisionId.empty() && expectedRevisionId != stored->info.revisionId)
            return m_impl->revisionMismatch();
        // Unzipping for real is the only way to find what extractZip refuses (lying headers too).
        fs::create_directories(m_impl->stagingRoot);
        const StagingDir staging(m_impl->stagingRoot / common::newUuid());
        fs::create_directories(staging.path());
        if (auto extracted =
                detail::extractZip(zipBytes, staging.path() / "tree", detail::kMaxUnzippedBytes);
            !extracted) {
            return extracted.error();
        }
        stored->info.codeSha256 = common::sha256Base64(zipBytes);
        stored->info.codeSize = static_cast<std::int64_t>(zipBytes.size());
        return stored;
    });
}

Result<StoredFunction> FunctionStore::updateCodeFiles(const std::string &name,
                                                      const std::vector<CodeFile> &files)
{
    return detail::guarded("update function code", [&]() -> Result<StoredFunction> {
        auto entries = detail::entriesFromCodeFiles(files);
        if (!entries)
            return entries.error();
        return m_impl->updateCode(name, detail::CodeInput{{}, &*entries}, {}, "Update function code");
    });
}

Result<std::vector<CodeFile>> FunctionStore::readCode(const std::string &name, const std::string &qualifier)
{
    return detail::guarded("read function code", [&]() -> Result<std::vector<CodeFile>> {
        auto entries = m_impl->readEntries(name, qualifier);
        if (!entries)
            return entries.error();
        std::vector<CodeFile> files;
        for (TreeEntry &entry : *entries) {
            // The editor has no notion of symlinks; they stay in the repository and in zips.
            if (entry.kind == detail::EntryKind::Symlink)
                continue;
            files.push_back({std::move(entry.path), std::move(entry.content),
                             entry.kind == detail::EntryKind::Executable});
        }
        return files;
    });
}

Result<std::string> FunctionStore::codeZip(const std::string &name, const std::string &qualifier)
{
    return detail::guarded("zip function code", [&]() -> Result<std::string> {
        auto entries = m_impl->readEntries(name, qualifier);
        if (!entries)
            return entries.error();
        return detail::buildZip(std::move(*entries));
    });
}

} // namespace lambdesk::engine
