#pragma once
// Wall-clock time as the API and the store record it. Private to engine/src.

#include <cstdint>

namespace lambdesk::engine::common {

std::int64_t epochMillis(); // milliseconds since the Unix epoch, now

} // namespace lambdesk::engine::common
