#pragma once
// The engine's one source of randomness (OpenSSL's CSPRNG) and what is made from it: request ids,
// trace ids, log stream names, unguessable socket names. Private to engine/src.

#include <cstddef>
#include <string>

namespace lambdesk::engine::common {

std::string randomBytes(std::size_t count); // throws std::runtime_error if the CSPRNG fails
std::string randomHex(std::size_t bytes);   // 2 * bytes lowercase hex digits
std::string newUuid();                      // random (v4), lowercase, as Lambda's request ids

} // namespace lambdesk::engine::common
