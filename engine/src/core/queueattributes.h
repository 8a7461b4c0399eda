#pragma once
// What the queue operations share: SQS's attribute defaults, reading a queue's numbers and its
// redrive policy, and the error for a queue that is not there.

#include "lambdesk/engine/queue.h"

#include <optional>
#include <string>

namespace lambdesk::engine::detail {

extern const QueueAttributes kDefaultQueueAttributes;

Error queueNotFound();
// The queue's value of an integer attribute, else SQS's default.
int intAttribute(const QueueAttributes &attributes, const char *name);
// A RedrivePolicy as SQS gives it back: maxReceiveCount a number, whatever the caller sent.
std::string normalisedRedrive(const std::string &value);

struct RedriveTarget {
    std::string queue;
    int maxReceiveCount = 0;
};
std::optional<RedriveTarget> redriveTarget(const QueueAttributes &attributes);

} // namespace lambdesk::engine::detail
