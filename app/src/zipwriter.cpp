#include "zipwriter.h"

#include <QDateTime>

#include <array>
#include <cstdint>

namespace lambdesk::app {
namespace {

std::uint32_t crc32(const std::string &data)
{
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char byte : data)
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

void put16(std::string &out, std::uint16_t v)
{
    out.push_back(char(v & 0xFF));
    out.push_back(char(v >> 8));
}

void put32(std::string &out, std::uint32_t v)
{
    put16(out, std::uint16_t(v & 0xFFFF));
    put16(out, std::uint16_t(v >> 16));
}

} // namespace

std::string makeZip(const std::vector<engine::CodeFile> &files)
{
    constexpr std::uint16_t kUtf8Names = 1 << 11;
    constexpr std::uint16_t kMadeByUnix = (3 << 8) | 20;
    const QDateTime now = QDateTime::currentDateTime();
    // MS-DOS time and date, as every zip tool writes them (2-second resolution, from 1980).
    const auto dosTime = std::uint16_t((now.time().hour() << 11) | (now.time().minute() << 5) |
                                       (now.time().second() / 2));
    const auto dosDate = std::uint16_t(((std::max(now.date().year(), 1980) - 1980) << 9) |
                                       (now.date().month() << 5) | now.date().day());

    std::string out;
    std::string central;
    for (const engine::CodeFile &file : files) {
        const std::uint32_t offset = std::uint32_t(out.size());
        const std::uint32_t crc = crc32(file.content);
        const auto size = std::uint32_t(file.content.size());
        const auto nameLength = std::uint16_t(file.path.size());

        put32(out, 0x04034b50); // local file header
        put16(out, 20);
        put16(out, kUtf8Names);
        put16(out, 0); // stored
        put16(out, dosTime);
        put16(out, dosDate);
        put32(out, crc);
        put32(out, size);
        put32(out, size);
        put16(out, nameLength);
        put16(out, 0);
        out += file.path;
        out += file.content;

        const std::uint32_t mode = file.executable ? 0100755 : 0100644;
        put32(central, 0x02014b50); // central directory header
        put16(central, kMadeByUnix);
        put16(central, 20);
        put16(central, kUtf8Names);
        put16(central, 0);
        put16(central, dosTime);
        put16(central, dosDate);
        put32(central, crc);
        put32(central, size);
        put32(central, size);
        put16(central, nameLength);
        put16(central, 0); // extra
        put16(central, 0); // comment
        put16(central, 0); // disk
        put16(central, 0); // internal attributes
        put32(central, mode << 16);
        put32(central, offset);
        central += file.path;
    }
    const auto centralOffset = std::uint32_t(out.size());
    out += central;
    put32(out, 0x06054b50); // end of central directory
    put16(out, 0);
    put16(out, 0);
    put16(out, std::uint16_t(files.size()));
    put16(out, std::uint16_t(files.size()));
    put32(out, std::uint32_t(central.size()));
    put32(out, centralOffset);
    put16(out, 0);
    return out;
}

} // namespace lambdesk::app
