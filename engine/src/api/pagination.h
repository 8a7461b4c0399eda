#pragma once
// Marker/MaxItems pagination for the List* operations. Items are listed in the order of a sort
// key; NextMarker is the (opaque, base64) key of the last item returned, so a page boundary
// survives functions being created or deleted between calls.

#include "lambdesk/engine/result.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambdesk::engine::api {

struct PageRequest {
    std::string afterKey; // empty: from the start
    std::size_t maxItems = 50;
};

// Reads Marker and MaxItems (1..10000).
Result<PageRequest> readPageRequest(const httplib::Request &req, std::size_t defaultMaxItems = 50);

struct PageBounds {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::optional<std::string> nextMarker;
};

// sortedKeys must be ascending. Returns the slice to list and the marker for the next page.
PageBounds pageBounds(const std::vector<std::string> &sortedKeys, const PageRequest &page);

// A List* response: the page of `items` (sort key, JSON item) under `listKey`, in key order, and
// NextMarker when more follow.
nlohmann::json pageJson(const char *listKey,
                        std::vector<std::pair<std::string, nlohmann::json>> items,
                        const PageRequest &page);

// A version's sort key: "$LATEST" first, then numbers in numeric order.
std::string versionSortKey(const std::string &version);

} // namespace lambdesk::engine::api
