#include "lambdesk/engine/apiserver.h"

namespace lambdesk::engine {

// capitalMessage follows service-2.json: ResourceNotFoundException, ServiceException (and the
// InvalidRuntime, InvalidZipFile and ResourceInUse shapes) spell their member "Message".
LambdaErrorShape lambdaErrorFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound:
        return {404, "ResourceNotFoundException", true};
    case ErrorCode::InvalidParameter:
    case ErrorCode::Unsupported:
        return {400, "InvalidParameterValueException", false};
    case ErrorCode::InvalidRequestContent:
        return {400, "InvalidRequestContentException", false};
    case ErrorCode::RequestTooLarge:
        return {413, "RequestTooLargeException", false};
    case ErrorCode::Conflict:
        return {409, "ResourceConflictException", false};
    case ErrorCode::PreconditionFailed:
        return {412, "PreconditionFailedException", false};
    case ErrorCode::TooManyRequests:
        return {429, "TooManyRequestsException", false};
    case ErrorCode::CodeStorageExceeded:
        return {400, "CodeStorageExceededException", false};
    case ErrorCode::PolicyLengthExceeded:
        return {400, "PolicyLengthExceededException", false};
    case ErrorCode::LimitExceeded:
        return {400, "LimitExceededException", false};
    // The queue service's errors never reach a Lambda route; should one, it is the caller's.
    case ErrorCode::QueueDoesNotExist:
    case ErrorCode::QueueNameExists:
    case ErrorCode::ReceiptHandleIsInvalid:
    case ErrorCode::MessageNotInflight:
    case ErrorCode::InvalidAttributeName:
    case ErrorCode::InvalidAttributeValue:
    case ErrorCode::InvalidMessageContents:
    case ErrorCode::MissingParameter:
    case ErrorCode::EmptyBatchRequest:
    case ErrorCode::TooManyEntriesInBatchRequest:
    case ErrorCode::BatchEntryIdsNotDistinct:
    case ErrorCode::InvalidBatchEntryId:
    case ErrorCode::BatchRequestTooLong:
    case ErrorCode::PurgeQueueInProgress:
        return {400, "InvalidParameterValueException", false};
    case ErrorCode::EngineLocked:
    case ErrorCode::ServiceError:
        return {500, "ServiceException", true};
    case ErrorCode::Validation:
        return {400, "ValidationException", false};
    case ErrorCode::UnknownOperation:
        return {404, "UnknownOperationException", false};
    case ErrorCode::LengthRequired:
        return {411, "InvalidRequestContentException", false};
    case ErrorCode::UnsupportedMediaType:
        return {415, "UnsupportedMediaTypeException", false};
    case ErrorCode::AccessDenied:
        return {403, "AccessDeniedException", false};
    case ErrorCode::MissingAuthenticationToken:
        return {403, "MissingAuthenticationTokenException", false};
    case ErrorCode::IncompleteSignature:
        return {403, "IncompleteSignatureException", false};
    case ErrorCode::InvalidSignature:
        return {403, "InvalidSignatureException", false};
    case ErrorCode::UnrecognizedClient:
        return {403, "UnrecognizedClientException", false};
    }
    return {500, "ServiceException", true};
}

} // namespace lambdesk::engine
