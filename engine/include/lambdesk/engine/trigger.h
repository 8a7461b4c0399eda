#pragma once
// One trigger of any kind, as the console's Add trigger form and a blueprint's suggestion describe
// it, and the call that adds it to a function the way the console does: a schedule rule with the
// permission it needs, a folder bucket, a queue mapping (the queue made when it is missing), or a
// Function URL (AuthType NONE with its public permission).

#include "lambdesk/engine/eventsourcemapping.h"
#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/result.h"
#include "lambdesk/engine/schedule.h"
#include "lambdesk/engine/types.h"

#include <string>

namespace lambdesk::engine {

class Engine;

enum class TriggerKind { None, Schedule, Folder, Queue, FunctionUrl };

struct TriggerRequest {
    TriggerKind kind = TriggerKind::None;
    ScheduleRuleInput schedule; // no expression: the function joins the existing rule
    FolderTriggerInput folder;
    std::string queue;               // a queue of this engine, by name
    EventSourceMappingInput mapping; // batch settings; the queue's ARN and the function are added
    FunctionUrlSettings url{kUrlAuthNone, std::nullopt, kInvokeModeBuffered};
};

// Adds `request` to the function (or its alias `qualifier`) and answers what the console's
// confirmation names: the rule, the bucket, the queue, or the Function URL. When it fails,
// nothing of it stays: a queue made for it and a URL whose permission could not be given go again.
Result<std::string> addTrigger(Engine &engine, const std::string &functionName,
                               const std::string &qualifier, const TriggerRequest &request);

} // namespace lambdesk::engine
