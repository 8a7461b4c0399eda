#pragma once
// A blueprint's blueprint.json: what Create function → Use a blueprint shows and sets up. The app
// reads the repository's blueprints/ through this, as the tests that fire each blueprint's trigger
// do, so the format has one reader.
//
//   {"name", "description", "runtime", "handler", "tags": [...], "testEvent", "executables": [...],
//    "trigger": {"service", "description",                     // what it is on AWS, in words
//                "schedule": {"ruleName", "scheduleExpression", "description"}
//              | "folder": {"events": ["s3:ObjectCreated:*"], "prefix", "suffix"}
//              | "queue": {"name", "batchSize", "maximumBatchingWindowInSeconds",
//                          "reportBatchItemFailures": true}
//              | "functionUrl": {"authType": "NONE" | "AWS_IAM"}},
//               (at most one of the four; none of them: no trigger)
//    "destination": {"onSuccess": {"queue"}, "onFailure": {"queue"}},   // optional
//    "outputBucket": {"variable", "description"}}   // optional: a folder bucket the function
//                                                    // writes to, named in that variable

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/trigger.h"
#include "lambdesk/engine/types.h"

#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

struct BlueprintManifest {
    std::string name;
    std::string description;
    std::string runtime;
    std::string handler;
    std::vector<std::string> tags;
    std::string testEvent; // a template of resources/events, e.g. "s3-put"
    std::vector<std::string> executables;
    std::string triggerService;
    std::string triggerDescription;
    TriggerRequest trigger;     // kind None: the blueprint suggests no local trigger
    std::string onSuccessQueue; // asynchronous invocation destinations, queues by name
    std::string onFailureQueue;
    std::string outputBucketVariable; // "": the blueprint writes to no bucket of its own
    std::string outputBucketDescription;
};

// InvalidParameter naming the field when the manifest is not JSON or a field has the wrong type.
Result<BlueprintManifest> parseBlueprintManifest(const std::string &json);

// Sets the blueprint's destinations on the function ($LATEST), making each queue when missing.
Result<void> addBlueprintDestinations(Engine &engine, const std::string &functionName,
                                      const BlueprintManifest &blueprint);

// Create function as the console's wizard does it: the blueprint's output folder registered as a
// bucket and named in its variable, the function with its first code, then the blueprint's
// destinations and the trigger asked for with it (last: once added, it may fire). When either
// cannot be added, the function and what was made for it are deleted again and the error says
// which step failed, so a failed Create leaves nothing half-made. Answers the function and what
// addTrigger named ("" without a trigger).
struct CreatedFunction {
    FunctionInfo function;
    std::string trigger;
};
Result<CreatedFunction> createFunctionWithTrigger(Engine &engine, const FunctionConfig &config,
                                                  const std::vector<CodeFile> &files,
                                                  const std::optional<TriggerRequest> &trigger,
                                                  const BlueprintManifest *blueprint = nullptr,
                                                  const std::string &outputFolder = {});

} // namespace lambdesk::engine
