// FunctionController's calls about what invokes the function: its URL and its triggers
// (schedules, folder buckets, queues). functioncontroller.cpp has the rest.
#include "function/controllerrun.h"
#include "function/functioncontroller.h"

#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/trigger.h"

#include <utility>

namespace lambdesk::app {

using engine::Engine;
using engine::FunctionUrlInfo;

void FunctionController::functionUrl(QObject *context,
                                     Reply<std::optional<FunctionUrlInfo>> done) const
{
    runAsync(
        context,
        [engine = &m_engine, name = m_name,
         qualifier = m_qualifier]() -> engine::Result<std::optional<FunctionUrlInfo>> {
            auto url = engine->getFunctionUrl(name, qualifier);
            if (url)
                return std::optional<FunctionUrlInfo>(std::move(*url));
            // "No URL" and "no function" are both NotFound; only the second is an error here.
            if (url.error().code == engine::ErrorCode::NotFound &&
                engine->getFunction(name, qualifier))
                return std::optional<FunctionUrlInfo>();
            return url.error();
        },
        std::move(done));
}

void FunctionController::saveFunctionUrl(QObject *context, engine::FunctionUrlSettings settings,
                                         bool create, Reply<FunctionUrlInfo> done) const
{
    runAsync(
        context,
        [engine = &m_engine, name = m_name, qualifier = m_qualifier, settings = std::move(settings),
         create]() -> engine::Result<FunctionUrlInfo> {
            if (create) { // as Add trigger makes it: NONE gets its public permission
                engine::TriggerRequest request;
                request.kind = engine::TriggerKind::FunctionUrl;
                request.url = settings;
                if (auto added = engine::addTrigger(*engine, name, qualifier, request); !added)
                    return added.error();
                return engine->getFunctionUrl(name, qualifier);
            }
            engine::FunctionUrlPatch patch;
            patch.authType = settings.authType;
            patch.cors = settings.cors.value_or(engine::FunctionUrlCors{});
            patch.invokeMode = settings.invokeMode;
            auto url = engine->updateFunctionUrl(name, qualifier, patch);
            if (url && settings.authType == engine::kUrlAuthNone)
                if (auto granted = engine->grantPublicFunctionUrlAccess(name, qualifier); !granted)
                    return granted.error();
            return url;
        },
        std::move(done));
}

void FunctionController::deleteFunctionUrl(QObject *context, Reply<void> done) const
{
    runAsync(
        context,
        [engine = &m_engine, name = m_name, qualifier = m_qualifier] {
            return engine->deleteFunctionUrl(name, qualifier);
        },
        std::move(done));
}

void FunctionController::triggers(QObject *context, Reply<Triggers> done) const
{
    run(
        context,
        [](Engine &engine, const std::string &name) -> engine::Result<Triggers> {
            auto schedules = engine.listScheduleTriggers(name);
            if (!schedules)
                return schedules.error();
            auto folders = engine.listFolderTriggers(name);
            if (!folders)
                return folders.error();
            auto queues = engine.listEventSourceMappings(name);
            if (!queues)
                return queues.error();
            return Triggers{std::move(*schedules), std::move(*folders), std::move(*queues)};
        },
        std::move(done));
}

void FunctionController::addTrigger(QObject *context, engine::TriggerRequest request,
                                    Reply<std::string> done) const
{
    run(
        context,
        [request = std::move(request), qualifier = m_qualifier](Engine &engine,
                                                                const std::string &name) {
            return engine::addTrigger(engine, name, qualifier, request);
        },
        std::move(done));
}

void FunctionController::setScheduleRuleEnabled(QObject *context, std::string rule, bool enabled,
                                                Reply<engine::ScheduleRule> done) const
{
    run(
        context,
        [rule = std::move(rule), enabled](Engine &engine, const std::string &) {
            return engine.setScheduleRuleState(rule, enabled);
        },
        std::move(done));
}

void FunctionController::removeScheduleTrigger(QObject *context, std::string rule,
                                               Reply<void> done) const
{
    run(
        context,
        [rule = std::move(rule)](Engine &engine, const std::string &name) {
            return engine.removeScheduleTrigger(name, rule);
        },
        std::move(done));
}

void FunctionController::setFolderTriggerEnabled(QObject *context, std::string id, bool enabled,
                                                 Reply<engine::FolderTrigger> done) const
{
    run(
        context,
        [id = std::move(id), enabled](Engine &engine, const std::string &name) {
            return engine.setFolderTriggerEnabled(name, id, enabled);
        },
        std::move(done));
}

void FunctionController::removeFolderTrigger(QObject *context, std::string id,
                                             Reply<void> done) const
{
    run(
        context,
        [id = std::move(id)](Engine &engine, const std::string &name) {
            return engine.removeFolderTrigger(name, id);
        },
        std::move(done));
}

void FunctionController::queueNames(QObject *context, Reply<std::vector<std::string>> done) const
{
    loadQueueNames(m_engine, context, std::move(done));
}

void loadQueueNames(Engine &engine, QObject *context,
                    FunctionController::Reply<std::vector<std::string>> done)
{
    runAsync(
        context,
        [engine = &engine]() -> engine::Result<std::vector<std::string>> {
            auto queues = engine->listQueues();
            if (!queues)
                return queues.error();
            std::vector<std::string> names;
            for (const engine::QueueInfo &queue : *queues)
                names.push_back(queue.name);
            return names;
        },
        std::move(done));
}

void FunctionController::setQueueTriggerEnabled(QObject *context, std::string uuid, bool enabled,
                                                Reply<engine::EventSourceMapping> done) const
{
    run(
        context,
        [uuid = std::move(uuid), enabled](Engine &engine, const std::string &) {
            engine::EventSourceMappingInput change;
            change.enabled = enabled;
            return engine.updateEventSourceMapping(uuid, change);
        },
        std::move(done));
}

void FunctionController::removeQueueTrigger(QObject *context, std::string uuid,
                                            Reply<engine::EventSourceMapping> done) const
{
    run(
        context,
        [uuid = std::move(uuid)](Engine &engine, const std::string &) {
            return engine.deleteEventSourceMapping(uuid);
        },
        std::move(done));
}

} // namespace lambdesk::app
