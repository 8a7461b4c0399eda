#include "common/clock.h"

#include <array>
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
    // HTTP dates and access logs are English whatever the locale (the desktop app sets the
    // user's): names from these tables, not strftime's.
    static constexpr std::array<const char *, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                          "Thu", "Fri", "Sat"};
    static constexpr std::array<const char *, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (const auto &[conversion, name] :
         {std::pair{"%a", kDays.at(static_cast<std::size_t>(utc.tm_wday))},
          std::pair{"%b", kMonths.at(static_cast<std::size_t>(utc.tm_mon))}})
        for (auto at = pattern.find(conversion); at != std::string::npos;
             at = pattern.find(conversion, at))
            pattern.replace(at, 2, name);
    char text[96];
    const std::size_t length = std::strftime(text, sizeof text, pattern.c_str(), &utc);
    return std::string(text, length);
}

std::string httpDate(std::int64_t epochMs)
{
    return utcText(epochMs, "%a, %d %b %Y %H:%M:%S GMT");
}

} // namespace lambdesk::engine::common
