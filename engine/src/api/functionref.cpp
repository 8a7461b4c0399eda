#include "api/functionref.h"

#include "api/httpexchange.h"

#include <regex>

namespace lambdesk::engine::api {

namespace {

// The model's pattern (service-2.json), quoted verbatim in ValidationException messages.
constexpr const char *kQualifierPatternText = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";

// The same pattern for std::regex: ECMAScript reads "9-_" inside a class as a range, so the
// dash moves to the end.
const std::regex &qualifierPattern()
{
    static const std::regex pattern("\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9_$-]+");
    return pattern;
}

} // namespace

Result<FunctionRef> readFunctionRef(const httplib::Request &req, NameShape shape,
                                    QualifierUse qualifierUse)
{
    auto parsed = parseFunctionRef(req.matches[1].str(), shape);
    if (!parsed)
        return parsed.error();
    FunctionRef *ref = &*parsed;
    if (qualifierUse == QualifierUse::Rejected) {
        if (!ref->qualifier.empty() && ref->qualifier != "$LATEST") {
            return makeError(ErrorCode::InvalidParameter,
                             "This operation applies to the unpublished function only; remove "
                             "the qualifier '" +
                                 ref->qualifier + "' from the function name");
        }
        ref->qualifier.clear();
        return parsed;
    }
    if (!req.has_param("Qualifier"))
        return parsed;
    const std::string qualifier = req.get_param_value("Qualifier");
    if (qualifier.empty() || qualifier.size() > 128) {
        return validationError(qualifier, "qualifier",
                               qualifier.empty()
                                   ? "Member must have length greater than or equal to 1"
                                   : "Member must have length less than or equal to 128");
    }
    if (!std::regex_match(qualifier, qualifierPattern())) {
        return validationError(qualifier, "qualifier",
                               std::string("Member must satisfy regular expression pattern: ") +
                                   kQualifierPatternText);
    }
    if (!ref->qualifier.empty() && ref->qualifier != qualifier) {
        return makeError(ErrorCode::InvalidParameter,
                         "The derived qualifier from the function name does not match the "
                         "specified qualifier.");
    }
    ref->qualifier = qualifier;
    return parsed;
}

Result<FunctionRequest> readFunctionRequest(const httplib::Request &req, NameShape shape,
                                            QualifierUse qualifierUse)
{
    auto ref = readFunctionRef(req, shape, qualifierUse);
    if (!ref)
        return ref.error();
    auto body = readJsonBody(req);
    if (!body)
        return body.error();
    return FunctionRequest{std::move(*ref), std::move(*body)};
}

} // namespace lambdesk::engine::api
