#include "api/sqserrors.h"

#include "api/httpexchange.h"
#include "api/queryprotocol.h"
#include "common/xmlwriter.h"

#include <nlohmann/json.hpp>

namespace lambdesk::engine::api {

SqsErrorShape sqsErrorFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::QueueDoesNotExist:
        return {400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"};
    case ErrorCode::QueueNameExists:
        return {400, "QueueNameExists", "QueueAlreadyExists"};
    case ErrorCode::ReceiptHandleIsInvalid:
        return {404, "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid"};
    case ErrorCode::MessageNotInflight:
        return {400, "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight"};
    case ErrorCode::InvalidAttributeName:
        return {400, "InvalidAttributeName", "InvalidAttributeName"};
    case ErrorCode::InvalidAttributeValue:
        return {400, "InvalidAttributeValue", "InvalidAttributeValue"};
    case ErrorCode::InvalidMessageContents:
        return {400, "InvalidMessageContents", "InvalidMessageContents"};
    case ErrorCode::MissingParameter:
        return {400, "MissingParameter", "MissingParameter"};
    case ErrorCode::EmptyBatchRequest:
        return {400, "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest"};
    case ErrorCode::TooManyEntriesInBatchRequest:
        return {400, "TooManyEntriesInBatchRequest",
                "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"};
    case ErrorCode::BatchEntryIdsNotDistinct:
        return {400, "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"};
    case ErrorCode::InvalidBatchEntryId:
        return {400, "InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId"};
    case ErrorCode::BatchRequestTooLong:
        return {400, "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong"};
    case ErrorCode::PurgeQueueInProgress:
        return {403, "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress"};
    case ErrorCode::UnknownOperation:
        return {400, "InvalidAction", "InvalidAction"};
    case ErrorCode::AccessDenied:
        return {403, "AccessDenied", "AccessDenied"};
    case ErrorCode::MissingAuthenticationToken:
        return {403, "MissingAuthenticationToken", "MissingAuthenticationToken"};
    case ErrorCode::IncompleteSignature:
        return {403, "IncompleteSignature", "IncompleteSignature"};
    case ErrorCode::InvalidSignature:
        return {403, "SignatureDoesNotMatch", "SignatureDoesNotMatch"};
    case ErrorCode::UnrecognizedClient:
        return {403, "InvalidClientTokenId", "InvalidClientTokenId"};
    case ErrorCode::RequestTooLarge:
        return {413, "RequestTooLarge", "RequestTooLarge"};
    case ErrorCode::EngineLocked:
    case ErrorCode::ServiceError:
        return {500, "InternalError", "InternalError", false};
    case ErrorCode::NotFound:
    case ErrorCode::InvalidParameter:
    case ErrorCode::InvalidRequestContent:
    case ErrorCode::Conflict:
    case ErrorCode::PreconditionFailed:
    case ErrorCode::TooManyRequests:
    case ErrorCode::CodeStorageExceeded:
    case ErrorCode::PolicyLengthExceeded:
    case ErrorCode::LimitExceeded:
    case ErrorCode::Unsupported:
    case ErrorCode::Validation:
    case ErrorCode::LengthRequired:
    case ErrorCode::UnsupportedMediaType:
        break;
    }
    return {400, "InvalidParameterValue", "InvalidParameterValue"};
}

void sendSqsJsonError(httplib::Response &res, const Error &error)
{
    const SqsErrorShape shape = sqsErrorFor(error.code);
    const nlohmann::json body{{"__type", std::string("com.amazonaws.sqs#") + shape.type},
                              {"message", error.message}};
    res.headers.erase(kErrorTypeHeader);
    res.set_header(kErrorTypeHeader, shape.type);
    res.set_header("x-amzn-query-error",
                   std::string(shape.queryCode) + (shape.senderFault ? ";Sender" : ";Receiver"));
    res.status = shape.status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/x-amz-json-1.0");
}

void sendQueryError(httplib::Response &res, const Error &error)
{
    const SqsErrorShape shape = sqsErrorFor(error.code);
    common::XmlWriter xml;
    xml.open("ErrorResponse", kSqsXmlNamespace);
    xml.open("Error");
    xml.element("Type", shape.senderFault ? "Sender" : "Receiver");
    xml.element("Code", shape.queryCode);
    xml.element("Message", error.message);
    xml.element("Detail", "");
    xml.close();
    xml.element("RequestId", res.get_header_value(kRequestIdHeader));
    xml.close();
    // Not part of the query protocol, which clients ignore; it tells our error handler that this
    // response is already shaped.
    res.headers.erase(kErrorTypeHeader);
    res.set_header(kErrorTypeHeader, shape.queryCode);
    res.status = shape.status;
    res.set_content(xml.text(), "text/xml");
}

} // namespace lambdesk::engine::api
