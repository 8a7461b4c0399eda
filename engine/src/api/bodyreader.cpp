#include "api/bodyreader.h"

#include <limits>

namespace lambdesk::engine::api {

BodyReader::BodyReader(const nlohmann::json &body, std::string path)
    : BodyReader(body, std::move(path), std::make_shared<std::optional<Error>>())
{
}

BodyReader::BodyReader(const nlohmann::json &body, std::string path,
                       std::shared_ptr<std::optional<Error>> failure)
    : m_body(body), m_path(std::move(path)), m_failure(std::move(failure))
{
}

const nlohmann::json *BodyReader::member(const char *key) const
{
    if (!m_body.is_object())
        return nullptr;
    const auto it = m_body.find(key);
    if (it == m_body.end() || it->is_null())
        return nullptr;
    return &*it;
}

bool BodyReader::has(const char *key) const
{
    return member(key) != nullptr;
}

void BodyReader::fail(const char *key, const char *expected)
{
    if (m_failure->has_value())
        return;
    *m_failure = makeError(ErrorCode::InvalidRequestContent,
                           "Could not parse request body into json: " + m_path + key + " must be " +
                               expected);
}

std::optional<std::string> BodyReader::string(const char *key)
{
    const auto *value = member(key);
    if (!value)
        return std::nullopt;
    if (!value->is_string()) {
        fail(key, "a string");
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<int> BodyReader::integer(const char *key)
{
    const auto *value = member(key);
    if (!value)
        return std::nullopt;
    if (value->is_number_integer()) {
        const auto number = value->get<long long>();
        if (number >= std::numeric_limits<int>::min() && number <= std::numeric_limits<int>::max())
            return static_cast<int>(number);
    } else if (value->is_number_float()) {
        // JavaScript clients may send 3.0 for 3.
        const auto number = value->get<double>();
        if (number == static_cast<double>(static_cast<long long>(number))
            && number >= std::numeric_limits<int>::min()
            && number <= std::numeric_limits<int>::max())
            return static_cast<int>(number);
    }
    fail(key, "an integer");
    return std::nullopt;
}

std::optional<bool> BodyReader::boolean(const char *key)
{
    const auto *value = member(key);
    if (!value)
        return std::nullopt;
    if (!value->is_boolean()) {
        fail(key, "a boolean");
        return std::nullopt;
    }
    return value->get<bool>();
}

std::optional<std::map<std::string, std::string>> BodyReader::stringMap(const char *key)
{
    const auto *value = member(key);
    if (!value)
        return std::nullopt;
    if (!value->is_object()) {
        fail(key, "an object of strings");
        return std::nullopt;
    }
    std::map<std::string, std::string> out;
    for (const auto &[name, item] : value->items()) {
        if (!item.is_string()) {
            fail(key, "an object of strings");
            return std::nullopt;
        }
        out.emplace(name, item.get<std::string>());
    }
    return out;
}

std::optional<std::vector<std::string>> BodyReader::stringList(const char *key)
{
    const auto *value = member(key);
    if (!value)
        return std::nullopt;
    if (!value->is_array()) {
        fail(key, "a list of strings");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto &item : *value) {
        if (!item.is_string()) {
            fail(key, "a list of strings");
            return std::nullopt;
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::optional<BodyReader> BodyReader::object(const char *key)
{
    const auto *value = member(key);
    if (!value)
        return std::nullopt;
    if (!value->is_object()) {
        fail(key, "an object");
        return std::nullopt;
    }
    return BodyReader(*value, m_path + key + ".", m_failure);
}

} // namespace lambdesk::engine::api
