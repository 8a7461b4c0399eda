#pragma once
// Local queues that behave as SQS standard queues: what a queue is, what a message carries, and
// SQS's limits, so that the app's forms check a value exactly as the API will.

#include "lambdesk/engine/result.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

inline constexpr std::size_t kMaxQueueNameLength = 80;
inline constexpr int kMaxQueueDelaySeconds = 900;
inline constexpr int kMaxVisibilityTimeoutSeconds = 43200;
inline constexpr int kMaxReceiveWaitSeconds = 20;
inline constexpr int kMaxMessagesPerReceive = 10;
inline constexpr std::size_t kMaxQueueBatchEntries = 10;
inline constexpr std::size_t kMaxMessageAttributes = 10;
inline constexpr std::size_t kMaxMessageAttributeNameLength = 256;
inline constexpr std::size_t kMaxBatchEntryIdLength = 80;
inline constexpr std::size_t kMaxMessageBytes = 262144;
inline constexpr std::size_t kMinMessageBytesLimit = 1024;
inline constexpr int kMinRetentionSeconds = 60;
inline constexpr int kMaxRetentionSeconds = 1209600;
inline constexpr int kMaxRedriveReceiveCount = 1000;
inline constexpr std::int64_t kPurgeIntervalMs = 60000; // one PurgeQueue a minute per queue
inline constexpr const char *kQueueArnPrefix = "arn:aws:sqs:";

// Queue attributes as SQS names them ("VisibilityTimeout" -> "30"); values are strings on the
// wire and here.
using QueueAttributes = std::map<std::string, std::string>;
using QueueTags = std::map<std::string, std::string>;

struct QueueInfo {
    std::string name;
    std::string arn;            // arn:aws:sqs:REGION:ACCOUNT:NAME
    QueueAttributes attributes; // the settable ones, defaults filled in
    std::int64_t createdMs = 0;
    std::int64_t modifiedMs = 0;
};

// A message attribute: DataType String | Number | Binary, with an optional ".custom" suffix.
struct MessageAttributeValue {
    std::string dataType;
    std::string stringValue; // String and Number
    std::string binaryValue; // Binary: the raw bytes (base64 only on the wire)
    bool isBinary() const { return dataType.starts_with("Binary"); }
};
using MessageAttributes = std::map<std::string, MessageAttributeValue>;

struct QueueMessageInput {
    std::string body;
    std::optional<int> delaySeconds; // unset: the queue's DelaySeconds
    MessageAttributes attributes;
    MessageAttributes systemAttributes; // AWSTraceHeader only
};

struct SentMessage {
    std::string messageId;
    std::string md5OfBody;
    std::string md5OfMessageAttributes;       // "" without attributes
    std::string md5OfMessageSystemAttributes; // "" without system attributes
};

struct ReceiveOptions {
    int maxMessages = 1;
    std::optional<int> visibilityTimeout; // unset: the queue's
    std::optional<int> waitSeconds;       // unset: the queue's ReceiveMessageWaitTimeSeconds
};

// A message as the console's Queues page shows it, without receiving it.
struct PeekedMessage {
    std::string messageId;
    std::string body;
    std::int64_t sentMs = 0;
    int receiveCount = 0;
    std::string state;               // "available", "in flight" or "delayed"
    std::string deadLetterSourceArn; // the queue it came from, on a dead-letter queue
};

struct ReceivedMessage {
    std::string messageId;
    std::string receiptHandle;
    std::string body;
    std::string md5OfBody;
    std::string md5OfMessageAttributes;
    MessageAttributes attributes;
    MessageAttributes systemAttributes;
    // The system attributes ReceiveMessage's AttributeNames select from: SentTimestamp,
    // ApproximateReceiveCount, ApproximateFirstReceiveTimestamp, SenderId,
    // DeadLetterQueueSourceArn, AWSTraceHeader.
    std::map<std::string, std::string> systemValues;
};

// --- the rules; the engine applies them, the app may call them to check a form ---

// 1-80 of [A-Za-z0-9_-]; a ".fifo" name is refused with the reason (FIFO queues are not here).
Result<void> validateQueueName(const std::string &name);
// CreateQueue / SetQueueAttributes' map: known names, values in range, a RedrivePolicy whose
// maxReceiveCount is 1-1000 and whose deadLetterTargetArn is a queue ARN.
Result<void> validateQueueAttributes(const QueueAttributes &attributes);
// SendMessage's checks: a body of allowed characters, at most 10 well-named attributes with
// values, and body plus attributes within `maxBytes` (the queue's MaximumMessageSize).
Result<void> validateQueueMessage(const QueueMessageInput &message, std::size_t maxBytes);
// A batch's entry ids: 1-10 of them, distinct, each 1-80 of [A-Za-z0-9_-].
Result<void> validateBatchEntryIds(const std::vector<std::string> &ids);
// The name at the end of a queue URL (http://host/ACCOUNT/NAME) or queue ARN.
std::optional<std::string> queueNameFromUrlOrArn(const std::string &urlOrArn);

// SQS's MD5 of message attributes: names sorted, each length-prefixed with its type and value.
std::string messageAttributesMd5(const MessageAttributes &attributes);

} // namespace lambdesk::engine
