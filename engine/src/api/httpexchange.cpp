#include "api/httpexchange.h"

#include "api/sigv4.h"
#include "lambdesk/engine/apiserver.h"

#include <array>
#include <cstdio>
#include <random>
#include <string_view>

namespace lambdesk::engine::api {

namespace {

// The model spells the message member "Message" for these error shapes and "message" for the
// rest (service-2.json); botocore reads either, but we answer as the model says.
bool usesCapitalMessage(std::string_view type)
{
    static constexpr std::array<std::string_view, 5> kCapital = {
        "ResourceNotFoundException", "ServiceException", "InvalidRuntimeException",
        "InvalidZipFileException", "ResourceInUseException"};
    for (const auto name : kCapital) {
        if (name == type)
            return true;
    }
    return false;
}

} // namespace

void setRequestId(httplib::Response &res, const std::string &requestId)
{
    res.headers.erase(kRequestIdHeader);
    res.set_header(kRequestIdHeader, requestId);
}

void sendJson(httplib::Response &res, int status, const nlohmann::json &body)
{
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

void sendEmpty(httplib::Response &res, int status)
{
    res.status = status;
    res.body.clear();
}

void sendLambdaError(httplib::Response &res, int status, const std::string &type,
                     const std::string &message)
{
    nlohmann::json body;
    body["Type"] = status >= 500 ? "Service" : "User";
    body[usesCapitalMessage(type) ? "Message" : "message"] = message;
    res.headers.erase(kErrorTypeHeader);
    res.set_header(kErrorTypeHeader, type);
    res.status = status;
    // Messages may quote user input that is not valid UTF-8; replace rather than throw.
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/json");
}

void sendError(httplib::Response &res, const Error &error)
{
    const auto [status, type] = lambdaErrorFor(error.code);
    sendLambdaError(res, status, type, error.message);
}

void sendEmptyResult(httplib::Response &res, const Result<void> &result, int status)
{
    if (!result)
        return sendError(res, result.error());
    sendEmpty(res, status);
}

std::optional<std::string> jsonSyntaxError(const std::string &text)
{
    if (nlohmann::json::accept(text))
        return std::nullopt;
    try {
        const auto parsed = nlohmann::json::parse(text); // throws the description we want
        static_cast<void>(parsed);
    } catch (const nlohmann::json::exception &error) {
        return std::string(error.what());
    }
    return std::string("invalid JSON");
}

std::optional<nlohmann::json> readJsonBody(const httplib::Request &req, httplib::Response &res)
{
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return nlohmann::json::object();
    if (const auto syntaxError = jsonSyntaxError(req.body)) {
        sendLambdaError(res, 400, "InvalidRequestContentException",
                        "Could not parse request body into json: " + *syntaxError);
        return std::nullopt;
    }
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object()) {
        sendLambdaError(res, 400, "InvalidRequestContentException",
                        "Could not parse request body into json: expected a JSON object, got " +
                            std::string(body.type_name()));
        return std::nullopt;
    }
    return body;
}

void sendValidationError(httplib::Response &res, const std::string &value, const std::string &field,
                         const std::string &constraint)
{
    sendLambdaError(res, 400, kValidationException,
                    "1 validation error detected: Value '" + value + "' at '" + field +
                        "' failed to satisfy constraint: " + constraint);
}

std::string urlEncode(const std::string &text)
{
    return sigv4::uriEncode(text, false); // RFC 3986 unreserved characters stay, as SigV4 encodes
}

} // namespace lambdesk::engine::api
