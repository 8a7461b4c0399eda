#pragma once
// Helpers for the store tests: a temporary data dir, and a hand-made zip writer (zlib) that can
// produce what libzip's writer would refuse or cannot fake: "../" names, lying size headers,
// symlink entries, cheap zip bombs.

#include <zlib.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine::test {

class TempDir {
public:
    TempDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "lambdesk-store-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

struct ZipSpec {
    ZipSpec(std::string entryName, std::string entryContent, std::uint32_t entryMode = 0100644)
        : name(std::move(entryName)), content(std::move(entryContent)), mode(entryMode)
    {
    }
    std::string name;
    std::string content;
    std::uint32_t mode = 0100644;          // unix st_mode, stored in the external attributes
    std::uint64_t zeros = 0;               // instead of content: this many zero bytes, deflated
    std::optional<std::uint32_t> declared; // lie about the uncompressed size
    bool deflate = true;
};

// An entry of `count` zero bytes, optionally declaring another size in its headers.
inline ZipSpec zerosEntry(std::string name, std::uint64_t count,
                          std::optional<std::uint32_t> declared = std::nullopt)
{
    ZipSpec spec(std::move(name), {});
    spec.zeros = count;
    spec.declared = declared;
    return spec;
}

inline ZipSpec storedEntry(std::string name, std::string content)
{
    ZipSpec spec(std::move(name), std::move(content));
    spec.deflate = false;
    return spec;
}

namespace detail {

inline void put16(std::string &out, std::uint32_t value)
{
    out.push_back(static_cast<char>(value & 0xff));
    out.push_back(static_cast<char>((value >> 8) & 0xff));
}

inline void put32(std::string &out, std::uint32_t value)
{
    put16(out, value & 0xffff);
    put16(out, value >> 16);
}

// Raw deflate of `content`, or of `zeros` zero bytes streamed in chunks (a zip bomb costs a few
// hundred KB of memory, not its expanded size).
inline std::string deflateRaw(const ZipSpec &spec, std::uint32_t &crc, std::uint64_t &size)
{
    z_stream stream{};
    if (deflateInit2(&stream, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out;
    std::vector<unsigned char> buffer(1 << 16);
    const std::string zeroChunk(1 << 20, '\0');
    crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
    size = 0;
    std::uint64_t remaining = spec.zeros;
    const bool useContent = spec.zeros == 0;
    bool last = false;
    while (!last) {
        std::string_view input;
        if (useContent) {
            input = spec.content;
            last = true;
        } else {
            const std::uint64_t take = std::min<std::uint64_t>(remaining, zeroChunk.size());
            input = std::string_view(zeroChunk.data(), take);
            remaining -= take;
            last = remaining == 0;
        }
        crc = static_cast<std::uint32_t>(
            crc32(crc, reinterpret_cast<const Bytef *>(input.data()), static_cast<uInt>(input.size())));
        size += input.size();
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
        stream.avail_in = static_cast<uInt>(input.size());
        do {
            stream.next_out = buffer.data();
            stream.avail_out = static_cast<uInt>(buffer.size());
            deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
            out.append(reinterpret_cast<char *>(buffer.data()), buffer.size() - stream.avail_out);
        } while (stream.avail_out == 0); // as zlib's zpipe.c: drained when output space remains
    }
    deflateEnd(&stream);
    return out;
}

} // namespace detail

inline std::string makeZip(const std::vector<ZipSpec> &specs)
{
    std::string body;
    std::string central;
    for (const ZipSpec &spec : specs) {
        std::uint32_t crc = 0;
        std::uint64_t size = 0;
        std::string data;
        if (spec.deflate) {
            data = detail::deflateRaw(spec, crc, size);
        } else {
            data = spec.content;
            size = data.size();
            crc = static_cast<std::uint32_t>(
                crc32(0, reinterpret_cast<const Bytef *>(data.data()), static_cast<uInt>(data.size())));
        }
        const std::uint32_t declared = spec.declared.value_or(static_cast<std::uint32_t>(size));
        const std::uint32_t offset = static_cast<std::uint32_t>(body.size());
        const std::uint32_t method = spec.deflate ? 8 : 0;
        detail::put32(body, 0x04034b50);
        detail::put16(body, 20);
        detail::put16(body, 0);
        detail::put16(body, method);
        detail::put16(body, 0);
        detail::put16(body, 0x21); // 1980-01-01
        detail::put32(body, crc);
        detail::put32(body, static_cast<std::uint32_t>(data.size()));
        detail::put32(body, declared);
        detail::put16(body, static_cast<std::uint32_t>(spec.name.size()));
        detail::put16(body, 0);
        body += spec.name;
        body += data;

        detail::put32(central, 0x02014b50);
        detail::put16(central, (3u << 8) | 20); // made by unix
        detail::put16(central, 20);
        detail::put16(central, 0);
        detail::put16(central, method);
        detail::put16(central, 0);
        detail::put16(central, 0x21);
        detail::put32(central, crc);
        detail::put32(central, static_cast<std::uint32_t>(data.size()));
        detail::put32(central, declared);
        detail::put16(central, static_cast<std::uint32_t>(spec.name.size()));
        detail::put16(central, 0);
        detail::put16(central, 0);
        detail::put16(central, 0);
        detail::put16(central, 0);
        detail::put32(central, spec.mode << 16);
        detail::put32(central, offset);
        central += spec.name;
    }
    std::string zip = body + central;
    detail::put32(zip, 0x06054b50);
    detail::put16(zip, 0);
    detail::put16(zip, 0);
    detail::put16(zip, static_cast<std::uint32_t>(specs.size()));
    detail::put16(zip, static_cast<std::uint32_t>(specs.size()));
    detail::put32(zip, static_cast<std::uint32_t>(central.size()));
    detail::put32(zip, static_cast<std::uint32_t>(body.size()));
    detail::put16(zip, 0);
    return zip;
}

// A small valid function package.
inline std::string pythonZip(const std::string &body = "def handler(event, context):\n    return 1\n")
{
    return makeZip({{"lambda_function.py", body}});
}

} // namespace lambdesk::engine::test
