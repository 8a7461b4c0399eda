#pragma once
// FunctionStore's private state, shared by the files that implement it (functionstore.cpp,
// functioncode.cpp, functionversions.cpp, storerecovery.cpp).
//
// Data dir layout:
//   lambdesk.db                          SQLite (WAL): functions, versions, invocations, ...
//   functions/<name>/repo.git            bare git repository, one commit per deploy
//   functions/<name>/trees/<commit>/     extracted code of a commit, mounted at /var/task
//   layers/<name>/<version>/             a layer version's content.zip and tree/ (layerstore.h)
//   staging/<uuid>/                      code being prepared (never referenced by SQLite)
//   trash/<epoch-ms>-<uuid>/             replaced code, deleted after a grace period
//
// Ordering rule for crash safety: git objects and the extracted tree are complete on disk before
// the one SQLite transaction that points a function at them; refs and removals come after. A
// crash at any point leaves either the old or the new state, plus orphans open() removes.

#include "store/asyncinvokestore.h"
#include "store/codetree.h"
#include "store/consolestate.h"
#include "store/database.h"
#include "store/eventsourcemappings.h"
#include "store/foldertriggers.h"
#include "store/functionstore.h"
#include "store/gitrepo.h"
#include "store/invocationlog.h"
#include "store/layerstore.h"
#include "store/queuestore.h"
#include "store/schedulerules.h"
#include "store/storeguard.h"
#include "store/storeutil.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace lambdesk::engine {

namespace detail {

struct FunctionRow {
    std::string name;
    FunctionConfig config;
    std::string commit;
    std::string codeSha256;
    std::int64_t codeSize = 0;
    std::string revisionId;
    std::int64_t lastModifiedMs = 0;
    std::optional<int> reservedConcurrency;
    int lastVersion = 0; // highest number ever published; numbers are never reused
};

struct VersionRow {
    int version = 0;
    FunctionConfig config; // the function's configuration when published
    std::string description; // the version's own description ("" = the function's)
    std::string commit;
    std::string codeSha256;
    std::int64_t codeSize = 0;
    std::string revisionId;
    std::int64_t lastModifiedMs = 0;
};

// A directory this process is building; removed unless ownership is handed over.
class StagingDir {
public:
    StagingDir() = default;
    explicit StagingDir(std::filesystem::path path) : m_path(std::move(path)) {}
    StagingDir(StagingDir &&other) noexcept : m_path(std::exchange(other.m_path, {})) {}
    StagingDir &operator=(StagingDir &&other) noexcept;
    ~StagingDir() { removeTreeQuietly(m_path); }
    const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// New code, complete in git and on disk, not yet referenced by SQLite.
struct PreparedCode {
    StagingDir staging;
    std::filesystem::path tree; // inside staging
    std::string commit;
    std::string codeSha256;
    std::int64_t codeSize = 0;
};

// What a deploy carries: an uploaded zip, or the editor's complete file set.
struct CodeInput {
    std::string_view zipBytes;
    const std::vector<TreeEntry> *entries = nullptr;
};

// The git tag of a published version: "v3".
inline std::string versionTag(int version)
{
    // Appending (rather than "v" + to_string) sidesteps GCC 12's false -Wrestrict (PR 105651).
    std::string tag(1, 'v');
    tag += std::to_string(version);
    return tag;
}

} // namespace detail

struct FunctionStore::Impl {
    Impl(StoreOptions options, detail::Database database);

    StoreOptions options;
    std::filesystem::path functionsDir;
    std::filesystem::path stagingRoot;
    std::filesystem::path trashRoot;
    detail::GitLibrary gitLibrary;
    std::mutex mutex; // guards db and every file under functionsDir and trashRoot
    detail::Database db;
    std::unique_ptr<InvocationLog> invocations;
    std::unique_ptr<ConsoleState> consoleState;
    std::unique_ptr<LayerStore> layers;
    CodeBuilder codeBuilder; // empty: code is stored as it comes
    std::unique_ptr<ScheduleRuleStore> scheduleRules;
    std::unique_ptr<FolderTriggerStore> folderTriggers;
    std::unique_ptr<QueueStore> queues;
    std::unique_ptr<EventSourceMappingStore> eventSourceMappings;
    std::unique_ptr<AsyncInvokeStore> asyncInvocations;

    std::filesystem::path functionDir(const std::string &name) const;
    std::filesystem::path repoDir(const std::string &name) const;
    std::filesystem::path treeDir(const std::string &name, const std::string &commit) const;
    std::string arn(const std::string &name, const std::string &qualifier = {}) const;
    Error notFound(const std::string &name, const std::string &qualifier = {}) const;
    Error revisionMismatch() const;

    // --- rows (caller holds mutex) ---
    std::optional<detail::FunctionRow> loadFunction(const std::string &name);
    std::optional<detail::VersionRow> loadVersion(const std::string &name, int version);
    std::vector<detail::VersionRow> loadVersions(const std::string &name);
    void saveFunction(const detail::FunctionRow &row, bool insert);
    StoredFunction latestInfo(const detail::FunctionRow &row) const;
    StoredFunction versionInfo(const detail::FunctionRow &row, const detail::VersionRow &version) const;
    // Fills info.layers and layerDirs from info.config.layers.
    void describeLayers(StoredFunction &stored) const;
    // The layers a function is about to reference with code of `codeBytes` unzipped: they exist,
    // and code and layers together stay within Lambda's unzipped limit.
    Result<void> checkLayers(const std::vector<std::string> &layers, std::int64_t codeBytes) const;
    // "" / "$LATEST" / a version number / an alias -> the function or that version.
    Result<StoredFunction> resolve(const std::string &name, const std::string &qualifier,
                                   double routingDraw = 1.0);
    std::optional<AliasInfo> loadAlias(const std::string &name, const std::string &alias);
    std::vector<AliasInfo> loadAliases(const std::string &name);
    // A policy's key: "" for the function (and $LATEST), else the version or alias, which must
    // exist.
    Result<std::string> policyQualifier(const std::string &name, const std::string &qualifier);
    void deletePolicy(const std::string &name, const std::string &qualifier); // in a transaction
    // A URL's key: "" or an alias, after the checks every URL operation makes in AWS's order
    // (the qualifier's pattern, the function, the alias).
    Result<std::string> urlQualifier(const std::string &name, const std::string &qualifier);
    std::optional<FunctionUrlInfo> loadUrl(const std::string &name, const std::string &qualifier);
    // urlQualifier's checks, then the URL, or NotFound as GetFunctionUrlConfig words it.
    Result<FunctionUrlInfo> existingUrl(const std::string &name, const std::string &qualifier);
    void deleteFunctionUrl(const std::string &name,
                           const std::string &qualifier); // in a transaction
    // The alias, or the error GetAlias gives: a malformed name, no function, no alias.
    Result<AliasInfo> findAlias(const std::string &name, const std::string &alias);
    // Every version the alias names exists (NotFound naming the first that does not).
    Result<void> checkAliasVersions(const std::string &name, const AliasConfig &alias);

    // --- code on disk (functioncode.cpp) ---
    // Runs without the mutex: extracts or writes the code, commits it on top of `parent`.
    // A tree that needs building (config's runtime, its sources) is built before the commit.
    Result<detail::PreparedCode> prepareCode(const std::filesystem::path &repo, bool newRepo,
                                             const std::string &parent, detail::CodeInput input,
                                             const std::string &message,
                                             const FunctionConfig &config);
    Result<StoredFunction> updateCode(const std::string &name, detail::CodeInput input,
                                      const std::string &expectedRevisionId, const std::string &message);
    Result<std::vector<detail::TreeEntry>> readEntries(const std::string &name, const std::string &qualifier);
    bool isCommitReferenced(const std::string &name, const std::string &commit);
    void retireTreeIfUnused(const std::string &name, const std::string &commit);
    // Moves a directory into trash; a running sandbox keeps its mount of it.
    void retire(const std::filesystem::path &path);
    void sweepTrash(std::int64_t olderThanMs);

    // --- open (storerecovery.cpp) ---
    void createSchema();
    void recover();
    void recoverFunction(const detail::FunctionRow &row);
    void materialiseTree(const std::string &name, const std::string &commit);
};

} // namespace lambdesk::engine
