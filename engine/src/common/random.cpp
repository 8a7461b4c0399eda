#include "common/random.h"

#include "common/encoding.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace lambdesk::engine::common {
std::string randomBytes(std::size_t count)
{
    std::string bytes(count, '\0');
    if (count > 0 &&
        RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), static_cast<int>(count)) != 1)
        throw std::runtime_error("the random number generator failed");
    return bytes;
}

std::string randomHex(std::size_t bytes)
{
    return hexEncode(randomBytes(bytes));
}

std::string newUuid()
{
    std::string bytes = randomBytes(16);
    bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
    const std::string hex = hexEncode(bytes);
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
           hex.substr(16, 4) + '-' + hex.substr(20);
}

} // namespace lambdesk::engine::common
