// FunctionStore::parseFunctionName: the FunctionName forms Lambda accepts.
#include "store/functionstore.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace lambdesk::engine {

namespace {

constexpr const char *kFunctionNamePattern =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
    "(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
constexpr std::size_t kMaxFunctionNameLength = 140; // a name or ARN, qualifier included

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

bool allOf(std::string_view text, int (*predicate)(int))
{
    return std::all_of(text.begin(), text.end(),
                       [predicate](char c) { return predicate(static_cast<unsigned char>(c)) != 0; });
}

bool isNameChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

bool isName(std::string_view name)
{
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), isNameChar);
}

// A version number or an alias name.
bool isQualifier(std::string_view qualifier)
{
    return qualifier == "$LATEST"
           || (!qualifier.empty() && qualifier.size() <= 128
               && std::all_of(qualifier.begin(), qualifier.end(), isNameChar));
}

bool isAccount(std::string_view account)
{
    return account.size() == 12 && allOf(account, std::isdigit);
}

// [a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d
bool isRegion(std::string_view region)
{
    const std::vector<std::string_view> parts = split(region, '-');
    if (parts.size() < 3 || parts.size() > 4 || parts[0].size() != 2 || !allOf(parts[0], std::islower))
        return false;
    std::size_t next = 1;
    if (parts.size() == 4) {
        const std::string_view marker = parts[1];
        const bool gov = marker == "gov";
        const bool iso = marker.starts_with("iso") && marker.size() <= 4 && allOf(marker, std::islower);
        if (!gov && !iso)
            return false;
        next = 2;
    }
    return !parts[next].empty() && allOf(parts[next], std::islower) && parts[next + 1].size() == 1
           && std::isdigit(static_cast<unsigned char>(parts[next + 1][0]));
}

bool isPartition(std::string_view partition)
{
    return partition.empty()
           || (partition.starts_with("aws") && std::all_of(partition.begin(), partition.end(), [](char c) {
                   return std::isalpha(static_cast<unsigned char>(c)) || c == '-';
               }));
}

} // namespace

Result<std::pair<std::string, std::string>> FunctionStore::parseFunctionName(const std::string &nameOrArn)
{
    const auto invalid = [&] {
        return makeError(ErrorCode::InvalidParameter,
                         "1 validation error detected: Value '" + nameOrArn
                             + "' at 'functionName' failed to satisfy constraint: Member must "
                               "satisfy regular expression pattern: "
                             + kFunctionNamePattern);
    };
    if (nameOrArn.empty() || nameOrArn.size() > kMaxFunctionNameLength)
        return invalid();
    const std::vector<std::string_view> parts = split(nameOrArn, ':');
    std::string_view name;
    std::string_view qualifier;
    bool hasQualifier = false;
    if (parts[0] == "arn") {
        // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
        if (parts.size() < 7 || parts.size() > 8 || !isPartition(parts[1]) || parts[2] != "lambda"
            || !isRegion(parts[3]) || !isAccount(parts[4]) || parts[5] != "function") {
            return invalid();
        }
        name = parts[6];
        hasQualifier = parts.size() == 8;
        if (hasQualifier)
            qualifier = parts[7];
    } else if (parts.size() >= 3 && isAccount(parts[0])) {
        // ACCOUNT:function:NAME[:QUALIFIER]
        if (parts.size() > 4 || parts[1] != "function")
            return invalid();
        name = parts[2];
        hasQualifier = parts.size() == 4;
        if (hasQualifier)
            qualifier = parts[3];
    } else if (parts.size() <= 2) {
        // NAME[:QUALIFIER]
        name = parts[0];
        hasQualifier = parts.size() == 2;
        if (hasQualifier)
            qualifier = parts[1];
    } else {
        return invalid();
    }
    if (!isName(name) || (hasQualifier && !isQualifier(qualifier)))
        return invalid();
    return std::pair<std::string, std::string>(std::string(name), std::string(qualifier));
}

} // namespace lambdesk::engine
