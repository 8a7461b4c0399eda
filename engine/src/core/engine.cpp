#include "core/engineimpl.h"
#include "sandbox/codebuild.h"
#include "sandbox/microvm/microvmimage.h"
#include "store/consolestate.h"
#include "store/invocationlog.h"
#include "store/ziparchive.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <random>
#include <thread>

namespace lambdesk::engine {
namespace {

// Threads that run asynchronous events: Lambda's queue hands a function's events to as many
// environments as concurrency allows. A slow event holds one of them for its whole attempt, so
// there are enough that a few slow ones do not stall the others.
constexpr int kAsyncWorkers = 16;
// A claimed event is its worker's for longer than any attempt can last (900 s) plus its
// delivery; after that, an event whose worker failed to settle it is claimed again.
constexpr std::int64_t kAsyncLeaseMs = 960'000;
constexpr double kMaxAsyncDelayScale = 1000;

std::filesystem::path xdgDir(const char *variable, const char *fallback)
{
    if (const char *value = std::getenv(variable); value && *value)
        return std::filesystem::path(value) / "lambdesk";
    const char *home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : "/tmp") / fallback / "lambdesk";
}

Result<void> checkTagValue(const std::map<std::string, std::string> &tags, const std::string &key,
                           std::initializer_list<const char *> allowed)
{
    auto it = tags.find(key);
    if (it == tags.end())
        return {};
    std::string names;
    for (const char *value : allowed) {
        if (it->second == value)
            return {};
        names += (names.empty() ? "" : ", ") + std::string(value);
    }
    return makeError(ErrorCode::InvalidParameter,
                     "Tag " + key + " must be one of " + names + "; got '" + it->second + "'");
}

// The tags that choose how a function runs: its sandbox and its network.
Result<void> checkSandboxTag(const std::map<std::string, std::string> &tags)
{
    if (auto sandbox = checkTagValue(tags, "lambdesk:sandbox", {"auto", "process", "gvisor", "microvm"}); !sandbox)
        return sandbox;
    return checkTagValue(tags, kNetworkTag, {kNetworkOutbound, kNetworkNone});
}

} // namespace

std::filesystem::path defaultDataDir()
{
    return xdgDir("XDG_DATA_HOME", ".local/share");
}

std::string dataDirLockHolder(const std::filesystem::path &dataDir)
{
    return DataDirLock::holder(dataDir);
}

Engine::Engine(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Engine::~Engine()
{
    shutdown();
    m_impl->asyncDispatcher.reset();
    m_impl->pool.reset();
}

void Engine::shutdown()
{
    m_impl->scheduler->stop();            // first: no fire queues an event behind the drop
    m_impl->stopMappings(false);          // pollers take no new batch; their invokes end just below
    m_impl->stopQueueWaits();             // long polls answer now, with what they have (nothing)
    m_impl->asyncDispatcher->stop(false); // no worker takes an event once environments end
    m_impl->pool->shutdownAll();
    m_impl->stopMappings(true);
    m_impl->asyncDispatcher->stop(true); // events left queued run after the next start
}

Result<std::unique_ptr<Engine>> Engine::open(EngineOptions options)
{
    if (options.dataDir.empty())
        options.dataDir = defaultDataDir();
    if (options.runtimeDir.empty())
        options.runtimeDir = RuntimeCatalog::locateRuntimeDir();
    if (!(options.asyncDelayScale > 0 && options.asyncDelayScale <= kMaxAsyncDelayScale))
        return makeError(ErrorCode::InvalidParameter,
                         "asyncDelayScale must be a number above 0 and at most 1000");
    auto lock = DataDirLock::acquire(options.dataDir);
    if (!lock)
        return lock.error();
    auto store = FunctionStore::open(StoreOptions{options.dataDir, options.region, options.accountId});
    if (!store)
        return store.error();
    std::error_code ec;
    std::filesystem::remove_all(options.dataDir / "run", ec); // scratch of environments of a killed engine

    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->lock = std::move(*lock);
    impl->store = std::move(*store);
    impl->catalog = std::make_unique<RuntimeCatalog>(options.runtimeDir);
    impl->sandboxes = std::make_unique<SandboxSelector>(options.defaultSandbox, xdgDir("XDG_CACHE_HOME", ".cache"));
    impl->sandboxes->startAutoProbe();
    // Deploy compiles Java sources and Go modules (lambdesk/engine/codebuild.h) in the staged
    // tree, before it is committed: code that does not compile is never deployed.
    impl->store->setCodeBuilder(
        [catalog = impl->catalog.get(), cache = impl->sandboxes->cacheDir() / "build"](
            const std::filesystem::path &tree, const FunctionConfig &config) -> Result<void> {
            auto runtime = catalog->resolve(config.runtime);
            if (!runtime)
                return {}; // a runtime not available here is refused before any code is stored
            return buildFunctionCode({tree, *runtime, config.architecture, cache});
        });
    impl->pool = std::make_unique<EnvironmentPool>(options.idleTimeout, options.accountConcurrency);
    impl->routing.seed(options.routingSeed ? *options.routingSeed : std::random_device{}());
    // Last of what an invocation needs: its workers start on events left from the last run.
    Engine::Impl *engine = impl.get();
    impl->asyncDispatcher = std::make_unique<AsyncDispatcher>(
        impl->store->asyncInvocations(), [engine] { return engine->now(); },
        [engine](AsyncEvent event) { engine->runAsyncEvent(std::move(event)); }, kAsyncLeaseMs);
    impl->asyncDispatcher->start(kAsyncWorkers);
    impl->startSchedules();
    impl->refreshFolders();
    impl->refreshMappings();
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

void Engine::Impl::decorate(FunctionInfo &info)
{
    info.sandbox = sandboxes->resolvedName(info.config.tags);
}

Result<StoredFunction> Engine::Impl::decorate(Result<StoredFunction> stored)
{
    if (stored)
        decorate(stored->info);
    return stored;
}

void Engine::Impl::record(const InvocationRecord &rec)
{
    if (auto saved = store->invocations().record(rec); !saved)
        std::fprintf(stderr, "lambdesk: cannot record invocation %s: %s\n", rec.requestId.c_str(),
                     saved.error().message.c_str());
    std::vector<InvocationObserver> copy;
    {
        std::lock_guard lock(observersMutex);
        for (auto &[id, observer] : observers)
            copy.push_back(observer);
    }
    for (auto &observer : copy)
        observer(rec);
}

static Result<FunctionInfo> infoOf(Result<StoredFunction> stored)
{
    if (!stored)
        return stored.error();
    return std::move(stored->info);
}

Result<FunctionInfo> Engine::createFunction(const FunctionConfig &config, const std::string &zipBytes, bool publish)
{
    if (auto runtime = m_impl->catalog->resolve(config.runtime); !runtime)
        return runtime.error();
    if (auto tags = checkSandboxTag(config.tags); !tags)
        return tags.error();
    if (auto target = m_impl->checkDeadLetterQueue(config.deadLetterTargetArn); !target)
        return target.error();
    auto created = m_impl->decorate(m_impl->store->create(config, zipBytes));
    if (!created || !publish)
        return infoOf(std::move(created));
    return publishVersion(config.name);
}

Result<FunctionInfo> Engine::createFunctionFromFiles(const FunctionConfig &config, const std::vector<CodeFile> &files)
{
    auto entries = detail::entriesFromCodeFiles(files);
    if (!entries)
        return entries.error();
    return createFunction(config, detail::buildZip(std::move(*entries)));
}

Result<FunctionInfo> Engine::getFunction(const std::string &name, const std::string &qualifier)
{
    const auto target = qualifiedRef(name, qualifier);
    if (!target)
        return target.error();
    return infoOf(m_impl->decorate(m_impl->store->get(target->name, target->qualifier)));
}

std::vector<FunctionInfo> Engine::listFunctions()
{
    std::vector<FunctionInfo> all;
    for (auto &stored : m_impl->store->list()) {
        m_impl->decorate(stored.info);
        all.push_back(std::move(stored.info));
    }
    return all;
}

Result<void> Engine::deleteFunction(const std::string &name, const std::string &qualifier)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    const std::string version = qualifier.empty() ? parsed->qualifier : qualifier;
    auto removed = m_impl->store->remove(parsed->name, version);
    if (removed) {
        m_impl->pool->retire(parsed->name);
        m_impl->refreshMappings(); // its mappings went with it
        if (!version.empty()) // a version's own settings go with it (the function's, in SQLite)
            (void)m_impl->store->asyncInvocations().removeConfig(parsed->name, version);
    }
    return removed;
}

Result<FunctionInfo> Engine::updateFunctionCode(const std::string &name, const std::string &zipBytes,
                                                const std::string &revisionId, bool publish)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    auto updated =
        m_impl->decorate(m_impl->store->updateCodeZip(parsed->name, zipBytes, revisionId));
    if (updated) {
        m_impl->pool->retire(parsed->name);
        // A new package replaces whatever the console's editor had not deployed.
        (void)m_impl->store->consoleState().discardDraft(parsed->name);
    }
    if (!updated || !publish)
        return infoOf(std::move(updated));
    return publishVersion(parsed->name);
}

Result<FunctionInfo> Engine::checkFunctionCode(const std::string &name, const std::string &zipBytes,
                                               const std::string &revisionId)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    return infoOf(
        m_impl->decorate(m_impl->store->checkCodeZip(parsed->name, zipBytes, revisionId)));
}

Result<FunctionInfo> Engine::deployFiles(const std::string &name, const std::vector<CodeFile> &files)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    auto updated = m_impl->decorate(m_impl->store->updateCodeFiles(parsed->name, files));
    if (updated) {
        m_impl->pool->retire(parsed->name);
        // The console's draft was the edits this deploy made; a failed deploy keeps it.
        (void)m_impl->store->consoleState().discardDraft(parsed->name);
    }
    return infoOf(std::move(updated));
}

Result<FunctionInfo> Engine::updateFunctionConfiguration(const std::string &name, const FunctionConfigPatch &patch)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    if (patch.runtime)
        if (auto runtime = m_impl->catalog->resolve(*patch.runtime); !runtime)
            return runtime.error();
    if (patch.deadLetterTargetArn)
        if (auto target = m_impl->checkDeadLetterQueue(*patch.deadLetterTargetArn); !target)
            return target.error();
    auto updated = m_impl->decorate(m_impl->store->updateConfig(parsed->name, patch));
    if (updated)
        m_impl->pool->retire(parsed->name);
    return infoOf(std::move(updated));
}

Result<std::vector<CodeFile>> Engine::readCode(const std::string &name, const std::string &qualifier)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    return m_impl->store->readCode(parsed->name, qualifier.empty() ? parsed->qualifier : qualifier);
}

Result<std::vector<FileDiff>> Engine::diffCode(const std::string &name, const CodeRevision &from,
                                               const CodeRevision &to)
{
    auto filesOf = [&](const CodeRevision &revision) -> Result<std::vector<CodeFile>> {
        if (revision.draft) {
            auto draft = loadDraft(name);
            if (!draft || !draft->empty())
                return draft;
        }
        return readCode(name, revision.draft ? std::string() : revision.qualifier);
    };
    auto before = filesOf(from);
    if (!before)
        return before.error();
    auto after = filesOf(to);
    if (!after)
        return after.error();
    try {
        return diffCodeFiles(*before, *after);
    } catch (const std::exception &failure) {
        return Error{ErrorCode::ServiceError, failure.what()};
    }
}

Result<std::string> Engine::codeZip(const std::string &name, const std::string &qualifier)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    return m_impl->store->codeZip(parsed->name, qualifier.empty() ? parsed->qualifier : qualifier);
}

Result<FunctionInfo> Engine::publishVersion(const std::string &name, const std::string &description,
                                            const std::string &codeSha256, const std::string &revisionId)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    return infoOf(m_impl->decorate(
        m_impl->store->publishVersion(parsed->name, description, codeSha256, revisionId)));
}

Result<std::vector<FunctionInfo>> Engine::listVersions(const std::string &name)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    auto versions = m_impl->store->listVersions(parsed->name);
    if (!versions)
        return versions.error();
    std::vector<FunctionInfo> infos;
    for (auto &stored : *versions) {
        m_impl->decorate(stored.info);
        infos.push_back(std::move(stored.info));
    }
    return infos;
}

Result<void> Engine::tagResource(const std::string &arn, const std::map<std::string, std::string> &tags)
{
    if (auto check = checkSandboxTag(tags); !check)
        return check;
    auto current = listTags(arn);
    if (!current)
        return current.error();
    auto merged = *current;
    for (const auto &[key, value] : tags)
        merged[key] = value;
    auto parsed = parseFunctionRef(arn);
    auto updated = m_impl->store->setTags(parsed->name, merged);
    if (!updated)
        return updated.error();
    m_impl->pool->retire(parsed->name); // the sandbox choice may have changed
    return {};
}

Result<void> Engine::untagResource(const std::string &arn, const std::vector<std::string> &keys)
{
    auto current = listTags(arn);
    if (!current)
        return current.error();
    auto remaining = *current;
    for (const auto &key : keys)
        remaining.erase(key);
    auto parsed = parseFunctionRef(arn);
    auto updated = m_impl->store->setTags(parsed->name, remaining);
    if (!updated)
        return updated.error();
    m_impl->pool->retire(parsed->name);
    return {};
}

Result<std::map<std::string, std::string>> Engine::listTags(const std::string &arn)
{
    auto parsed = parseFunctionRef(arn);
    if (!parsed)
        return parsed.error();
    auto stored = m_impl->store->get(parsed->name);
    if (!stored)
        return stored.error();
    return stored->info.config.tags;
}

Result<void> Engine::putFunctionConcurrency(const std::string &name, int reserved)
{
    if (reserved < 0 || reserved > m_impl->options.accountConcurrency)
        return makeError(ErrorCode::InvalidParameter,
                         "ReservedConcurrentExecutions must be between 0 and " +
                             std::to_string(m_impl->options.accountConcurrency));
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    auto updated = m_impl->store->setReservedConcurrency(parsed->name, reserved);
    if (!updated)
        return updated.error();
    return {};
}

Result<void> Engine::deleteFunctionConcurrency(const std::string &name)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    auto updated = m_impl->store->setReservedConcurrency(parsed->name, std::nullopt);
    if (!updated)
        return updated.error();
    return {};
}

Result<std::optional<int>> Engine::getFunctionConcurrency(const std::string &name)
{
    auto parsed = parseFunctionRef(name);
    if (!parsed)
        return parsed.error();
    auto stored = m_impl->store->get(parsed->name);
    if (!stored)
        return stored.error();
    return stored->info.reservedConcurrency;
}

Result<InvokeResult> Engine::invoke(const InvokeRequest &request)
{
    return m_impl->invoke(request);
}

std::vector<InvocationRecord> Engine::listInvocations(const InvocationQuery &query)
{
    return m_impl->store->invocations().list(query);
}

int Engine::subscribeInvocations(InvocationObserver observer)
{
    std::lock_guard lock(m_impl->observersMutex);
    const int id = m_impl->nextObserverId++;
    m_impl->observers.emplace(id, std::move(observer));
    return id;
}

void Engine::unsubscribeInvocations(int subscription)
{
    std::lock_guard lock(m_impl->observersMutex);
    m_impl->observers.erase(subscription);
}

EngineStatus Engine::status() const
{
    EngineStatus status;
    status.busyEnvironments = m_impl->pool->busyCount();
    status.warmEnvironments = m_impl->pool->idleCount() + status.busyEnvironments;
    status.defaultSandbox = m_impl->sandboxes->resolvedDefault();
    status.dataDir = m_impl->options.dataDir.string();
    return status;
}

const EngineOptions &Engine::options() const
{
    return m_impl->options;
}

std::vector<Availability> Engine::sandboxAvailability() const
{
    return m_impl->sandboxes->availability();
}

GuestImageInfo Engine::guestImage() const
{
    GuestImageInfo info;
    const auto &cacheDir = m_impl->sandboxes->cacheDir();
    auto image = MicroVmImage::locate(cacheDir);
    info.built = image.ok();
    info.cacheDir = cacheDir.string();
    if (!image)
        info.detail = image.error().message;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    info.buildCommand = {"/usr/bin/env", "LAMBDESK_CACHE_DIR=" + cacheDir.string(), "/bin/bash",
                         MicroVmImage::buildScript().string(), "--jobs", std::to_string(cores)};
    return info;
}

void Engine::rescanSandboxes()
{
    m_impl->sandboxes->forgetProbes();
}

std::vector<Availability> Engine::runtimes() const
{
    return m_impl->catalog->all();
}

} // namespace lambdesk::engine
