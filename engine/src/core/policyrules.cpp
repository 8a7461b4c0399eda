#include "core/policyrules.h"

#include "lambdesk/engine/types.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace lambdesk::engine {

namespace {

using nlohmann::json;

const json &member(const json &object, const char *key)
{
    static const json absent;
    return object.is_object() && object.contains(key) ? object[key] : absent;
}

bool isEveryone(const json &principal)
{
    return principal == "*" ||
           (principal.is_object() && principal.contains("AWS") && principal["AWS"] == "*");
}

bool grants(const json &action, const char *wanted)
{
    const auto matches = [wanted](const json &one) {
        return one == wanted || one == "lambda:*" || one == "*";
    };
    if (action.is_array())
        return std::any_of(action.begin(), action.end(), matches);
    return matches(action);
}

// Every condition of the statement holds: `holds(test, key, value)` for each key of each test
// ("ArnLike": {"AWS:SourceArn": ...}). A statement without conditions holds; a malformed one not.
template <class Holds> bool everyCondition(const json &statement, Holds &&holds)
{
    if (!statement.contains("Condition"))
        return true;
    const json &condition = statement["Condition"];
    if (!condition.is_object())
        return false;
    for (const auto &[test, keys] : condition.items()) {
        if (!keys.is_object())
            return false;
        for (const auto &[key, value] : keys.items())
            if (!holds(test, key, value))
                return false;
    }
    return true;
}

// An anonymous caller of a NONE URL can satisfy only the conditions about the URL itself.
bool conditionsHoldForPublicCall(const json &statement)
{
    return everyCondition(
        statement, [](const std::string &test, const std::string &key, const json &value) {
            return (test == "StringEquals" && key == "lambda:FunctionUrlAuthType" &&
                    value == kUrlAuthNone) ||
                   (test == "Bool" && key == "lambda:InvokedViaFunctionUrl" && value == "true");
        });
}

bool namesService(const json &principal, const std::string &service)
{
    if (principal == "*")
        return true;
    const json &named = member(principal, "Service");
    if (named.is_array())
        return std::find(named.begin(), named.end(), service) != named.end();
    return named == service;
}

// ArnLike: * matches any run of characters and ? any one, '/' and ':' included; nothing else is
// special (fnmatch's [ and \ would be).
bool arnLike(const std::string &pattern, const std::string &arn)
{
    std::size_t p = 0;
    std::size_t a = 0;
    std::size_t star = std::string::npos; // the last * seen, and where in arn it began matching
    std::size_t resume = 0;
    while (a < arn.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == arn[a])) {
            ++p;
            ++a;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = a;
        } else if (star != std::string::npos) {
            p = star + 1;
            a = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool oneOf(const json &values, const std::string &actual,
           bool (*matches)(const std::string &, const std::string &))
{
    if (values.is_array())
        return std::any_of(values.begin(), values.end(), [&](const json &value) {
            return value.is_string() && matches(value.get<std::string>(), actual);
        });
    return values.is_string() && matches(values.get<std::string>(), actual);
}

bool equalTo(const std::string &expected, const std::string &actual)
{
    return expected == actual;
}

// A service call carries its source ARN and account; any other condition cannot be satisfied.
bool conditionsHoldForServiceCall(const json &statement, const std::string &sourceArn,
                                  const std::string &sourceAccount)
{
    return everyCondition(
        statement, [&](const std::string &test, const std::string &key, const json &value) {
            if (key == "AWS:SourceArn" && (test == "ArnLike" || test == "StringLike"))
                return oneOf(value, sourceArn, arnLike);
            if (key == "AWS:SourceArn" && (test == "ArnEquals" || test == "StringEquals"))
                return oneOf(value, sourceArn, equalTo);
            if (key == "AWS:SourceAccount" && test == "StringEquals")
                return oneOf(value, sourceAccount, equalTo);
            return false;
        });
}

json statementsOf(const std::string &policyDocument)
{
    const json document = json::parse(policyDocument, nullptr, false);
    const json &statements = member(document, "Statement");
    return statements.is_array() ? statements : json::array();
}

} // namespace

bool allowsPublicUrlInvoke(const std::string &policyDocument)
{
    const json statements = statementsOf(policyDocument);
    const auto grantedToEveryone = [&statements](const char *action) {
        return std::any_of(statements.begin(), statements.end(), [action](const json &statement) {
            return member(statement, "Effect") == "Allow" &&
                   isEveryone(member(statement, "Principal")) &&
                   grants(member(statement, "Action"), action) &&
                   conditionsHoldForPublicCall(statement);
        });
    };
    return grantedToEveryone("lambda:InvokeFunctionUrl") &&
           grantedToEveryone("lambda:InvokeFunction");
}

bool allowsServiceInvoke(const std::string &policyDocument, const std::string &service,
                         const std::string &sourceArn, const std::string &sourceAccount)
{
    const json statements = statementsOf(policyDocument);
    return std::any_of(statements.begin(), statements.end(), [&](const json &statement) {
        return member(statement, "Effect") == "Allow" &&
               namesService(member(statement, "Principal"), service) &&
               grants(member(statement, "Action"), "lambda:InvokeFunction") &&
               conditionsHoldForServiceCall(statement, sourceArn, sourceAccount);
    });
}

} // namespace lambdesk::engine
