#pragma once
// The wire protocol between the microVM backend (host) and lambdesk-init, the agent that runs as
// PID 1 in the guest. Header-only, standard C++ and POSIX only, because the agent
// (packaging/guest/agent) compiles this same file into a static binary.
//
// Everything travels over one virtio-serial port as frames:
//   magic "\xF1LDK" | type u8 | flags u8 | stream u16 | length u32 | crc32 u32 | payload
// One port carries the runtime's output and its Runtime API traffic so that their order survives:
// the agent drains the output pipe before it forwards any request byte, and the host writes output
// to outputFd() before it relays the request (the Sandbox contract in sandbox.h).
// The first byte on a serial port after a snapshot restore can be lost, so the decoder resyncs on
// the magic and drops frames whose CRC fails, and the one message that crosses the restore (Start)
// is repeated by the host until the agent acknowledges it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <sys/socket.h>

namespace lambdesk::engine::microvm {

enum class FrameType : std::uint8_t {
    Ready = 1,     // guest: agent is up and idle (the snapshot point); payload: fields
    Start = 2,     // host: configuration of the runtime to start; payload: fields
    Started = 3,   // guest: Start with this nonce was applied (repeated for a repeated Start)
    Output = 4,    // guest: runtime stdout/stderr bytes
    Open = 5,      // guest: the runtime opened a Runtime API connection (stream id)
    Data = 6,      // both: bytes of one Runtime API connection
    Close = 7,     // both: one side of a connection closed
    Exit = 8,      // guest: the runtime exited; payload: fields (status, oom)
    Memory = 9,    // guest: guest memory in use; payload: fields (used, peak)
    Failed = 10,   // guest: Start or Prepare could not be applied; payload: fields (message)
    Prepare = 11,  // host, snapshot boot only: start a runtime "zygote" that preloads and then
                   // waits for its Start; payload: fields (argv, env:*, uid, gid)
    Prepared = 12, // guest: the zygote finished preloading (the per-runtime snapshot point), or,
                   // after a Start with hold=1, the runtime's init reached its first Runtime API
                   // connection, which the agent holds (the per-function snapshot point). A later
                   // Start with resume=1 (nonce, time_ns, entropy) releases it.
    Clock = 13,    // host: the wall clock (fields: time_ns), sent again once Start is acknowledged
                   // because a restored guest may sit on the first Start for a while
    Answered = 14, // guest: Data holding one whole invocation response POST that the agent has
                   // already answered 202 (answerableInGuest), so that the runtime asks for its
                   // next event while the response crosses to the host. The host drops the
                   // Runtime API's own answer and holds what the stream sends next until then.
    Warm = 15,     // host, to a spare restored from a function snapshot ahead of its use: do what
                   // a resume does but release nothing (fields: time_ns, entropy). Under TCG a
                   // fresh QEMU translates every code path on first use; run them here, not
                   // inside a cold start.
};

inline constexpr std::array<std::uint8_t, 4> kMagic{0xF1, 'L', 'D', 'K'};
inline constexpr std::size_t kHeaderSize = 16;
inline constexpr std::size_t kMaxPayload = std::size_t{64} * 1024;
inline constexpr const char *kPortName = "lambdesk";
inline constexpr int kGuestRuntimeApiPort = 9001;
// Zero bytes ahead of a frame that may be the first a port carries after a snapshot restore: the
// decoder skips them, so a lost first byte costs one of these and the frame arrives whole.
inline constexpr std::string_view kPreamble("\0\0\0\0\0\0\0\0", 8);
// What the Runtime API answers a response POST (less its Keep-Alive header).
inline constexpr std::string_view kGuestAnswer = "HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n"
                                                 "Content-Type: application/json\r\n\r\n"
                                                 "{\"status\":\"OK\"}";

struct Frame {
    FrameType type = FrameType::Data;
    std::uint16_t stream = 0;
    std::string payload;
};

inline std::uint32_t crc32(std::uint32_t crc, const void *data, std::size_t size)
{
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    const auto *p = static_cast<const std::uint8_t *>(data);
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i)
        crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

namespace detail {
inline void putLe(std::string &out, std::uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}
inline std::uint64_t getLe(const char *p, int bytes)
{
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(p[i])) << (8 * i);
    return v;
}
} // namespace detail

// Appends one encoded frame to out. payload.size() must be <= kMaxPayload.
inline void appendFrame(std::string &out, FrameType type, std::uint16_t stream,
                        std::string_view payload)
{
    const std::size_t start = out.size();
    out.append(reinterpret_cast<const char *>(kMagic.data()), kMagic.size());
    out.push_back(static_cast<char>(type));
    out.push_back(0);
    detail::putLe(out, stream, 2);
    detail::putLe(out, payload.size(), 4);
    // The CRC covers type..length and the payload, so a frame shifted by a lost byte never parses.
    std::uint32_t crc = crc32(0, out.data() + start + 4, 8);
    crc = crc32(crc, payload.data(), payload.size());
    detail::putLe(out, crc, 4);
    out.append(payload);
}

// Sends what `outbox` holds to the non-blocking socket `fd`, as much as it takes now; both ends
// of a Runtime API connection relay through this.
inline void sendQueued(int fd, std::string &outbox)
{
    while (!outbox.empty()) {
        const ssize_t n = ::send(fd, outbox.data(), outbox.size(), MSG_NOSIGNAL);
        if (n <= 0)
            break;
        outbox.erase(0, static_cast<std::size_t>(n));
    }
}

// Incremental decoder: feed() raw bytes, then next() until it returns nothing.
class FrameDecoder {
public:
    void feed(const char *data, std::size_t size) { m_buffer.append(data, size); }

    std::optional<Frame> next()
    {
        for (;;) {
            const std::size_t magic = findMagic();
            if (magic == std::string::npos) {
                keepTail();
                return std::nullopt;
            }
            discard(magic);
            if (m_buffer.size() < kHeaderSize)
                return std::nullopt;
            const char *h = m_buffer.data();
            const auto length = static_cast<std::size_t>(detail::getLe(h + 8, 4));
            if (length > kMaxPayload) {
                discard(1);
                continue;
            }
            if (m_buffer.size() < kHeaderSize + length)
                return std::nullopt;
            std::uint32_t crc = crc32(0, h + 4, 8);
            crc = crc32(crc, h + kHeaderSize, length);
            if (crc != static_cast<std::uint32_t>(detail::getLe(h + 12, 4))) {
                discard(1);
                continue;
            }
            Frame frame;
            frame.type = static_cast<FrameType>(static_cast<std::uint8_t>(h[4]));
            frame.stream = static_cast<std::uint16_t>(detail::getLe(h + 6, 2));
            frame.payload.assign(h + kHeaderSize, length);
            m_buffer.erase(0, kHeaderSize + length);
            return frame;
        }
    }

    // Bytes thrown away while resynchronising (diagnostics and tests).
    std::size_t discardedBytes() const { return m_discarded; }

private:
    std::size_t findMagic() const
    {
        return m_buffer.find(
            std::string_view(reinterpret_cast<const char *>(kMagic.data()), kMagic.size()));
    }
    void discard(std::size_t n)
    {
        m_buffer.erase(0, n);
        m_discarded += n;
    }
    // Without a full magic in the buffer, only its last 3 bytes can still start one.
    void keepTail()
    {
        if (m_buffer.size() > kMagic.size() - 1)
            discard(m_buffer.size() - (kMagic.size() - 1));
    }

    std::string m_buffer;
    std::size_t m_discarded = 0;
};

namespace detail {
// The value of header `lowerName` among an HTTP head's header lines, spaces trimmed; nullopt
// when it is not there. (The agent has no HTTP library; these are the two facts it needs.)
inline std::optional<std::string_view> headerValue(std::string_view headers,
                                                   std::string_view lowerName)
{
    while (!headers.empty()) {
        const std::size_t eol = headers.find("\r\n");
        std::string_view line = headers.substr(0, eol);
        headers.remove_prefix(eol == std::string_view::npos ? headers.size() : eol + 2);
        if (line.size() <= lowerName.size() || line[lowerName.size()] != ':')
            continue;
        bool same = true;
        for (std::size_t i = 0; i < lowerName.size() && same; ++i) {
            const char c = line[i];
            same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == lowerName[i];
        }
        if (!same)
            continue;
        line.remove_prefix(lowerName.size() + 1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        return line;
    }
    return std::nullopt;
}

// A Content-Length that fits one frame; nullopt when malformed or larger.
inline std::optional<std::size_t> frameSizedLength(std::string_view value)
{
    std::size_t length = 0;
    for (const char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        length = length * 10 + static_cast<std::size_t>(c - '0');
        if (length > kMaxPayload)
            return std::nullopt;
    }
    return value.empty() ? std::nullopt : std::optional<std::size_t>(length);
}
} // namespace detail

// True when `request` is exactly one whole "POST /2018-06-01/runtime/invocation/{id}/response"
// with a Content-Length body: the request the agent may answer itself (see FrameType::Answered).
// Streamed (chunked) or 100-continue responses and anything with bytes after it are left to the
// Runtime API.
inline bool answerableInGuest(std::string_view request)
{
    constexpr std::string_view prefix = "POST /2018-06-01/runtime/invocation/";
    constexpr std::string_view suffix = "/response HTTP/1.1";
    if (!request.starts_with(prefix) || request.size() > kMaxPayload)
        return false;
    const std::size_t lineEnd = request.find("\r\n");
    const std::size_t headEnd = request.find("\r\n\r\n");
    if (headEnd == std::string_view::npos || !request.substr(0, lineEnd).ends_with(suffix))
        return false;
    const std::string_view headers = request.substr(lineEnd + 2, headEnd - lineEnd);
    // An Expect: 100-continue draws an interim answer too, which the relay would take for the one
    // to drop.
    if (detail::headerValue(headers, "transfer-encoding") ||
        detail::headerValue(headers, "expect") ||
        detail::headerValue(headers, "lambda-runtime-function-response-mode"))
        return false;
    const auto value = detail::headerValue(headers, "content-length");
    const auto length = value ? detail::frameSizedLength(*value) : std::nullopt;
    return length && request.size() == headEnd + 4 + *length;
}

// A zygote reads its Start fields (encoded as below) from this descriptor until EOF, after writing
// one byte to kZygoteReadyFd once its preloading is done.
inline constexpr int kZygoteStartFd = 3;
inline constexpr int kZygoteReadyFd = 4;

// Payload of the control frames: length-prefixed key/value pairs (the agent has no JSON parser).
// Environment variables travel as "env:NAME" keys.
using Fields = std::multimap<std::string, std::string>;

inline std::string encodeFields(const Fields &fields)
{
    std::string out;
    for (const auto &[key, value] : fields) {
        detail::putLe(out, key.size(), 4);
        out.append(key);
        detail::putLe(out, value.size(), 4);
        out.append(value);
    }
    return out;
}

inline std::optional<Fields> decodeFields(std::string_view data)
{
    Fields fields;
    std::size_t pos = 0;
    auto take = [&](std::string &out) {
        if (data.size() - pos < 4)
            return false;
        const auto n = static_cast<std::size_t>(detail::getLe(data.data() + pos, 4));
        pos += 4;
        if (data.size() - pos < n)
            return false;
        out.assign(data.data() + pos, n);
        pos += n;
        return true;
    };
    while (pos < data.size()) {
        std::string key;
        std::string value;
        if (!take(key) || !take(value))
            return std::nullopt;
        fields.emplace(std::move(key), std::move(value));
    }
    return fields;
}

inline std::string field(const Fields &fields, const std::string &key,
                         const std::string &fallback = {})
{
    const auto it = fields.find(key);
    return it == fields.end() ? fallback : it->second;
}

} // namespace lambdesk::engine::microvm
