#pragma once
// SHA-256 (OpenSSL libcrypto) for CodeSha256 previews and stable derived identifiers.

#include <string>
#include <string_view>

namespace lambdesk::engine::api {

std::string sha256(std::string_view bytes); // 32 raw bytes
std::string hexEncode(std::string_view bytes);

} // namespace lambdesk::engine::api
