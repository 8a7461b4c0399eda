#include "common/clock.h"

#include <chrono>

namespace lambdesk::engine::common {

std::int64_t epochMillis()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace lambdesk::engine::common
