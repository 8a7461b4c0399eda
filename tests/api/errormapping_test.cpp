// Each row of the engine-error -> Lambda-error mapping, and the errors the API layer raises
// itself, as a client sees them: status, x-amzn-ErrorType, x-amzn-RequestId, {"Type", message}.

#include "apitestsupport.h"

namespace lambdesk::engine::testing {
namespace {

TEST(ErrorMapping, MapsEveryEngineCode)
{
    const std::vector<std::tuple<ErrorCode, int, std::string>> rows = {
        {ErrorCode::NotFound, 404, "ResourceNotFoundException"},
        {ErrorCode::InvalidParameter, 400, "InvalidParameterValueException"},
        {ErrorCode::InvalidRequestContent, 400, "InvalidRequestContentException"},
        {ErrorCode::RequestTooLarge, 413, "RequestTooLargeException"},
        {ErrorCode::Conflict, 409, "ResourceConflictException"},
        {ErrorCode::PreconditionFailed, 412, "PreconditionFailedException"},
        {ErrorCode::TooManyRequests, 429, "TooManyRequestsException"},
        {ErrorCode::CodeStorageExceeded, 400, "CodeStorageExceededException"},
        {ErrorCode::ServiceError, 500, "ServiceException"},
        {ErrorCode::Unsupported, 400, "InvalidParameterValueException"},
        {ErrorCode::EngineLocked, 500, "ServiceException"},
        {ErrorCode::Validation, 400, "ValidationException"},
        {ErrorCode::UnknownOperation, 404, "UnknownOperationException"},
        {ErrorCode::LengthRequired, 411, "InvalidRequestContentException"},
        {ErrorCode::UnsupportedMediaType, 415, "UnsupportedMediaTypeException"},
        {ErrorCode::AccessDenied, 403, "AccessDeniedException"},
        {ErrorCode::MissingAuthenticationToken, 403, "MissingAuthenticationTokenException"},
        {ErrorCode::IncompleteSignature, 403, "IncompleteSignatureException"},
        {ErrorCode::InvalidSignature, 403, "InvalidSignatureException"},
        {ErrorCode::UnrecognizedClient, 403, "UnrecognizedClientException"},
    };
    for (const auto &[code, status, type] : rows) {
        const LambdaErrorShape shape = lambdaErrorFor(code);
        EXPECT_EQ(shape.status, status) << type;
        EXPECT_EQ(shape.type, type);
    }
}

using ErrorResponses = ApiTest;

TEST_F(ErrorResponses, UnknownRouteIsUnknownOperation404)
{
    expectLambdaError(m_client->Get("/2015-03-31/no-such-thing"), 404, "UnknownOperationException");
    expectLambdaError(m_client->Post("/2015-03-31/functions/x/unknown", "{}", "application/json"),
                      404, "UnknownOperationException");
}

TEST_F(ErrorResponses, MissingFunctionIsResourceNotFound404)
{
    auto res = m_client->Get("/2015-03-31/functions/does-not-exist");
    expectLambdaError(res, 404, "ResourceNotFoundException");
    // The model spells this shape's member "Message".
    EXPECT_TRUE(parseBody(res).contains("Message")) << res->body;
    expectLambdaError(m_client->Get("/2015-03-31/functions/does-not-exist/configuration"), 404,
                      "ResourceNotFoundException");
    expectLambdaError(invoke("does-not-exist", "{}"), 404, "ResourceNotFoundException");
}

TEST_F(ErrorResponses, DuplicateCreateIsResourceConflict409)
{
    createOrFail("dup");
    expectLambdaError(createFunction("dup"), 409, "ResourceConflictException");
}

TEST_F(ErrorResponses, MalformedBodyIsInvalidRequestContent400)
{
    auto res = m_client->Post(kFunctionsUri, "{\"FunctionName\": ", "application/json");
    expectLambdaError(res, 400, "InvalidRequestContentException");
    EXPECT_NE(res->body.find("Could not parse request body into json"), std::string::npos);
    expectLambdaError(m_client->Post(kFunctionsUri, "[1, 2]", "application/json"), 400,
                      "InvalidRequestContentException");
    // A member of the wrong type.
    expectLambdaError(createFunction("typed", {{"Timeout", "three"}}), 400,
                      "InvalidRequestContentException");
}

TEST_F(ErrorResponses, BadParameterIsInvalidParameterValue400)
{
    expectLambdaError(createFunction("bad-timeout", {{"Timeout", 0}}), 400,
                      "InvalidParameterValueException");
    expectLambdaError(createFunction("s3-code", {{"Code", {{"S3Bucket", "b"}, {"S3Key", "k"}}}}),
                      400, "InvalidParameterValueException");
}

TEST_F(ErrorResponses, InvalidFunctionNameIsValidation400)
{
    auto res = m_client->Get("/2015-03-31/functions/bad%20name!");
    expectLambdaError(res, 400, "ValidationException");
    EXPECT_NE(res->body.find("at 'functionName' failed to satisfy constraint"), std::string::npos)
        << res->body;
    expectLambdaError(createFunction("no/slash"), 400, "ValidationException");
    expectLambdaError(m_client->Get("/2015-03-31/functions/" + std::string(300, 'a')), 400,
                      "ValidationException");
}

TEST_F(ErrorResponses, StaleRevisionIdIsPreconditionFailed412)
{
    createOrFail("revisioned");
    const json update = {
        {"ZipFile", base64(makeZip({{"lambda_function.py", kEchoHandler}}))},
        {"RevisionId", "00000000-0000-0000-0000-000000000000"},
    };
    expectLambdaError(m_client->Put("/2015-03-31/functions/revisioned/code", update.dump(),
                                    "application/json"),
                      412, "PreconditionFailedException");
    expectLambdaError(m_client->Put("/2015-03-31/functions/revisioned/configuration",
                                    json({{"RevisionId", "stale"}, {"Timeout", 5}}).dump(),
                                    "application/json"),
                      412, "PreconditionFailedException");
}

TEST_F(ErrorResponses, OversizedPayloadIsRequestTooLarge413)
{
    createOrFail("big");
    const std::string payload = "\"" + std::string(7 * 1024 * 1024, 'x') + "\"";
    expectLambdaError(invoke("big", payload), 413, "RequestTooLargeException");
}

TEST_F(ErrorResponses, BodyPastTheServerLimitIsRequestTooLarge413)
{
    // Past the server's own body limit httplib answers before any route; still Lambda-shaped.
    const std::string body(81 * 1024 * 1024, 'x');
    expectLambdaError(m_client->Post(kFunctionsUri, body, "application/json"), 413,
                      "RequestTooLargeException");
}

TEST_F(ErrorResponses, ThrottledInvokeIsTooManyRequests429)
{
    createOrFail("throttled");
    auto put = m_client->Put("/2017-10-31/functions/throttled/concurrency",
                             json({{"ReservedConcurrentExecutions", 0}}).dump(),
                             "application/json");
    ASSERT_TRUE(put && put->status == 200) << (put ? put->body : "no response");
    expectLambdaError(invoke("throttled", "{}"), 429, "TooManyRequestsException");
}

TEST_F(ErrorResponses, EverySuccessCarriesARequestId)
{
    auto res = m_client->Get(kFunctionsUri);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(isUuid(res->get_header_value("x-amzn-RequestId")));
    auto again = m_client->Get(kFunctionsUri);
    ASSERT_TRUE(again);
    EXPECT_NE(again->get_header_value("x-amzn-RequestId"), res->get_header_value("x-amzn-RequestId"));
}

} // namespace
} // namespace lambdesk::engine::testing
