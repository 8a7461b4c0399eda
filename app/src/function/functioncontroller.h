#pragma once
// The function page's one link to the engine: every call about one function runs off the GUI
// thread and its answer comes back on the GUI thread to the widget that asked (dropped when that
// widget is gone). The page, its tabs, sections and dialogs share this, not engine::Engine, so
// what a screen can do to a function is listed here, and steps that belong together (change,
// then read the function back) are written once. Shared, because the tabs use it while the page
// is being destroyed (the Code tab keeps its edits as a draft).

#include "function/invocationstats.h"

#include "lambdesk/engine/asyncinvoke.h"
#include "lambdesk/engine/codediff.h"
#include "lambdesk/engine/eventsourcemapping.h"
#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/result.h"
#include "lambdesk/engine/schedule.h"
#include "lambdesk/engine/trigger.h"
#include "lambdesk/engine/types.h"

#include <QString>

#include <memory>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

class QObject;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class FunctionController {
public:
    template <class T> using Reply = std::function<void(engine::Result<T>)>;

    // qualifier: a version or alias the page was opened on ("function:NAME:ALIAS"); the function
    // is then read, invoked and its code shown as that qualifier names it. "" for $LATEST.
    FunctionController(engine::Engine &engine, std::string name, std::string qualifier = {});

    const std::string &name() const { return m_name; }
    const std::string &qualifier() const { return m_qualifier; }

    // --- the function ---
    void load(QObject *context, Reply<engine::FunctionInfo> done) const;
    void updateConfiguration(QObject *context, engine::FunctionConfigPatch patch,
                             Reply<engine::FunctionInfo> done) const;
    // nullopt removes the reservation (0 throttles); answers with the function as it now is.
    void setReservedConcurrency(QObject *context, std::optional<int> reserved,
                                Reply<engine::FunctionInfo> done) const;
    void listTags(QObject *context, const std::string &arn,
                  Reply<std::map<std::string, std::string>> done) const;
    // Removes `removed`, then sets `tags`; answers with the function as it now is.
    void changeTags(QObject *context, const std::string &arn,
                    std::map<std::string, std::string> tags, std::vector<std::string> removed,
                    Reply<engine::FunctionInfo> done) const;
    void remove(QObject *context, Reply<void> done) const;

    // --- code ---
    struct Code {
        engine::Result<std::vector<engine::CodeFile>> deployed;
        engine::Result<std::vector<engine::CodeFile>> draft; // empty: no draft
    };
    void loadCode(QObject *context, std::function<void(Code)> done) const;
    void saveDraft(QObject *context, std::vector<engine::CodeFile> files, Reply<void> done) const;
    void discardDraft(QObject *context, Reply<void> done) const;
    // On the way out (the page closing): nobody waits for the answer, but it completes before
    // the engine closes.
    void keepDraftDetached(std::vector<engine::CodeFile> files) const;
    void discardDraftDetached() const;
    // The complete new file set as one deploy; drops the draft too.
    void deploy(QObject *context, std::vector<engine::CodeFile> files,
                Reply<engine::FunctionInfo> done) const;
    void uploadZip(QObject *context, const QString &path, Reply<engine::FunctionInfo> done) const;

    // --- test and monitor ---
    void invoke(QObject *context, std::string payload, Reply<engine::InvokeResult> done) const;
    // For workers on the engine pool (load runs): invokes synchronously, from any thread, and
    // stays valid when the page and this controller are gone.
    std::function<engine::Result<engine::InvokeResult>(const std::string &payload)> invoker() const;
    void listTestEvents(QObject *context, Reply<std::vector<engine::SavedTestEvent>> done) const;
    void saveTestEvent(QObject *context, engine::SavedTestEvent event, Reply<void> done) const;
    void deleteTestEvent(QObject *context, std::string eventName, Reply<void> done) const;
    struct History {
        std::vector<InvocationSample> samples;        // every recorded invocation
        std::vector<engine::InvocationRecord> recent; // the newest, with their logs
    };
    void loadHistory(QObject *context, std::size_t recentCount, InvocationFilter filter,
                     std::function<void(History)> done) const;

    // --- versions ---
    void listVersions(QObject *context, Reply<std::vector<engine::FunctionInfo>> done) const;
    void publishVersion(QObject *context, std::string description,
                        Reply<engine::FunctionInfo> done) const;
    // A version's (or alias's) code, for reading.
    void readCode(QObject *context, std::string qualifier,
                  Reply<std::vector<engine::CodeFile>> done) const;
    void diffCode(QObject *context, engine::CodeRevision from, engine::CodeRevision to,
                  Reply<std::vector<engine::FileDiff>> done) const;

    // --- aliases ---
    void listAliases(QObject *context, Reply<std::vector<engine::AliasInfo>> done) const;
    void createAlias(QObject *context, engine::AliasConfig alias,
                     Reply<engine::AliasInfo> done) const;
    void updateAlias(QObject *context, std::string aliasName, engine::AliasPatch patch,
                     Reply<engine::AliasInfo> done) const;
    void deleteAlias(QObject *context, std::string aliasName, Reply<void> done) const;

    // --- resource-based policy (the function's own; the console edits no version's) ---
    // The policy document; nullopt when the function has none.
    void policy(QObject *context, Reply<std::optional<engine::FunctionPolicy>> done) const;
    void addPermission(QObject *context, engine::PermissionRequest request,
                       Reply<std::string> done) const;
    void removePermission(QObject *context, std::string statementId, Reply<void> done) const;

    // --- function URL: the alias's the page is opened on, else the function's own ---
    // nullopt when there is none.
    void functionUrl(QObject *context, Reply<std::optional<engine::FunctionUrlInfo>> done) const;
    // Creates (create) or updates the URL; AuthType NONE then grants public access, as the
    // console does (Engine::grantPublicFunctionUrlAccess).
    void saveFunctionUrl(QObject *context, engine::FunctionUrlSettings settings, bool create,
                         Reply<engine::FunctionUrlInfo> done) const;
    void deleteFunctionUrl(QObject *context, Reply<void> done) const;

    // --- triggers: schedules (EventBridge rules whose target is this function), folder buckets,
    // queues (event source mappings) ---
    struct Triggers {
        std::vector<engine::ScheduleTrigger> schedules;
        std::vector<engine::FolderTrigger> folders;
        std::vector<engine::EventSourceMapping> queues;
    };
    void triggers(QObject *context, Reply<Triggers> done) const;
    // Adds a trigger of any kind (engine::addTrigger); answers its name for the confirmation.
    void addTrigger(QObject *context, engine::TriggerRequest request,
                    Reply<std::string> done) const;
    void setScheduleRuleEnabled(QObject *context, std::string rule, bool enabled,
                                Reply<engine::ScheduleRule> done) const;
    void removeScheduleTrigger(QObject *context, std::string rule, Reply<void> done) const;
    void setFolderTriggerEnabled(QObject *context, std::string id, bool enabled,
                                 Reply<engine::FolderTrigger> done) const;
    void removeFolderTrigger(QObject *context, std::string id, Reply<void> done) const;
    // The queues Add trigger can offer (names): loadQueueNames.
    void queueNames(QObject *context, Reply<std::vector<std::string>> done) const;
    void setQueueTriggerEnabled(QObject *context, std::string uuid, bool enabled,
                                Reply<engine::EventSourceMapping> done) const;
    void removeQueueTrigger(QObject *context, std::string uuid,
                            Reply<engine::EventSourceMapping> done) const;

    // --- asynchronous invocation: the event invoke config of the function (or the alias the
    // page is opened on) and the function's dead-letter queue ---
    // nullopt when there is none: Lambda's defaults apply.
    void eventInvokeConfig(QObject *context,
                           Reply<std::optional<engine::EventInvokeConfig>> done) const;
    // Retries and maximum age (destinations kept), then the dead-letter queue ("" for none);
    // answers with the function as it now is.
    void saveAsyncInvocation(QObject *context, int retryAttempts, int maximumEventAgeSeconds,
                             std::string deadLetterQueueArn,
                             Reply<engine::FunctionInfo> done) const;
    // The on-success or on-failure destination ("" removes it), the rest kept.
    void setDestination(QObject *context, bool onSuccess, std::string destinationArn,
                        Reply<engine::EventInvokeConfig> done) const;
    // What a destination or a dead-letter queue can be: (name, ARN) of every other function and
    // of every queue.
    struct DestinationTargets {
        std::vector<std::pair<std::string, std::string>> functions;
        std::vector<std::pair<std::string, std::string>> queues;
    };
    void destinationTargets(QObject *context, Reply<DestinationTargets> done) const;

    // --- layers ---
    // Every layer version the "Add a layer" picker can offer: each layer's versions, newest first.
    void layerVersions(QObject *context,
                       std::function<void(std::vector<engine::LayerVersionInfo>)> done) const;
    // The function's layers, in merge order; answers with the function as it now is.
    void setLayers(QObject *context, std::vector<std::string> layerVersionArns,
                   Reply<engine::FunctionInfo> done) const;

    // --- what this engine and machine offer the forms ---
    int accountConcurrency() const;
    void runtimes(QObject *context,
                  std::function<void(std::vector<engine::Availability>)> done) const;
    // Each backend's availability, and whether the microVM guest image is built.
    void sandboxes(
        QObject *context,
        std::function<void(std::vector<engine::Availability>, bool guestImageBuilt)> done) const;

private:
    template <class Work, class Done> void run(QObject *context, Work work, Done done) const;

    engine::Engine &m_engine;
    std::string m_name;
    std::string m_qualifier;
};

using SharedFunction = std::shared_ptr<const FunctionController>;

// The names of the engine's queues, for the forms that offer one (Add trigger, Create function).
void loadQueueNames(engine::Engine &engine, QObject *context,
                    FunctionController::Reply<std::vector<std::string>> done);

} // namespace lambdesk::app
