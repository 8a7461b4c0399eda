#include "common/random.h"

#include "common/encoding.h"

#include <openssl/rand.h>

#include <unistd.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace lambdesk::engine::common {
namespace {

void fill(unsigned char *out, std::size_t count)
{
    if (count > 0 && RAND_bytes(out, static_cast<int>(count)) != 1)
        throw std::runtime_error("the random number generator failed");
}

// Every invoke draws a request id and a trace id: a few dozen bytes, where each RAND_bytes call
// costs ~10k instructions of locking and DRBG bookkeeping. Small draws come from a per-thread
// block of CSPRNG output instead, each byte handed out once. A forked child would share the
// parent's block, so a change of pid discards it.
class RandomBlock {
public:
    static constexpr std::size_t kSmallDraw = 64;

    void take(unsigned char *out, std::size_t count)
    {
        const pid_t pid = ::getpid();
        if (pid != m_pid || count > m_bytes.size() - m_used) {
            fill(m_bytes.data(), m_bytes.size());
            m_used = 0;
            m_pid = pid;
        }
        std::memcpy(out, m_bytes.data() + m_used, count);
        std::memset(m_bytes.data() + m_used, 0, count); // handed out once, kept nowhere
        m_used += count;
    }

private:
    std::array<unsigned char, 1024> m_bytes{};
    std::size_t m_used = 0;
    pid_t m_pid = 0;
};

} // namespace

std::string randomBytes(std::size_t count)
{
    std::string bytes(count, '\0');
    auto *out = reinterpret_cast<unsigned char *>(bytes.data());
    if (count <= RandomBlock::kSmallDraw) {
        thread_local RandomBlock block;
        block.take(out, count);
    } else {
        fill(out, count);
    }
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
