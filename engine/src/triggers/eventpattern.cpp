#include "triggers/eventpattern.h"

#include <algorithm>
#include <cctype>

namespace lambdesk::engine::triggers {

namespace {

using nlohmann::json;

Error invalidPattern(const std::string &why)
{
    return makeError(ErrorCode::InvalidParameter, "Invalid filter pattern definition. " + why);
}

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// '*' matches any run of characters, everything else itself.
bool wildcardMatches(const std::string &pattern, const std::string &text)
{
    std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool numericMatches(const json &conditions, double value)
{
    for (std::size_t i = 0; i + 1 < conditions.size(); i += 2) {
        const std::string op = conditions[i].get<std::string>();
        const double bound = conditions[i + 1].get<double>();
        const bool holds = op == "="    ? value == bound
                           : op == "<"  ? value < bound
                           : op == "<=" ? value <= bound
                           : op == ">"  ? value > bound
                           : op == ">=" ? value >= bound
                                        : false;
        if (!holds)
            return false;
    }
    return true;
}

// One matcher of a leaf's array against one value that is present.
bool matcherMatches(const json &matcher, const json &value)
{
    if (!matcher.is_object())
        return matcher == value;
    const std::string kind = matcher.begin().key();
    const json &argument = matcher.begin().value();
    const bool isString = value.is_string();
    const std::string text = isString ? value.get<std::string>() : std::string();
    if (kind == "prefix")
        return isString &&
               (argument.is_string()
                    ? text.starts_with(argument.get<std::string>())
                    : lowered(text).starts_with(lowered(argument.value("equals-ignore-case", ""))));
    if (kind == "suffix")
        return isString &&
               (argument.is_string()
                    ? text.ends_with(argument.get<std::string>())
                    : lowered(text).ends_with(lowered(argument.value("equals-ignore-case", ""))));
    if (kind == "equals-ignore-case")
        return isString && lowered(text) == lowered(argument.get<std::string>());
    if (kind == "wildcard")
        return isString && wildcardMatches(argument.get<std::string>(), text);
    if (kind == "numeric")
        return value.is_number() && numericMatches(argument, value.get<double>());
    if (kind == "anything-but") {
        if (argument.is_array())
            return std::none_of(argument.begin(), argument.end(),
                                [&value](const json &excluded) { return excluded == value; });
        if (argument.is_object())
            return !matcherMatches(argument, value);
        return argument != value;
    }
    return false;
}

bool leafMatches(const json &matchers, const json *value)
{
    for (const json &matcher : matchers) {
        if (matcher.is_object() && matcher.contains("exists")) {
            if (matcher["exists"].get<bool>() == (value != nullptr))
                return true;
            continue;
        }
        if (!value)
            continue;
        if (value->is_array()) { // a list matches when any of its values does
            if (std::any_of(value->begin(), value->end(),
                            [&matcher](const json &item) { return matcherMatches(matcher, item); }))
                return true;
        } else if (matcherMatches(matcher, *value)) {
            return true;
        }
    }
    return false;
}

bool objectMatches(const json &pattern, const json &event)
{
    for (const auto &[key, expected] : pattern.items()) {
        const json *value = nullptr;
        if (event.is_object())
            if (const auto found = event.find(key); found != event.end() && !found->is_null())
                value = &*found;
        if (expected.is_object()) {
            if (!value || !objectMatches(expected, *value))
                return false;
        } else if (!leafMatches(expected, value)) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> problemIn(const json &pattern)
{
    if (!pattern.is_object())
        return "A pattern is a JSON object.";
    for (const auto &[key, value] : pattern.items()) {
        if (value.is_object()) {
            if (auto problem = problemIn(value))
                return problem;
            continue;
        }
        if (!value.is_array() || value.empty())
            return "The value of \"" + key + "\" must be a non-empty array.";
        for (const json &matcher : value) {
            if (!matcher.is_object())
                continue;
            if (matcher.size() != 1)
                return "A matcher object in \"" + key + "\" has exactly one key.";
            const std::string kind = matcher.begin().key();
            const json &argument = matcher.begin().value();
            const bool known = kind == "prefix" || kind == "suffix" ||
                               kind == "equals-ignore-case" || kind == "wildcard" ||
                               kind == "anything-but" || kind == "exists" || kind == "numeric";
            if (!known)
                return "Unrecognized match type " + kind + ".";
            if (kind == "exists" && !argument.is_boolean())
                return "exists takes true or false.";
            if (kind == "numeric") {
                if (!argument.is_array() || argument.size() % 2 != 0 || argument.empty())
                    return "numeric takes pairs of operator and number.";
                for (std::size_t i = 0; i < argument.size(); i += 2)
                    if (!argument[i].is_string() || !argument[i + 1].is_number())
                        return "numeric takes pairs of operator and number.";
            }
            if ((kind == "equals-ignore-case" || kind == "wildcard") && !argument.is_string())
                return kind + " takes a string.";
            if ((kind == "prefix" || kind == "suffix") && !argument.is_string() &&
                !(argument.is_object() && argument.contains("equals-ignore-case")))
                return kind + " takes a string.";
        }
    }
    return std::nullopt;
}

} // namespace

Result<EventPattern> EventPattern::parse(const std::string &text)
{
    json pattern = json::parse(text, nullptr, false);
    if (pattern.is_discarded())
        return invalidPattern("The pattern is not valid JSON.");
    if (auto problem = problemIn(pattern))
        return invalidPattern(*problem);
    return EventPattern(std::move(pattern));
}

bool EventPattern::matches(const json &event) const
{
    return objectMatches(m_pattern, event);
}

} // namespace lambdesk::engine::triggers
