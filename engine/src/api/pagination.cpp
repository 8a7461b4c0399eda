#include "api/pagination.h"

#include "api/httpexchange.h"
#include "common/encoding.h"

#include <algorithm>
#include <charconv>

namespace lambdesk::engine::api {

Result<PageRequest> readPageRequest(const httplib::Request &req, std::size_t defaultMaxItems)
{
    PageRequest page;
    page.maxItems = defaultMaxItems;
    if (req.has_param("MaxItems")) {
        const std::string text = req.get_param_value("MaxItems");
        long long value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size()) {
            return makeError(ErrorCode::InvalidParameter,
                             "MaxItems must be an integer, got '" + text + "'");
        }
        if (value < 1 || value > 10000) {
            return validationError(text, "maxItems",
                                   value < 1
                                       ? "Member must have value greater than or equal to 1"
                                       : "Member must have value less than or equal to 10000");
        }
        page.maxItems = static_cast<std::size_t>(value);
    }
    if (req.has_param("Marker")) {
        const std::string marker = req.get_param_value("Marker");
        auto key = common::base64Decode(marker);
        if (!key || key->empty()) {
            return makeError(ErrorCode::InvalidParameter,
                             "Invalid pagination marker '" + marker + "'");
        }
        page.afterKey = std::move(*key);
    }
    return page;
}

PageBounds pageBounds(const std::vector<std::string> &sortedKeys, const PageRequest &page)
{
    PageBounds bounds;
    bounds.begin = page.afterKey.empty()
        ? 0
        : static_cast<std::size_t>(
              std::upper_bound(sortedKeys.begin(), sortedKeys.end(), page.afterKey)
              - sortedKeys.begin());
    bounds.end = std::min(sortedKeys.size(), bounds.begin + page.maxItems);
    if (bounds.end < sortedKeys.size())
        bounds.nextMarker = common::base64Encode(sortedKeys[bounds.end - 1]);
    return bounds;
}

nlohmann::json pageJson(const char *listKey,
                        std::vector<std::pair<std::string, nlohmann::json>> items,
                        const PageRequest &page)
{
    std::sort(items.begin(), items.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<std::string> keys;
    keys.reserve(items.size());
    for (const auto &item : items)
        keys.push_back(item.first);
    const PageBounds bounds = pageBounds(keys, page);
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = bounds.begin; i < bounds.end; ++i)
        list.push_back(std::move(items[i].second));
    nlohmann::json out = {{listKey, std::move(list)}};
    if (bounds.nextMarker)
        out["NextMarker"] = *bounds.nextMarker;
    return out;
}

std::string versionSortKey(const std::string &version)
{
    if (version == "$LATEST")
        return "$"; // '$' sorts before every digit
    // Right-align numbers so that "10" follows "9".
    return std::string(version.size() < 20 ? 20 - version.size() : 0, '0') + version;
}

} // namespace lambdesk::engine::api
