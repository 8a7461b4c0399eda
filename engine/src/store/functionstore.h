#pragma once
// The function repository, the engine's durable state of functions: metadata (SQLite), code
// history (one git repository per function, libgit2: a deploy is one commit, a published version
// is a tag) and the read-only code trees the sandboxes mount. It opens the data dir, and with it
// the invocation log (invocationlog.h) and the console's state (consolestate.h).
//
// Thread-safe: every method may be called from any thread. Nothing is lost on SIGKILL: each
// change is either fully visible after restart or not at all (git objects first, then one SQLite
// transaction that points at them).

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"
#include "lambdesk/engine/validation.h"
#include "store/storeoptions.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lambdesk::engine {

class ConsoleState;
class InvocationLog;
class ScheduleRuleStore;
class FolderTriggerStore;
class QueueStore;
class EventSourceMappingStore;
class AsyncInvokeStore;
class LayerStore;

struct StoredFunction {
    FunctionInfo info;
    std::filesystem::path codeDir; // extracted tree of info.commit, read-only for sandboxes
    // Extracted trees of info.layers, in order; empty for a version the data dir lost.
    std::vector<std::filesystem::path> layerDirs;
    std::string alias; // the alias the qualifier named; "" for a version or $LATEST
};

// Builds a function's code where it needs building (its sources compiled into what its runtime
// runs) in the staged tree, before the tree is committed; an error leaves the code as it was.
using CodeBuilder =
    std::function<Result<void>(const std::filesystem::path &tree, const FunctionConfig &config)>;

class FunctionStore {
public:
    static Result<std::unique_ptr<FunctionStore>> open(const StoreOptions &options);
    ~FunctionStore();

    // Set once, before the store is used from other threads.
    void setCodeBuilder(CodeBuilder builder);
    FunctionStore(const FunctionStore &) = delete;
    FunctionStore &operator=(const FunctionStore &) = delete;

    // Validates the config (name rules, memory/timeout/storage ranges, env var names) but not
    // whether the runtime exists on this machine: the engine checks that first.
    Result<StoredFunction> create(const FunctionConfig &config, const std::string &zipBytes);
    // qualifier: "" / "$LATEST" / a published version number / an alias. An alias resolves to
    // its version, or to its additional one when routingDraw (in [0, 1)) falls below that
    // version's weight; the function's ARN then keeps the alias.
    Result<StoredFunction> get(const std::string &name, const std::string &qualifier = {},
                               double routingDraw = 1.0);
    std::vector<StoredFunction> list();
    // Removes the function, its versions, repo and trees; with a qualifier only that version.
    Result<void> remove(const std::string &name, const std::string &qualifier = {});

    // Each successful update is one commit and a new RevisionId; a failed one changes nothing.
    Result<StoredFunction> updateCodeZip(const std::string &name, const std::string &zipBytes,
                                         const std::string &expectedRevisionId = {});
    Result<StoredFunction> updateCodeFiles(const std::string &name, const std::vector<CodeFile> &files);
    // UpdateFunctionCode's DryRun: the checks updateCodeZip makes (revision, unzip, limits) and the
    // function as the package would make it, committing nothing.
    Result<StoredFunction> checkCodeZip(const std::string &name, const std::string &zipBytes,
                                        const std::string &expectedRevisionId = {});
    Result<StoredFunction> updateConfig(const std::string &name, const FunctionConfigPatch &patch);
    Result<StoredFunction> setTags(const std::string &name, const std::map<std::string, std::string> &tags);
    Result<StoredFunction> setReservedConcurrency(const std::string &name, std::optional<int> reserved);

    Result<std::vector<CodeFile>> readCode(const std::string &name, const std::string &qualifier = {});
    Result<std::string> codeZip(const std::string &name, const std::string &qualifier = {});

    Result<StoredFunction> publishVersion(const std::string &name, const std::string &description,
                                          const std::string &expectedCodeSha256,
                                          const std::string &expectedRevisionId);
    Result<std::vector<StoredFunction>> listVersions(const std::string &name); // $LATEST first

    // --- aliases (functionaliases.cpp) ---
    Result<AliasInfo> createAlias(const std::string &name, const AliasConfig &alias);
    Result<AliasInfo> getAlias(const std::string &name, const std::string &alias);
    Result<std::vector<AliasInfo>> listAliases(const std::string &name,
                                               const std::string &functionVersion);
    Result<AliasInfo> updateAlias(const std::string &name, const std::string &alias,
                                  const AliasPatch &patch);
    Result<void> deleteAlias(const std::string &name, const std::string &alias); // idempotent

    // --- resource-based policies (functionpolicy.cpp); qualifier "" is the function's own ---
    // Returns the statement added, as JSON.
    Result<std::string> addPermission(const std::string &name, const std::string &qualifier,
                                      const PermissionRequest &request);
    Result<void> removePermission(const std::string &name, const std::string &qualifier,
                                  const std::string &statementId, const std::string &revisionId);
    Result<FunctionPolicy> getPolicy(const std::string &name, const std::string &qualifier);

    // --- function URLs (functionurls.cpp); qualifier "" is the function's own, else an alias.
    // FunctionUrlInfo.functionUrl is left empty: the engine knows where URLs are served. ---
    Result<FunctionUrlInfo> createFunctionUrl(const std::string &name, const std::string &qualifier,
                                              const FunctionUrlSettings &settings);
    Result<FunctionUrlInfo> getFunctionUrl(const std::string &name, const std::string &qualifier);
    Result<FunctionUrlInfo> updateFunctionUrl(const std::string &name, const std::string &qualifier,
                                              const FunctionUrlPatch &patch);
    Result<void> deleteFunctionUrl(const std::string &name, const std::string &qualifier);
    Result<std::vector<FunctionUrlInfo>> listFunctionUrls(const std::string &name);
    std::optional<FunctionUrlInfo> findFunctionUrl(const std::string &urlId);

    // The data dir's other owners, each with its own lock: they open with the store.
    InvocationLog &invocations();
    ConsoleState &consoleState();
    LayerStore &layers();
    ScheduleRuleStore &scheduleRules();
    FolderTriggerStore &folderTriggers();
    QueueStore &queues();
    EventSourceMappingStore &eventSourceMappings();
    AsyncInvokeStore &asyncInvocations();

private:
    struct Impl;
    explicit FunctionStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
