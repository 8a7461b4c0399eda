// parseFunctionRef: the FunctionName forms Lambda accepts, the one parser of them.
#include "lambdesk/engine/validation.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace lambdesk::engine {

namespace {

// Model patterns (service-2.json), quoted verbatim in ValidationException messages as AWS does.
constexpr const char *kPlainPattern =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
    "(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
constexpr const char *kNamespacedPattern =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
    "(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
// The model's limits for the whole text, ARN and qualifier included.
constexpr std::size_t kMaxPlainLength = 140;
constexpr std::size_t kMaxNamespacedLength = 256;

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

// Lambda limits a bare name to 64 characters; the longer model limits are for ARNs.
bool isName(std::string_view name, FunctionNameShape shape)
{
    const bool allowDot = shape == FunctionNameShape::Namespaced;
    return !name.empty() && name.size() <= kMaxNameLength &&
           std::all_of(name.begin(), name.end(),
                       [allowDot](char c) { return isNameChar(c) || (allowDot && c == '.'); });
}

// A version number or an alias name.
bool isQualifier(std::string_view qualifier, FunctionNameShape shape)
{
    return qualifier == "$LATEST" ||
           (shape == FunctionNameShape::Namespaced && qualifier == "$LATEST.PUBLISHED") ||
           (!qualifier.empty() && qualifier.size() <= 128 &&
            std::all_of(qualifier.begin(), qualifier.end(), isNameChar));
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

Result<FunctionRef> parseFunctionRef(const std::string &nameOrArn, FunctionNameShape shape)
{
    const bool namespaced = shape == FunctionNameShape::Namespaced;
    const auto invalid = [&](const std::string &constraint) {
        return makeError(ErrorCode::Validation, "1 validation error detected: Value '" + nameOrArn +
                                                    "' at 'functionName' failed to satisfy "
                                                    "constraint: Member must " +
                                                    constraint);
    };
    const auto mismatch = [&] {
        return invalid(std::string("satisfy regular expression pattern: ") +
                       (namespaced ? kNamespacedPattern : kPlainPattern));
    };
    const std::size_t maxLength = namespaced ? kMaxNamespacedLength : kMaxPlainLength;
    if (nameOrArn.empty())
        return invalid("have length greater than or equal to 1");
    if (nameOrArn.size() > maxLength)
        return invalid("have length less than or equal to " + std::to_string(maxLength));
    // Most requests carry a bare name (Invoke is latency-sensitive).
    if (isName(nameOrArn, shape))
        return FunctionRef{nameOrArn, {}};
    const std::vector<std::string_view> parts = split(nameOrArn, ':');
    std::string_view name;
    std::string_view qualifier;
    bool hasQualifier = false;
    if (parts[0] == "arn") {
        // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
        if (parts.size() < 7 || parts.size() > 8 || !isPartition(parts[1]) || parts[2] != "lambda"
            || !isRegion(parts[3]) || !isAccount(parts[4]) || parts[5] != "function") {
            return mismatch();
        }
        name = parts[6];
        hasQualifier = parts.size() == 8;
        if (hasQualifier)
            qualifier = parts[7];
    } else if (parts.size() >= 3 && isAccount(parts[0])) {
        // ACCOUNT:function:NAME[:QUALIFIER]
        if (parts.size() > 4 || parts[1] != "function")
            return mismatch();
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
        return mismatch();
    }
    if (!isName(name, shape) || (hasQualifier && !isQualifier(qualifier, shape)))
        return mismatch();
    return FunctionRef{std::string(name), std::string(qualifier)};
}

} // namespace lambdesk::engine
