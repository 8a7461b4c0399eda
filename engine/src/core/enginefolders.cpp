// The Engine facade's folder buckets: the notification's rules (with foldertriggerrules.cpp), the
// console's Add trigger (permission for s3.amazonaws.com, then the notification), and what a
// change in a watched folder does: S3's event, asynchronously, to each matching function.
#include "common/clock.h"
#include "common/encoding.h"
#include "common/random.h"
#include "core/engineimpl.h"
#include "core/policyrules.h"
#include "store/foldertriggers.h"
#include "triggers/s3event.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace lambdesk::engine {

namespace {

std::string bucketArn(const std::string &bucket)
{
    std::string arn = "arn:aws:s3:::";
    arn.append(bucket);
    return arn;
}

// One statement per notification, so removing the trigger can find it.
std::string triggerStatementId(const std::string &id)
{
    std::string sid = "lambdesk-s3-";
    sid.append(id);
    return sid;
}

bool sendsEvent(const FolderTrigger &trigger, bool removed)
{
    const auto has = [&trigger](const char *event) {
        return std::find(trigger.events.begin(), trigger.events.end(), event) !=
               trigger.events.end();
    };
    return removed ? has(kS3ObjectRemovedAll) || has(kS3ObjectRemovedDelete)
                   : has(kS3ObjectCreatedAll) || has(kS3ObjectCreatedPut);
}

bool keyMatches(const FolderTrigger &trigger, const std::string &key)
{
    return key.starts_with(trigger.prefix) && key.ends_with(trigger.suffix);
}

} // namespace

bool Engine::Impl::folderTriggerPermitted(const FolderTrigger &trigger)
{
    const auto policy = store->getPolicy(trigger.functionName, trigger.qualifier);
    return policy && allowsServiceInvoke(policy->policy, kS3Principal, bucketArn(trigger.bucket),
                                         options.accountId);
}

void Engine::Impl::refreshFolders()
{
    auto triggers = store->folderTriggers().list();
    if (!triggers)
        return;
    std::set<std::string> wanted;
    for (const FolderTrigger &trigger : *triggers)
        if (trigger.enabled)
            wanted.insert(trigger.folder);
    std::lock_guard lock(foldersMutex);
    for (auto it = watchers.begin(); it != watchers.end();)
        it = wanted.contains(it->first) ? std::next(it) : watchers.erase(it);
    for (const std::string &folder : wanted) {
        if (watchers.contains(folder))
            continue;
        auto watcher = std::make_unique<triggers::FolderWatcher>(
            folder, [this, folder](const triggers::FolderChange &change) {
                onFolderChange(folder, change);
            });
        if (!watcher->start()) {
            std::fprintf(stderr, "lambdesk: folder bucket %s is not watched: %s\n", folder.c_str(),
                         watcher->error().c_str());
            continue;
        }
        watchers.emplace(folder, std::move(watcher));
    }
}

void Engine::Impl::stopFolders()
{
    std::lock_guard lock(foldersMutex);
    watchers.clear();
}

void Engine::Impl::onFolderChange(const std::string &folder, const triggers::FolderChange &change)
{
    if (change.kind == triggers::FolderChange::Kind::Overflowed) {
        std::fprintf(stderr,
                     "lambdesk: %s changed faster than it could be watched; some of its files "
                     "may have been written or deleted without invoking their functions\n",
                     folder.c_str());
        return;
    }
    const auto triggers = store->folderTriggers().list();
    if (!triggers)
        return;
    const bool removed = change.kind == triggers::FolderChange::Kind::Removed;
    for (const FolderTrigger &trigger : *triggers) {
        if (!trigger.enabled || trigger.folder != folder || !sendsEvent(trigger, removed) ||
            !keyMatches(trigger, change.relativePath))
            continue;
        if (!folderTriggerPermitted(trigger)) {
            std::fprintf(stderr,
                         "lambdesk: bucket %s did not invoke %s: the function's policy does not "
                         "let %s invoke it for the bucket\n",
                         trigger.bucket.c_str(), trigger.functionName.c_str(), kS3Principal);
            continue;
        }
        triggers::S3ObjectChange object;
        object.removed = removed;
        object.bucket = trigger.bucket;
        object.key = change.relativePath;
        if (!removed) {
            const std::filesystem::path file = std::filesystem::path(folder) / change.relativePath;
            std::error_code ec;
            const auto size = std::filesystem::file_size(file, ec);
            auto md5 = common::fileMd5Hex(file);
            if (ec || !md5)
                continue; // gone again before it could be read: its delete follows
            object.size = static_cast<std::int64_t>(size);
            object.eTag = std::move(*md5);
        }
        object.sequencer = triggers::s3Sequencer(++s3Sequence);
        object.configurationId = trigger.id;
        object.eventTimeMs = common::epochMillis();
        object.region = options.region;
        object.accountId = options.accountId;
        InvokeRequest request;
        request.functionName = trigger.functionName;
        request.qualifier = trigger.qualifier;
        request.type = InvocationType::Event;
        request.source = std::string(kInvocationSourceFolder);
        request.payload = triggers::s3Event(object);
        if (auto invoked = invoke(request); !invoked)
            std::fprintf(stderr, "lambdesk: bucket %s could not invoke %s: %s\n",
                         trigger.bucket.c_str(), trigger.functionName.c_str(),
                         invoked.error().message.c_str());
    }
}

Result<FolderTrigger> Engine::addFolderTrigger(const std::string &functionName,
                                               const std::string &qualifier,
                                               const FolderTriggerInput &input)
{
    const auto function = getFunction(functionName, qualifier);
    if (!function)
        return function.error();
    if (auto valid = validateFolderTrigger(input); !valid)
        return valid.error();
    FolderTrigger trigger;
    trigger.id = common::newUuid();
    trigger.functionName = function->config.name;
    trigger.qualifier = qualifiedRef(functionName, qualifier)->qualifier;
    if (trigger.qualifier == "$LATEST")
        trigger.qualifier.clear();
    trigger.functionArn = function->functionArn;
    const auto bucket = addFolderBucket(input.folder);
    if (!bucket)
        return bucket.error();
    trigger.folder = bucket->folder;
    trigger.bucket = bucket->name;
    trigger.events = input.events;
    trigger.prefix = input.prefix;
    trigger.suffix = input.suffix;
    PermissionRequest permission;
    permission.statementId = triggerStatementId(trigger.id);
    permission.action = std::string("lambda:InvokeFunction");
    permission.principal = std::string(kS3Principal);
    permission.sourceArn = bucketArn(trigger.bucket);
    permission.sourceAccount = m_impl->options.accountId;
    if (!m_impl->folderTriggerPermitted(trigger))
        if (auto added =
                m_impl->store->addPermission(trigger.functionName, trigger.qualifier, permission);
            !added)
            return added.error();
    if (auto stored = m_impl->store->folderTriggers().add(trigger, common::epochMillis()); !stored)
        return stored.error();
    trigger.permitted = true;
    m_impl->refreshFolders();
    return trigger;
}

Result<std::vector<FolderTrigger>> Engine::listFolderTriggers(const std::string &functionName)
{
    const auto function = getFunction(functionName);
    if (!function)
        return function.error();
    auto triggers = m_impl->store->folderTriggers().list(function->config.name);
    if (!triggers)
        return triggers.error();
    for (FolderTrigger &trigger : *triggers) {
        trigger.functionArn = function->functionArn;
        if (!trigger.qualifier.empty())
            trigger.functionArn.append(":").append(trigger.qualifier);
        trigger.permitted = m_impl->folderTriggerPermitted(trigger);
    }
    return triggers;
}

Result<FolderTrigger> Engine::setFolderTriggerEnabled(const std::string &functionName,
                                                      const std::string &id, bool enabled)
{
    const auto name = parseFunctionRef(functionName);
    if (!name)
        return name.error();
    auto trigger = m_impl->store->folderTriggers().get(name->name, id);
    if (!trigger)
        return trigger.error();
    if (!*trigger)
        return makeError(ErrorCode::NotFound, "The resource you requested does not exist.");
    if (auto set = m_impl->store->folderTriggers().setEnabled(id, enabled); !set)
        return set.error();
    m_impl->refreshFolders();
    (*trigger)->enabled = enabled;
    (*trigger)->permitted = m_impl->folderTriggerPermitted(**trigger);
    return std::move(**trigger);
}

Result<void> Engine::removeFolderTrigger(const std::string &functionName, const std::string &id)
{
    const auto name = parseFunctionRef(functionName);
    if (!name)
        return name.error();
    const auto trigger = m_impl->store->folderTriggers().get(name->name, id);
    if (!trigger)
        return trigger.error();
    if (!*trigger)
        return makeError(ErrorCode::NotFound, "The resource you requested does not exist.");
    if (auto removed = m_impl->store->folderTriggers().remove(id); !removed)
        return removed;
    m_impl->refreshFolders();
    auto removed = m_impl->store->removePermission(name->name, (*trigger)->qualifier,
                                                   triggerStatementId(id), {});
    if (!removed && removed.error().code != ErrorCode::NotFound)
        return removed;
    return {};
}

} // namespace lambdesk::engine
