#pragma once
// Base64 (RFC 4648, standard alphabet, padded) for ZipFile uploads, X-Amz-Log-Result and the
// X-Amz-Client-Context.

#include <optional>
#include <string>
#include <string_view>

namespace lambdesk::engine {

std::string base64Encode(std::string_view bytes);
// Accepts padded or unpadded input and ignores ASCII whitespace (line-wrapped encoders);
// nullopt on any other character outside the alphabet.
std::optional<std::string> base64Decode(std::string_view text);

} // namespace lambdesk::engine
