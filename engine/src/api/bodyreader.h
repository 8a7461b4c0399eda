#pragma once
// Typed reads of a JSON request body's members. A member of the wrong type reads as absent and
// leaves an InvalidRequestContentException naming it in failure() (the first one only); JSON null
// counts as absent. The route returns that failure; the reader never writes a response.

#include "lambdesk/engine/result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine::api {

class BodyReader {
public:
    // `path` prefixes member names in messages ("Environment." for a nested object).
    explicit BodyReader(const nlohmann::json &body, std::string path = {});

    bool has(const char *key) const;
    std::optional<std::string> string(const char *key);
    std::optional<int> integer(const char *key);
    std::optional<bool> boolean(const char *key);
    std::optional<std::map<std::string, std::string>> stringMap(const char *key);
    std::optional<std::vector<std::string>> stringList(const char *key);
    // A nested object; nullopt when absent or of the wrong type (then failure() is set).
    std::optional<BodyReader> object(const char *key);

    // The first member read with the wrong type, in any reader of this body.
    const std::optional<Error> &failure() const { return *m_failure; }

private:
    BodyReader(const nlohmann::json &body, std::string path,
               std::shared_ptr<std::optional<Error>> failure);
    const nlohmann::json *member(const char *key) const;
    void fail(const char *key, const char *expected);

    const nlohmann::json &m_body;
    std::string m_path;
    std::shared_ptr<std::optional<Error>> m_failure; // shared with nested readers: one per request
};

} // namespace lambdesk::engine::api
