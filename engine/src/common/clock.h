#pragma once
// Wall-clock time as the API and the store record it. Private to engine/src.

#include <cstdint>
#include <string>

namespace lambdesk::engine::common {

std::int64_t epochMillis(); // milliseconds since the Unix epoch, now
// The time in UTC as strftime's `format` writes it in the C locale, whatever the process's; "%L"
// stands for the three digits of the milliseconds, which strftime has no conversion for.
std::string utcText(std::int64_t epochMs, const char *format);
// "Mon, 07 Dec 2026 11:24:43 GMT" (HTTP's Last-Modified and Date).
std::string httpDate(std::int64_t epochMs);

} // namespace lambdesk::engine::common
