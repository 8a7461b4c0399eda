#include "api/functionref.h"

#include "api/httpexchange.h"

#include <regex>

namespace lambdesk::engine::api {

namespace {

// Model patterns (service-2.json), quoted verbatim in ValidationException messages as AWS does.
constexpr const char *kPlainPatternText =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
    "(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
constexpr const char *kNamespacedPatternText =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
    "(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
constexpr const char *kQualifierPatternText = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";

// The same patterns for std::regex: ECMAScript reads "9-_" inside a class as a range, so the
// dash moves to the end. Group 10 is the name, group 12 the qualifier.
const std::regex &plainPattern()
{
    static const std::regex pattern(
        "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
        "(\\d{12}:)?(function:)?([a-zA-Z0-9_-]+)(:(\\$LATEST|[a-zA-Z0-9_-]+))?");
    return pattern;
}

const std::regex &namespacedPattern()
{
    static const std::regex pattern(
        "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
        "(\\d{12}:)?(function:)?([a-zA-Z0-9_.-]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9_-]+))?");
    return pattern;
}

const std::regex &qualifierPattern()
{
    static const std::regex pattern("\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9_$-]+");
    return pattern;
}

// Most requests carry a bare name; skip the regex for them (Invoke is latency-sensitive).
bool isBareName(const std::string &text, bool allowDot)
{
    for (const char c : text) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || (allowDot && c == '.');
        if (!plain)
            return false;
    }
    return !text.empty();
}

} // namespace

std::optional<FunctionRef> parseFunctionRef(const std::string &text, NameShape shape,
                                            httplib::Response &res)
{
    const bool namespaced = shape == NameShape::Namespaced;
    const std::size_t maxLength = namespaced ? 256 : 140;
    if (text.empty()) {
        sendValidationError(res, text, "functionName",
                            "Member must have length greater than or equal to 1");
        return std::nullopt;
    }
    if (text.size() > maxLength) {
        sendValidationError(res, text, "functionName",
                            "Member must have length less than or equal to "
                                + std::to_string(maxLength));
        return std::nullopt;
    }
    if (isBareName(text, namespaced))
        return FunctionRef{text, {}};
    std::smatch match;
    if (!std::regex_match(text, match, namespaced ? namespacedPattern() : plainPattern())) {
        sendValidationError(res, text, "functionName",
                            std::string("Member must satisfy regular expression pattern: ")
                                + (namespaced ? kNamespacedPatternText : kPlainPatternText));
        return std::nullopt;
    }
    return FunctionRef{match[10].str(), match[12].str()};
}

std::optional<FunctionRef> readFunctionRef(const httplib::Request &req, httplib::Response &res,
                                           NameShape shape, QualifierUse qualifierUse)
{
    auto ref = parseFunctionRef(req.matches[1].str(), shape, res);
    if (!ref)
        return std::nullopt;
    if (qualifierUse == QualifierUse::Rejected) {
        if (!ref->qualifier.empty() && ref->qualifier != "$LATEST") {
            sendLambdaError(res, 400, "InvalidParameterValueException",
                            "This operation applies to the unpublished function only; remove "
                            "the qualifier '" + ref->qualifier + "' from the function name");
            return std::nullopt;
        }
        ref->qualifier.clear();
        return ref;
    }
    if (!req.has_param("Qualifier"))
        return ref;
    const std::string qualifier = req.get_param_value("Qualifier");
    if (qualifier.empty() || qualifier.size() > 128) {
        sendValidationError(res, qualifier, "qualifier",
                            qualifier.empty()
                                ? "Member must have length greater than or equal to 1"
                                : "Member must have length less than or equal to 128");
        return std::nullopt;
    }
    if (!std::regex_match(qualifier, qualifierPattern())) {
        sendValidationError(res, qualifier, "qualifier",
                            std::string("Member must satisfy regular expression pattern: ")
                                + kQualifierPatternText);
        return std::nullopt;
    }
    if (!ref->qualifier.empty() && ref->qualifier != qualifier) {
        sendLambdaError(res, 400, "InvalidParameterValueException",
                        "The derived qualifier from the function name does not match the "
                        "specified qualifier.");
        return std::nullopt;
    }
    ref->qualifier = qualifier;
    return ref;
}

std::optional<FunctionRequest> readFunctionRequest(const httplib::Request &req,
                                                   httplib::Response &res, NameShape shape,
                                                   QualifierUse qualifierUse)
{
    auto ref = readFunctionRef(req, res, shape, qualifierUse);
    if (!ref)
        return std::nullopt;
    auto body = readJsonBody(req, res);
    if (!body)
        return std::nullopt;
    return FunctionRequest{std::move(*ref), std::move(*body)};
}

} // namespace lambdesk::engine::api
