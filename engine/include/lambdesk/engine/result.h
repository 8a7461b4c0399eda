#pragma once
// Expected-like result type used at every engine boundary: failures are values, exceptions never
// cross the engine API (see STYLE.md section 6).

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lambdesk::engine {

// One code per Lambda error type; the HTTP layer maps each to a status and an AWS error type in
// exactly one place (lambdaErrorFor in apiserver.h). The engine's own calls use the first group;
// the API layer raises the second (request shape, content type, authentication) itself.
enum class ErrorCode {
    NotFound,              // ResourceNotFoundException 404
    InvalidParameter,      // InvalidParameterValueException 400
    InvalidRequestContent, // InvalidRequestContentException 400
    RequestTooLarge,       // RequestTooLargeException 413
    Conflict,              // ResourceConflictException 409
    PreconditionFailed,    // PreconditionFailedException 412 (RevisionId mismatch)
    TooManyRequests,       // TooManyRequestsException 429
    CodeStorageExceeded,   // CodeStorageExceededException 400
    PolicyLengthExceeded,  // PolicyLengthExceededException 400
    LimitExceeded,         // LimitExceededException 400 (EventBridge: too many targets)
    Unsupported,  // InvalidParameterValueException 400: a runtime or sandbox not available here
    EngineLocked, // ServiceException 500: another engine owns the data dir
    ServiceError, // ServiceException 500

    // The queue service's own errors (SQS names; api/sqserrors.cpp maps them).
    QueueDoesNotExist,            // AWS.SimpleQueueService.NonExistentQueue 400
    QueueNameExists,              // QueueAlreadyExists 400: same name, other attributes
    ReceiptHandleIsInvalid,       // ReceiptHandleIsInvalid 404
    MessageNotInflight,           // AWS.SimpleQueueService.MessageNotInflight 400
    InvalidAttributeName,         // InvalidAttributeName 400
    InvalidAttributeValue,        // InvalidAttributeValue 400
    InvalidMessageContents,       // InvalidMessageContents 400
    MissingParameter,             // MissingParameter 400
    EmptyBatchRequest,            // AWS.SimpleQueueService.EmptyBatchRequest 400
    TooManyEntriesInBatchRequest, // AWS.SimpleQueueService.TooManyEntriesInBatchRequest 400
    BatchEntryIdsNotDistinct,     // AWS.SimpleQueueService.BatchEntryIdsNotDistinct 400
    InvalidBatchEntryId,          // AWS.SimpleQueueService.InvalidBatchEntryId 400
    BatchRequestTooLong,          // AWS.SimpleQueueService.BatchRequestTooLong 400
    PurgeQueueInProgress,         // AWS.SimpleQueueService.PurgeQueueInProgress 403

    Validation,           // ValidationException 400: a value breaks the model's constraints
    UnknownOperation,     // UnknownOperationException 404: no operation has this method and path
    LengthRequired,       // InvalidRequestContentException 411: a body without Content-Length
    UnsupportedMediaType, // UnsupportedMediaTypeException 415
    AccessDenied,         // AccessDeniedException 403: refused as a cross-site browser request
    MissingAuthenticationToken, // MissingAuthenticationTokenException 403: no Authorization
    IncompleteSignature, // IncompleteSignatureException 403: Authorization or X-Amz-Date malformed
    InvalidSignature,    // InvalidSignatureException 403: signature, scope or time wrong
    UnrecognizedClient,  // UnrecognizedClientException 403: unknown access key
};

struct Error {
    ErrorCode code = ErrorCode::ServiceError;
    std::string message;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {} // NOLINT(google-explicit-constructor)
    Result(Error error) : m_state(std::move(error)) {} // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T &value() & { assert(ok()); return std::get<T>(m_state); }
    const T &value() const & { assert(ok()); return std::get<T>(m_state); }
    T &&value() && { assert(ok()); return std::get<T>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { assert(!ok()); return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {} // NOLINT(google-explicit-constructor)
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { assert(!m_ok); return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

inline Error makeError(ErrorCode code, std::string message)
{
    return Error{code, std::move(message)};
}

} // namespace lambdesk::engine
