// FunctionStore: opening, and the function-level operations (create, read, delete, configure).
// Code updates live in functioncode.cpp, versions in functionversions.cpp.
#include "common/clock.h"
#include "common/random.h"
#include "store/functionstoreimpl.h"

#include <charconv>

namespace fs = std::filesystem;

namespace lambdesk::engine {

using detail::FunctionRow;

FunctionStore::FunctionStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

FunctionStore::~FunctionStore() = default;

void FunctionStore::setCodeBuilder(CodeBuilder builder)
{
    m_impl->codeBuilder = std::move(builder);
}

InvocationLog &FunctionStore::invocations()
{
    return *m_impl->invocations;
}

ConsoleState &FunctionStore::consoleState()
{
    return *m_impl->consoleState;
}

LayerStore &FunctionStore::layers()
{
    return *m_impl->layers;
}

ScheduleRuleStore &FunctionStore::scheduleRules()
{
    return *m_impl->scheduleRules;
}

FolderTriggerStore &FunctionStore::folderTriggers()
{
    return *m_impl->folderTriggers;
}

QueueStore &FunctionStore::queues()
{
    return *m_impl->queues;
}

EventSourceMappingStore &FunctionStore::eventSourceMappings()
{
    return *m_impl->eventSourceMappings;
}

AsyncInvokeStore &FunctionStore::asyncInvocations()
{
    return *m_impl->asyncInvocations;
}

Result<std::unique_ptr<FunctionStore>> FunctionStore::open(const StoreOptions &options)
{
    return detail::guarded("open", [&]() -> Result<std::unique_ptr<FunctionStore>> {
        if (options.dataDir.empty())
            return makeError(ErrorCode::InvalidParameter, "function store: no data directory given");
        fs::create_directories(options.dataDir / "functions");
        auto impl =
            std::make_unique<Impl>(options, detail::Database::open(detail::databasePath(options)));
        std::lock_guard lock(impl->mutex);
        impl->createSchema();
        impl->recover();
        // After the schema exists: they use its tables through connections of their own.
        auto invocations = InvocationLog::open(detail::databasePath(options));
        if (!invocations)
            return invocations.error();
        auto consoleState = ConsoleState::open(options);
        if (!consoleState)
            return consoleState.error();
        auto layers = LayerStore::open(options);
        if (!layers)
            return layers.error();
        impl->invocations = std::move(*invocations);
        impl->consoleState = std::move(*consoleState);
        auto scheduleRules = ScheduleRuleStore::open(detail::databasePath(options));
        if (!scheduleRules)
            return scheduleRules.error();
        impl->layers = std::move(*layers);
        auto folderTriggers = FolderTriggerStore::open(detail::databasePath(options));
        if (!folderTriggers)
            return folderTriggers.error();
        auto queues = QueueStore::open(detail::databasePath(options));
        if (!queues)
            return queues.error();
        impl->scheduleRules = std::move(*scheduleRules);
        impl->folderTriggers = std::move(*folderTriggers);
        impl->queues = std::move(*queues);
        auto mappings = EventSourceMappingStore::open(detail::databasePath(options));
        if (!mappings)
            return mappings.error();
        impl->eventSourceMappings = std::move(*mappings);
        auto asyncInvocations = AsyncInvokeStore::open(detail::databasePath(options));
        if (!asyncInvocations)
            return asyncInvocations.error();
        impl->asyncInvocations = std::move(*asyncInvocations);
        return std::unique_ptr<FunctionStore>(new FunctionStore(std::move(impl)));
    });
}

Result<StoredFunction> FunctionStore::create(const FunctionConfig &config, const std::string &zipBytes)
{
    return detail::guarded("create function", [&]() -> Result<StoredFunction> {
        if (auto valid = validateConfig(config); !valid)
            return valid.error();
        const auto conflict = [&] {
            return makeError(ErrorCode::Conflict, "Function already exist: " + config.name);
        };
        {
            std::lock_guard lock(m_impl->mutex);
            if (m_impl->loadFunction(config.name))
                return conflict();
        }
        // Build the whole function directory in staging (repository and first tree), then move
        // it into place in one rename under the lock.
        fs::create_directories(m_impl->stagingRoot);
        detail::StagingDir staging(m_impl->stagingRoot / common::newUuid());
        fs::create_directories(staging.path());
        auto prepared = m_impl->prepareCode(staging.path() / "repo.git", true, {},
                                            detail::CodeInput{zipBytes, nullptr},
                                            "Create function " + config.name + ": deploy", config);
        if (!prepared)
            return prepared.error();
        if (auto layers = m_impl->checkLayers(config.layers, detail::treeBytes(prepared->tree));
            !layers)
            return layers.error();
        fs::create_directories(staging.path() / "trees");
        fs::rename(prepared->tree, staging.path() / "trees" / prepared->commit);

        std::lock_guard lock(m_impl->mutex);
        if (m_impl->loadFunction(config.name))
            return conflict();
        const fs::path dir = m_impl->functionDir(config.name);
        if (fs::exists(fs::symlink_status(dir)))
            m_impl->retire(dir); // orphan of a create that crashed before its SQLite commit
        fs::rename(staging.path(), dir);

        FunctionRow row;
        row.name = config.name;
        row.config = config;
        row.commit = prepared->commit;
        row.codeSha256 = prepared->codeSha256;
        row.codeSize = prepared->codeSize;
        row.revisionId = common::newUuid();
        row.lastModifiedMs = common::epochMillis();
        try {
            detail::Transaction transaction(m_impl->db);
            m_impl->saveFunction(row, true);
            transaction.commit();
        } catch (...) {
            m_impl->retire(dir);
            throw;
        }
        try {
            detail::GitRepo::open(m_impl->repoDir(row.name)).setBranch(row.commit);
        } catch (const std::exception &failure) {
            std::fprintf(stderr, "lambdesk store: %s: %s\n", row.name.c_str(), failure.what());
        }
        return m_impl->latestInfo(row);
    });
}

Result<StoredFunction> FunctionStore::get(const std::string &name, const std::string &qualifier,
                                          double routingDraw)
{
    return detail::guarded("get function", [&]() -> Result<StoredFunction> {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->resolve(name, qualifier, routingDraw);
    });
}

std::vector<StoredFunction> FunctionStore::list()
{
    auto listed = detail::guarded("list functions", [&]() -> Result<std::vector<StoredFunction>> {
        std::lock_guard lock(m_impl->mutex);
        std::vector<StoredFunction> functions;
        auto query = m_impl->db.prepare("SELECT name FROM functions ORDER BY name");
        while (query.step()) {
            if (auto row = m_impl->loadFunction(query.text(0)))
                functions.push_back(m_impl->latestInfo(*row));
        }
        return functions;
    });
    return listed ? std::move(*listed) : std::vector<StoredFunction>{};
}

Result<void> FunctionStore::remove(const std::string &name, const std::string &qualifier)
{
    return detail::guarded("delete function", [&]() -> Result<void> {
        if (qualifier == "$LATEST")
            return makeError(ErrorCode::InvalidParameter,
                             "$LATEST version cannot be deleted without deleting the function.");
        std::lock_guard lock(m_impl->mutex);
        const auto row = m_impl->loadFunction(name);
        if (!row)
            return m_impl->notFound(name, qualifier);
        if (qualifier.empty()) {
            detail::Transaction transaction(m_impl->db);
            m_impl->db.prepare("DELETE FROM functions WHERE name = ?").bind(1, name).run();
            transaction.commit();
            // Cascades removed versions, test events and drafts; invocation records stay, like
            // CloudWatch logs outlive a deleted function.
            if (fs::exists(fs::symlink_status(m_impl->functionDir(name))))
                m_impl->retire(m_impl->functionDir(name));
            return {};
        }
        int number = 0;
        const auto [end, error] = std::from_chars(qualifier.data(), qualifier.data() + qualifier.size(), number);
        const auto version = (error == std::errc() && end == qualifier.data() + qualifier.size())
                                 ? m_impl->loadVersion(name, number)
                                 : std::nullopt;
        if (!version)
            return m_impl->notFound(name, qualifier);
        std::string referencing;
        const std::string canonical = std::to_string(number); // "02" names version 2
        for (const AliasInfo &alias : m_impl->loadAliases(name)) {
            if (alias.config.functionVersion == canonical ||
                alias.config.additionalVersionWeights.contains(canonical))
                referencing += (referencing.empty() ? "" : ", ") + alias.config.name;
        }
        if (!referencing.empty())
            return makeError(
                ErrorCode::Conflict,
                "Unable to delete version because the following aliases reference it: [" +
                    referencing + "]");
        detail::Transaction transaction(m_impl->db);
        m_impl->db.prepare("DELETE FROM versions WHERE function_name = ? AND version = ?")
            .bind(1, name)
            .bind(2, number)
            .run();
        m_impl->deletePolicy(name, std::to_string(number));
        transaction.commit();
        try {
            detail::GitRepo::open(m_impl->repoDir(name)).deleteTag(detail::versionTag(number));
            m_impl->retireTreeIfUnused(name, version->commit);
        } catch (const std::exception &failure) {
            std::fprintf(stderr, "lambdesk store: tidying after deleting %s:%d: %s\n", name.c_str(),
                         number, failure.what());
        }
        return {};
    });
}

namespace {

template <class T>
void applyIfSet(T &target, const std::optional<T> &value)
{
    if (value)
        target = *value;
}

} // namespace

Result<StoredFunction> FunctionStore::updateConfig(const std::string &name, const FunctionConfigPatch &patch)
{
    return detail::guarded("update function configuration", [&]() -> Result<StoredFunction> {
        std::lock_guard lock(m_impl->mutex);
        auto row = m_impl->loadFunction(name);
        if (!row)
            return m_impl->notFound(name);
        if (patch.revisionId && !patch.revisionId->empty() && *patch.revisionId != row->revisionId)
            return m_impl->revisionMismatch();
        FunctionConfig &config = row->config;
        applyIfSet(config.description, patch.description);
        applyIfSet(config.runtime, patch.runtime);
        applyIfSet(config.handler, patch.handler);
        applyIfSet(config.role, patch.role);
        applyIfSet(config.memorySizeMb, patch.memorySizeMb);
        applyIfSet(config.timeoutSeconds, patch.timeoutSeconds);
        applyIfSet(config.ephemeralStorageMb, patch.ephemeralStorageMb);
        applyIfSet(config.environment, patch.environment);
        applyIfSet(config.layers, patch.layers);
        applyIfSet(config.snapStartApplyOn, patch.snapStartApplyOn);
        applyIfSet(config.deadLetterTargetArn, patch.deadLetterTargetArn);
        if (auto valid = validateConfig(config); !valid)
            return valid.error();
        if (patch.layers) {
            const auto codeBytes = detail::treeBytes(m_impl->treeDir(row->name, row->commit));
            if (auto layers = m_impl->checkLayers(config.layers, codeBytes); !layers)
                return layers.error();
        }
        row->revisionId = common::newUuid();
        row->lastModifiedMs = common::epochMillis();
        detail::Transaction transaction(m_impl->db);
        m_impl->saveFunction(*row, false);
        transaction.commit();
        return m_impl->latestInfo(*row);
    });
}

Result<StoredFunction> FunctionStore::setTags(const std::string &name,
                                              const std::map<std::string, std::string> &tags)
{
    return detail::guarded("tag function", [&]() -> Result<StoredFunction> {
        std::lock_guard lock(m_impl->mutex);
        auto row = m_impl->loadFunction(name);
        if (!row)
            return m_impl->notFound(name);
        row->config.tags = tags;
        detail::Transaction transaction(m_impl->db);
        m_impl->saveFunction(*row, false);
        transaction.commit();
        return m_impl->latestInfo(*row);
    });
}

Result<StoredFunction> FunctionStore::setReservedConcurrency(const std::string &name,
                                                             std::optional<int> reserved)
{
    return detail::guarded("set reserved concurrency", [&]() -> Result<StoredFunction> {
        if (reserved && *reserved < 0)
            return makeError(ErrorCode::InvalidParameter,
                             "1 validation error detected: Value '" + std::to_string(*reserved)
                                 + "' at 'reservedConcurrentExecutions' failed to satisfy "
                                   "constraint: Member must have value greater than or equal to 0");
        std::lock_guard lock(m_impl->mutex);
        auto row = m_impl->loadFunction(name);
        if (!row)
            return m_impl->notFound(name);
        row->reservedConcurrency = reserved;
        detail::Transaction transaction(m_impl->db);
        m_impl->saveFunction(*row, false);
        transaction.commit();
        return m_impl->latestInfo(*row);
    });
}

} // namespace lambdesk::engine
