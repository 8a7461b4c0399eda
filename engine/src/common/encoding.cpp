#include "common/encoding.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace lambdesk::engine::common {
namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

const unsigned char *bytesOf(std::string_view text)
{
    return reinterpret_cast<const unsigned char *>(text.data());
}

std::string digest(std::string_view bytes, const EVP_MD *algorithm)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &length, algorithm, nullptr) != 1)
        throw std::runtime_error("message digest failed");
    return std::string(reinterpret_cast<const char *>(out.data()), length);
}

} // namespace

std::string base64Encode(std::string_view bytes)
{
    // EVP_EncodeBlock writes 4 bytes per 3 input bytes (padded) and a terminating NUL.
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                        bytesOf(bytes), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::optional<std::string> base64Decode(std::string_view text)
{
    // EVP_DecodeBlock wants whole, padded quanta without whitespace: normalise first, and check
    // what it does not (symbols after padding, a lone leftover symbol).
    std::string clean;
    clean.reserve(text.size() + 3);
    std::size_t padding = 0;
    for (const char c : text) {
        if (isSpace(c))
            continue;
        if (c == '=') {
            ++padding;
            continue;
        }
        if (padding > 0)
            return std::nullopt;
        clean.push_back(c);
    }
    if (clean.size() % 4 == 1)
        return std::nullopt;
    const std::size_t missing = (4 - clean.size() % 4) % 4;
    clean.append(missing, '=');
    std::string out(clean.size() / 4 * 3, '\0');
    const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                        bytesOf(clean), static_cast<int>(clean.size()));
    if (written < 0)
        return std::nullopt;
    // EVP_DecodeBlock counts the padding's zero bytes in its result.
    out.resize(static_cast<std::size_t>(written) - missing);
    return out;
}

std::string sha256(std::string_view bytes)
{
    return digest(bytes, EVP_sha256());
}

std::string md5Hex(std::string_view bytes)
{
    return hexEncode(digest(bytes, EVP_md5()));
}

std::optional<std::string> fileMd5Hex(const std::filesystem::path &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), EVP_md5(), nullptr) != 1)
        return std::nullopt;
    std::array<char, 64 * 1024> chunk{};
    while (in) {
        in.read(chunk.data(), chunk.size());
        if (in.gcount() > 0 && EVP_DigestUpdate(context.get(), chunk.data(),
                                                static_cast<std::size_t>(in.gcount())) != 1)
            return std::nullopt;
    }
    if (in.bad())
        return std::nullopt;
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1)
        return std::nullopt;
    return hexEncode(std::string_view(reinterpret_cast<const char *>(digest.data()), length));
}

std::string hexEncode(std::string_view bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0x0f]);
    }
    return out;
}

std::string sha256Base64(std::string_view bytes)
{
    return base64Encode(sha256(bytes));
}

} // namespace lambdesk::engine::common
