#pragma once
// One trigger of any kind, as the console's Add trigger form and a blueprint's suggestion describe
// it, and the call that adds it to a function the way the console does: a schedule rule with the
// permission it needs, a folder bucket, a queue mapping (the queue made when it is missing), or a
// Function URL (AuthType NONE with its public permission).

#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/eventsourcemapping.h"
#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/result.h"
#include "lambdesk/engine/schedule.h"

#include <string>

namespace lambdesk::engine {

enum class TriggerKind { None, Schedule, Folder, Queue, FunctionUrl };

struct TriggerRequest {
    TriggerKind kind = TriggerKind::None;
    ScheduleRuleInput schedule;
    FolderTriggerInput folder;
    std::string queue;               // a queue of this engine, by name
    EventSourceMappingInput mapping; // batch settings; the queue's ARN and the function are added
    std::string urlAuthType = kUrlAuthNone;
};

// Adds `request` to the function (or its alias `qualifier`) and answers the trigger's name as the
// console's confirmation names it: the rule, the bucket, the queue, or "Function URL".
Result<std::string> addTrigger(Engine &engine, const std::string &functionName,
                               const std::string &qualifier, const TriggerRequest &request);

} // namespace lambdesk::engine
