#pragma once
// EventBridge event patterns, as Lambda's FilterCriteria uses them: a JSON object whose leaves
// are arrays of matchers (literals, prefix, suffix, anything-but, numeric, exists,
// equals-ignore-case, wildcard); an event matches when every field of the pattern does.

#include "lambdesk/engine/result.h"

#include <nlohmann/json.hpp>

#include <string>

namespace lambdesk::engine::triggers {

class EventPattern {
public:
    // InvalidParameter naming what is wrong when `text` is not a pattern.
    static Result<EventPattern> parse(const std::string &text);
    bool matches(const nlohmann::json &event) const;

private:
    explicit EventPattern(nlohmann::json pattern) : m_pattern(std::move(pattern)) {}
    nlohmann::json m_pattern;
};

} // namespace lambdesk::engine::triggers
