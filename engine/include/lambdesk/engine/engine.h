#pragma once
// The engine facade: function store, invoke lifecycle, records. Every call is thread-safe and may
// block (git, sandbox start, invoke), so GUI callers run them off the GUI thread.

#include "lambdesk/engine/asyncinvoke.h"
#include "lambdesk/engine/codediff.h"
#include "lambdesk/engine/eventsourcemapping.h"
#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/queue.h"
#include "lambdesk/engine/result.h"
#include "lambdesk/engine/schedule.h"
#include "lambdesk/engine/types.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

struct EngineOptions {
    std::filesystem::path dataDir;            // default: defaultDataDir()
    std::string defaultSandbox = "auto";      // auto | process | gvisor | microvm
    std::chrono::milliseconds idleTimeout = std::chrono::minutes(5);
    int accountConcurrency = 64;              // unreserved limit across all functions
    std::filesystem::path runtimeDir;         // our bootstraps; default: found next to the binary
    std::string region = "us-east-1";
    std::string accountId = "000000000000";
    // Seeds the draw that splits an alias's invocations between its versions (tests); unset:
    // random.
    std::optional<std::uint64_t> routingSeed;
    // Epoch milliseconds, for schedules: tests move it instead of waiting. Empty: the system's.
    std::function<std::int64_t()> clock;
    // Multiplies the waits of asynchronous invocation (1 and 2 minutes before the retries of a
    // failed event, the back-off of a throttled one) so that tests do not wait minutes.
    double asyncDelayScale = 1.0;
};

// $XDG_DATA_HOME/lambdesk, else ~/.local/share/lambdesk.
std::filesystem::path defaultDataDir();

// Holder of the data-dir lock, when open() fails with EngineLocked: "pid 1234 (lambdesk-engine)".
std::string dataDirLockHolder(const std::filesystem::path &dataDir);

class Engine {
public:
    // Opens (creating if needed) the data dir and takes its lock. Fails with EngineLocked when
    // another engine or app holds it, naming the holder.
    static Result<std::unique_ptr<Engine>> open(EngineOptions options);
    ~Engine(); // shutdown()
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    // Ends every execution environment now: invocations in flight are answered as failed and
    // recorded, and new synchronous invocations are refused. Asynchronous events stay queued (an
    // event whose attempt was cut short included, and any accepted afterwards) and run after the
    // next open(). Idempotent; call it before stopping whatever serves this engine's API.
    void shutdown();

    // --- functions (name arguments accept a name, a full ARN or a partial ARN) ---
    Result<FunctionInfo> createFunction(const FunctionConfig &config, const std::string &zipBytes,
                                        bool publish = false);
    // Create from the editor / a blueprint: `files` become the first deploy (no zip needed).
    Result<FunctionInfo> createFunctionFromFiles(const FunctionConfig &config,
                                                 const std::vector<CodeFile> &files);
    Result<FunctionInfo> getFunction(const std::string &name, const std::string &qualifier = {});
    std::vector<FunctionInfo> listFunctions();
    Result<void> deleteFunction(const std::string &name, const std::string &qualifier = {});
    // A successful code update (zip or files) also drops the console's draft of the function.
    Result<FunctionInfo> updateFunctionCode(const std::string &name, const std::string &zipBytes,
                                            const std::string &revisionId = {}, bool publish = false);
    // UpdateFunctionCode with DryRun: every check updateFunctionCode makes, and the function as
    // the package would make it (CodeSha256, CodeSize); nothing is committed.
    Result<FunctionInfo> checkFunctionCode(const std::string &name, const std::string &zipBytes,
                                           const std::string &revisionId = {});
    // Deploy from the editor: `files` is the complete new file set; one git commit.
    Result<FunctionInfo> deployFiles(const std::string &name, const std::vector<CodeFile> &files);
    Result<FunctionInfo> updateFunctionConfiguration(const std::string &name,
                                                     const FunctionConfigPatch &patch);
    Result<std::vector<CodeFile>> readCode(const std::string &name, const std::string &qualifier = {});
    // What changed in the code from one revision to another (the Versions tab's Compare).
    Result<std::vector<FileDiff>> diffCode(const std::string &name, const CodeRevision &from,
                                           const CodeRevision &to);
    // The deployment package as a zip (GetFunction's Code.Location serves it).
    Result<std::string> codeZip(const std::string &name, const std::string &qualifier = {});

    // --- versions (a published version is a git tag on the code commit) ---
    Result<FunctionInfo> publishVersion(const std::string &name, const std::string &description = {},
                                        const std::string &codeSha256 = {},
                                        const std::string &revisionId = {});
    Result<std::vector<FunctionInfo>> listVersions(const std::string &name);

    // --- aliases (a qualifier naming an alias resolves to its version; Invoke splits between
    // its two versions by their weights) ---
    Result<AliasInfo> createAlias(const std::string &functionName, const AliasConfig &alias);
    Result<AliasInfo> getAlias(const std::string &functionName, const std::string &aliasName);
    // functionVersion: only the aliases of that version (as the primary or the additional one).
    Result<std::vector<AliasInfo>> listAliases(const std::string &functionName,
                                               const std::string &functionVersion = {});
    Result<AliasInfo> updateAlias(const std::string &functionName, const std::string &aliasName,
                                  const AliasPatch &patch);
    Result<void> deleteAlias(const std::string &functionName, const std::string &aliasName);

    // --- resource-based policy: who may invoke the function, a version or an alias (qualifier,
    // or a qualified name). AddPermission answers the statement added, as JSON. ---
    Result<std::string> addPermission(const std::string &functionName, const std::string &qualifier,
                                      const PermissionRequest &request);
    Result<void> removePermission(const std::string &functionName, const std::string &qualifier,
                                  const std::string &statementId,
                                  const std::string &revisionId = {});
    Result<FunctionPolicy> getPolicy(const std::string &functionName,
                                     const std::string &qualifier = {});

    // --- function URLs: one per function ($LATEST) and one per alias (qualifier, or a qualified
    // name). FunctionUrl names the address FunctionUrlServer serves. ---
    Result<FunctionUrlInfo> createFunctionUrl(const std::string &functionName,
                                              const std::string &qualifier,
                                              const FunctionUrlSettings &settings);
    Result<FunctionUrlInfo> getFunctionUrl(const std::string &functionName,
                                           const std::string &qualifier = {});
    Result<FunctionUrlInfo> updateFunctionUrl(const std::string &functionName,
                                              const std::string &qualifier,
                                              const FunctionUrlPatch &patch);
    Result<void> deleteFunctionUrl(const std::string &functionName,
                                   const std::string &qualifier = {});
    Result<std::vector<FunctionUrlInfo>> listFunctionUrls(const std::string &functionName);
    // For the server: the URL with this id (NotFound when none), and whether its function's
    // resource-based policy lets anyone call it, as AuthType NONE requires.
    Result<FunctionUrlAccess> functionUrlAccess(const std::string &urlId);
    // What the console's Create function URL does for AuthType NONE: the statements
    // FunctionURLAllowPublicAccess and FunctionURLAllowInvokeAction, unless the policy already
    // grants public access. Conflict when statements of those ids exist and do not.
    Result<void> grantPublicFunctionUrlAccess(const std::string &functionName,
                                              const std::string &qualifier = {});
    // Called by FunctionUrlServer once it listens (0 once it stops): FunctionUrl names this port.
    void setFunctionUrlPort(int port);

    // --- schedules: EventBridge rules on the default bus whose targets are functions. A rule
    // invokes a target only when the target's policy allows events.amazonaws.com for the rule's
    // ARN (the Add trigger helpers below add that permission). ---
    Result<ScheduleRule> putScheduleRule(const ScheduleRuleInput &input);
    Result<ScheduleRule> getScheduleRule(const std::string &name);
    Result<std::vector<ScheduleRule>> listScheduleRules(const std::string &namePrefix = {});
    // A rule with targets is refused (remove them first); deleting a missing rule succeeds.
    Result<void> deleteScheduleRule(const std::string &name);
    Result<ScheduleRule> setScheduleRuleState(const std::string &name, bool enabled);
    Result<std::vector<TargetFailure>>
    putScheduleTargets(const std::string &rule, const std::vector<ScheduleTarget> &targets);
    Result<std::vector<TargetFailure>> removeScheduleTargets(const std::string &rule,
                                                             const std::vector<std::string> &ids);
    Result<std::vector<ScheduleTarget>> listScheduleTargets(const std::string &rule);
    Result<std::vector<std::string>> listRuleNamesByTarget(const std::string &targetArn);
    // The console's Add trigger (EventBridge): the rule, the permission, the target in one step.
    Result<ScheduleTrigger> addScheduleTrigger(const std::string &functionName,
                                               const std::string &qualifier,
                                               const ScheduleRuleInput &rule);
    // The rules that invoke the function (any qualifier), with whether its policy lets them.
    Result<std::vector<ScheduleTrigger>> listScheduleTriggers(const std::string &functionName);
    // Removes the function's targets from the rule and the permission Add trigger gave it.
    Result<void> removeScheduleTrigger(const std::string &functionName, const std::string &rule);

    // --- folder buckets (foldertrigger.h): functions read and write a registered folder's files
    // through S3's object API (AWS_ENDPOINT_URL_S3 in their environment). ---
    // Registers the folder (made when missing) as the bucket named after it; the same folder
    // again answers the same bucket, another folder of that name is a Conflict.
    Result<FolderBucket> addFolderBucket(const std::string &folder);
    Result<std::vector<FolderBucket>> listFolderBuckets();
    // Forgets the bucket, never its files; a Conflict while a trigger still uses it.
    Result<void> removeFolderBucket(const std::string &name);
    // A folder's writes and deletes invoke the function with S3's event, once its policy lets
    // s3.amazonaws.com in for the bucket (added here, with the bucket).
    Result<FolderTrigger> addFolderTrigger(const std::string &functionName,
                                           const std::string &qualifier,
                                           const FolderTriggerInput &input);
    Result<std::vector<FolderTrigger>> listFolderTriggers(const std::string &functionName);
    Result<FolderTrigger> setFolderTriggerEnabled(const std::string &functionName,
                                                  const std::string &id, bool enabled);
    // Removes the notification and the permission Add trigger gave it.
    Result<void> removeFolderTrigger(const std::string &functionName, const std::string &id);

    // --- queues (queue.h): SQS standard queues kept in the data dir, by name (the API layer
    // turns URLs into names). ---
    // Returns the existing queue when every given attribute matches it; QueueNameExists else.
    Result<QueueInfo> createQueue(const std::string &name, const QueueAttributes &attributes = {},
                                  const QueueTags &tags = {});
    Result<QueueInfo> getQueue(const std::string &name);
    Result<std::vector<QueueInfo>> listQueues(const std::string &namePrefix = {});
    Result<void> deleteQueue(const std::string &name); // with its messages
    // `names` as GetQueueAttributes takes them ("All" or names), counts and timestamps included.
    Result<QueueAttributes> getQueueAttributes(const std::string &name,
                                               const std::vector<std::string> &names);
    // An empty RedrivePolicy, Policy or RedriveAllowPolicy removes it.
    Result<void> setQueueAttributes(const std::string &name, const QueueAttributes &attributes);
    Result<void> purgeQueue(const std::string &name); // once a minute per queue
    Result<std::vector<std::string>> listDeadLetterSourceQueues(const std::string &name);
    // The console's Queues page: up to `max` messages as they stand, oldest first. Nothing about
    // them changes (SQS itself has no peek: ReceiveMessage hides what it returns).
    Result<std::vector<PeekedMessage>> peekMessages(const std::string &queue, int max = 10);
    // DLQ redrive: every message of a dead-letter queue back to the queue it came from, visible
    // at once with a fresh receive count (SQS's StartMessageMoveTask without a destination).
    // Returns how many moved; messages whose source queue is gone stay.
    Result<int> redriveDeadLetters(const std::string &deadLetterQueue);
    Result<QueueTags> listQueueTags(const std::string &name);
    Result<void> tagQueue(const std::string &name, const QueueTags &tags,
                          const std::vector<std::string> &removeKeys = {});
    std::string queueArn(const std::string &name) const;
    Result<SentMessage> sendMessage(const std::string &queue, const QueueMessageInput &message);
    // Waits up to the wait time for a first message (long polling) and answers what is visible
    // then, up to maxMessages; an empty list when none came. Messages received maxReceiveCount
    // times move to the queue's dead-letter queue instead.
    Result<std::vector<ReceivedMessage>> receiveMessages(const std::string &queue,
                                                         const ReceiveOptions &options);
    Result<void> deleteMessage(const std::string &queue, const std::string &receiptHandle);
    Result<void> changeMessageVisibility(const std::string &queue, const std::string &receiptHandle,
                                         int visibilityTimeout);

    // --- event source mappings: a local queue polled for a function. Messages the function
    // handled are deleted; a failed batch (or the items ReportBatchItemFailures names) returns
    // to the queue after its visibility timeout, and to its dead-letter queue in the end. ---
    Result<EventSourceMapping> createEventSourceMapping(const EventSourceMappingInput &input);
    Result<EventSourceMapping> getEventSourceMapping(const std::string &uuid);
    // Either filter may be empty; functionName takes a name or an ARN.
    Result<std::vector<EventSourceMapping>>
    listEventSourceMappings(const std::string &functionName = {},
                            const std::string &eventSourceArn = {});
    // input.functionName, when set, moves the mapping to another function; eventSourceArn is
    // ignored (a mapping keeps its source).
    Result<EventSourceMapping> updateEventSourceMapping(const std::string &uuid,
                                                        const EventSourceMappingInput &input);
    Result<EventSourceMapping> deleteEventSourceMapping(const std::string &uuid);

    // --- asynchronous invocation: per function, version or alias (qualifier "" is $LATEST) ---
    // Put replaces the whole configuration (what the input leaves unset is removed); Update
    // changes what it sets and needs an existing configuration.
    Result<EventInvokeConfig> putFunctionEventInvokeConfig(const std::string &functionName,
                                                           const std::string &qualifier,
                                                           const EventInvokeConfigInput &input);
    Result<EventInvokeConfig> updateFunctionEventInvokeConfig(const std::string &functionName,
                                                              const std::string &qualifier,
                                                              const EventInvokeConfigInput &input);
    Result<EventInvokeConfig> getFunctionEventInvokeConfig(const std::string &functionName,
                                                           const std::string &qualifier = {});
    Result<void> deleteFunctionEventInvokeConfig(const std::string &functionName,
                                                 const std::string &qualifier = {});
    Result<std::vector<EventInvokeConfig>>
    listFunctionEventInvokeConfigs(const std::string &functionName);
    // Events Invoke accepted (202) and not yet done with: queued, waiting to retry or running.
    Result<std::size_t> pendingAsyncEvents(const std::string &functionName);

    // --- layers (account-wide; a version's content never changes). layerName: a name or the
    // layer's ARN. A deleted version stays usable by the functions that already reference it. ---
    Result<LayerVersionInfo> publishLayerVersion(const LayerVersionInput &input,
                                                 const std::string &zipBytes);
    // From the console's "Upload a folder": `files` become the version's zip.
    Result<LayerVersionInfo> publishLayerVersionFromFiles(const LayerVersionInput &input,
                                                          const std::vector<CodeFile> &files);
    // Each layer's latest version that matches.
    std::vector<LayerVersionInfo> listLayers(const LayerFilter &filter = {});
    std::vector<LayerVersionInfo> listLayerVersions(const std::string &layerName,
                                                    const LayerFilter &filter = {}); // newest first
    Result<LayerVersionInfo> getLayerVersion(const std::string &layerName, std::int64_t version);
    Result<LayerVersionInfo> getLayerVersionByArn(const std::string &layerVersionArn);
    Result<void> deleteLayerVersion(const std::string &layerName, std::int64_t version);
    Result<std::string> layerZip(const std::string &layerName, std::int64_t version);

    // --- tags and concurrency ---
    Result<void> tagResource(const std::string &arn, const std::map<std::string, std::string> &tags);
    Result<void> untagResource(const std::string &arn, const std::vector<std::string> &keys);
    Result<std::map<std::string, std::string>> listTags(const std::string &arn);
    Result<void> putFunctionConcurrency(const std::string &name, int reserved);
    Result<void> deleteFunctionConcurrency(const std::string &name);
    Result<std::optional<int>> getFunctionConcurrency(const std::string &name);

    // --- invoke ---
    Result<InvokeResult> invoke(const InvokeRequest &request);

    // --- records, saved events, drafts (for the desktop console) ---
    std::vector<InvocationRecord> listInvocations(const InvocationQuery &query);
    Result<std::vector<SavedTestEvent>> listTestEvents(const std::string &function);
    Result<void> saveTestEvent(const std::string &function, const SavedTestEvent &event);
    Result<void> deleteTestEvent(const std::string &function, const std::string &eventName);
    Result<std::vector<CodeFile>> loadDraft(const std::string &function); // empty: no draft
    Result<void> saveDraft(const std::string &function, const std::vector<CodeFile> &files);
    Result<void> discardDraft(const std::string &function);

    // Called on an engine thread after every recorded invocation; keep it short and thread-safe.
    using InvocationObserver = std::function<void(const InvocationRecord &)>;
    int subscribeInvocations(InvocationObserver observer);
    void unsubscribeInvocations(int subscription);

    EngineStatus status() const;
    AccountSettings accountSettings();
    const EngineOptions &options() const;
    // Every sandbox backend, and whether it works on this machine (detail says why not).
    std::vector<Availability> sandboxAvailability() const;
    // Where the microVM guest image stands, and the command that builds it.
    GuestImageInfo guestImage() const;
    // Forgets what the sandbox backends found (call after building the guest image): the next
    // availability check or microvm start looks again.
    void rescanSandboxes();
    // Every runtime id we know; unavailable ones say why ("python3.12: /usr/bin/python3.12 not
    // found; available: python3.11").
    std::vector<Availability> runtimes() const;

    struct Impl;

private:
    explicit Engine(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
