#include "api/digest.h"

#include <openssl/sha.h>

namespace lambdesk::engine::api {

std::string sha256(std::string_view bytes)
{
    std::string out(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size(),
           reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

std::string hexEncode(std::string_view bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        out += kHex[u >> 4];
        out += kHex[u & 15];
    }
    return out;
}

} // namespace lambdesk::engine::api
