#include "common/clock.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace lambdesk::engine::common {

std::int64_t epochMillis()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string utcText(std::int64_t epochMs, const char *format)
{
    const std::time_t seconds = static_cast<std::time_t>(epochMs / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::string pattern(format);
    if (const auto millis = pattern.find("%L"); millis != std::string::npos) {
        char digits[8];
        std::snprintf(digits, sizeof digits, "%03d", static_cast<int>(epochMs % 1000));
        pattern.replace(millis, 2, digits);
    }
    char text[96];
    const std::size_t length = std::strftime(text, sizeof text, pattern.c_str(), &utc);
    return std::string(text, length);
}

} // namespace lambdesk::engine::common
