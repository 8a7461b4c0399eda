#pragma once
// Typed reads of a JSON request body's members. A member of the wrong type sends
// InvalidRequestContentException naming it (once) and makes ok() false; JSON null counts as absent.

#include <httplib.h>
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
    BodyReader(const nlohmann::json &body, httplib::Response &res, std::string path = {});

    bool has(const char *key) const;
    std::optional<std::string> string(const char *key);
    std::optional<int> integer(const char *key);
    std::optional<bool> boolean(const char *key);
    std::optional<std::map<std::string, std::string>> stringMap(const char *key);
    std::optional<std::vector<std::string>> stringList(const char *key);
    // A nested object; nullopt when absent or of the wrong type (then ok() is false).
    std::optional<BodyReader> object(const char *key);

    bool ok() const { return *m_ok; }

private:
    BodyReader(const nlohmann::json &body, httplib::Response &res, std::string path,
               std::shared_ptr<bool> ok);
    const nlohmann::json *member(const char *key) const;
    void fail(const char *key, const char *expected);

    const nlohmann::json &m_body;
    httplib::Response &m_res;
    std::string m_path;
    std::shared_ptr<bool> m_ok; // shared with nested readers: one error per request
};

} // namespace lambdesk::engine::api
