#include "lambdesk/engine/apiserver.h"

namespace lambdesk::engine {

std::pair<int, std::string> lambdaErrorFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound: return {404, "ResourceNotFoundException"};
    case ErrorCode::InvalidParameter: return {400, "InvalidParameterValueException"};
    case ErrorCode::InvalidRequestContent: return {400, "InvalidRequestContentException"};
    case ErrorCode::RequestTooLarge: return {413, "RequestTooLargeException"};
    case ErrorCode::Conflict: return {409, "ResourceConflictException"};
    case ErrorCode::PreconditionFailed: return {412, "PreconditionFailedException"};
    case ErrorCode::TooManyRequests: return {429, "TooManyRequestsException"};
    case ErrorCode::CodeStorageExceeded: return {400, "CodeStorageExceededException"};
    case ErrorCode::Unsupported: return {400, "InvalidParameterValueException"};
    case ErrorCode::EngineLocked:
    case ErrorCode::ServiceError: return {500, "ServiceException"};
    }
    return {500, "ServiceException"};
}

} // namespace lambdesk::engine
