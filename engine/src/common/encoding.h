#pragma once
// The engine's one base64, hex, SHA-256 and MD5 (OpenSSL's). Private to engine/src.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace lambdesk::engine::common {

// RFC 4648, standard alphabet, padded: ZipFile uploads, X-Amz-Log-Result, X-Amz-Client-Context.
std::string base64Encode(std::string_view bytes);
// Accepts padded or unpadded input and ignores ASCII whitespace (line-wrapped encoders);
// nullopt on any other character outside the alphabet, or data after padding.
std::optional<std::string> base64Decode(std::string_view text);

std::string hexEncode(std::string_view bytes); // lowercase

std::string sha256(std::string_view bytes);       // the 32-byte digest
std::string sha256Base64(std::string_view bytes); // as Lambda's CodeSha256

std::string md5Hex(std::string_view bytes); // SQS's MD5OfMessageBody
// A file's MD5 in hex, read in chunks (an S3 object's eTag); nullopt when it cannot be read.
std::optional<std::string> fileMd5Hex(const std::filesystem::path &file);

} // namespace lambdesk::engine::common
