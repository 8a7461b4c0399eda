// lambdesk-init: PID 1 of the Lambdesk microVM guest.
//
// Boots to an idle "Ready" state that does not depend on any function (the snapshot point), then,
// on the host's Start, mounts the function's code, starts the runtime and relays:
//   runtime stdout/stderr              -> Output frames
//   connections to 127.0.0.1:9001      -> Open/Data/Close frames (the host relays them to the
//                                         engine's Runtime API)
//   runtime exit / OOM kill            -> Exit frame
// A Start with hold=1 holds the runtime's first Runtime API connection inside the guest (a
// function snapshot is taken there); a Start with resume=1 in a guest restored from that snapshot
// lets it through.
// all over one virtio-serial port, framed by sandbox/microvm/protocol/microvmprotocol.h (shared
// with the host).

#include "guestsystem.h"
#include "microvmprotocol.h"
#include "runtimeprocess.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace lambdesk::guest {

namespace proto = lambdesk::engine::microvm;

namespace {

constexpr std::size_t kReadChunk = 32 * 1024;
constexpr std::size_t kBackpressureBytes = 1024 * 1024;
// While a runtime runs, memory is sampled this often even when nothing else happens, so that a
// handler allocating in a tight loop has its peak (its Max Memory Used) seen before it is killed.
constexpr int kMemorySampleMs = 100;
constexpr std::uint64_t kPeakStepBytes = 1 << 20;

struct Stream {
    int fd = -1;
    std::string outbox;      // bytes from the host, waiting to be written to the runtime
    bool hostClosed = false; // host sent Close: shut our write side once outbox is empty
    bool localClosed = false;
    bool held = false; // the snapshot point: kept in the guest until the host resumes it
};

// "a:b" -> {"a", "b"}; {"", ""} without a colon.
std::pair<std::string, std::string> splitPair(const std::string &text)
{
    const auto colon = text.find(':');
    if (colon == std::string::npos)
        return {};
    return {text.substr(0, colon), text.substr(colon + 1)};
}

class Agent {
public:
    Agent(int port, int listener, int signals)
        : m_port(port), m_listener(listener), m_signals(signals)
    {
    }

    void run()
    {
        sendControl(proto::FrameType::Ready, {{"agent", "1"}});
        for (;;) {
            flushPort();
            pollOnce();
        }
    }

private:
    void pollOnce()
    {
        std::vector<pollfd> fds;
        const bool portBusy = m_portOutbox.size() > kBackpressureBytes;
        fds.push_back({m_port, static_cast<short>(POLLIN | (m_portOutbox.empty() ? 0 : POLLOUT)), 0});
        fds.push_back({m_signals, POLLIN, 0});
        fds.push_back({m_listener, static_cast<short>(portBusy ? 0 : POLLIN), 0});
        fds.push_back({m_runtime.outputFd(), static_cast<short>(portBusy ? 0 : POLLIN), 0});
        fds.push_back({m_runtime.readyFd(), POLLIN, 0});
        std::vector<std::uint16_t> ids;
        for (auto &[id, stream] : m_streams) {
            if (stream.held)
                continue;
            short events = 0;
            if (!stream.localClosed && !portBusy)
                events |= POLLIN;
            if (!stream.outbox.empty())
                events |= POLLOUT;
            fds.push_back({stream.fd, events, 0});
            ids.push_back(id);
        }
        const bool running = m_runtime.pid() != 0;
        if (::poll(fds.data(), fds.size(), running ? kMemorySampleMs : -1) < 0)
            return;
        if (running)
            samplePeakMemory();
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
            readPort();
        if (fds[1].revents & POLLIN)
            reapChildren();
        if (fds[2].revents & POLLIN)
            acceptConnection();
        if (fds[3].revents & (POLLIN | POLLHUP))
            drainOutput();
        if (fds[4].revents & (POLLIN | POLLHUP))
            zygoteReady();
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (fds[5 + i].revents)
                serviceStream(ids[i], fds[5 + i].revents);
        }
        for (auto it = m_streams.begin(); it != m_streams.end();) {
            Stream &s = it->second;
            if (s.localClosed && s.hostClosed && s.outbox.empty()) {
                ::close(s.fd);
                it = m_streams.erase(it);
            } else {
                ++it;
            }
        }
    }

    // --- host -> guest -------------------------------------------------------------------------
    void readPort()
    {
        char buffer[kReadChunk];
        for (;;) {
            const ssize_t n = ::read(m_port, buffer, sizeof buffer);
            if (n <= 0)
                break;
            m_decoder.feed(buffer, static_cast<std::size_t>(n));
        }
        while (auto frame = m_decoder.next())
            handleFrame(*frame);
    }

    void handleFrame(const proto::Frame &frame)
    {
        switch (frame.type) {
        case proto::FrameType::Start:
            handleStart(frame.payload);
            break;
        case proto::FrameType::Prepare:
            handlePrepare(frame.payload);
            break;
        case proto::FrameType::Clock:
            if (const auto fields = proto::decodeFields(frame.payload))
                setClock(std::stoll(proto::field(*fields, "time_ns", "0")));
            break;
        case proto::FrameType::Warm:
            if (const auto fields = proto::decodeFields(frame.payload)) {
                takeClockAndEntropy(*fields);
                sendMemory(true);
            }
            break;
        case proto::FrameType::Data: {
            auto it = m_streams.find(frame.stream);
            if (it != m_streams.end()) {
                it->second.outbox += frame.payload;
                if (!it->second.held)
                    sendOutbox(it->second); // now, not a poll round later
            }
            break;
        }
        case proto::FrameType::Close: {
            auto it = m_streams.find(frame.stream);
            if (it != m_streams.end()) {
                it->second.hostClosed = true;
                if (it->second.outbox.empty())
                    ::shutdown(it->second.fd, SHUT_WR);
            }
            break;
        }
        default:
            break;
        }
    }

    void handleStart(const std::string &payload)
    {
        const auto fields = proto::decodeFields(payload);
        if (!fields)
            return;
        const std::string nonce = proto::field(*fields, "nonce");
        if (proto::field(*fields, "resume") == "1") {
            handleResume(*fields, nonce);
            return;
        }
        if (m_started) {
            // A repeated Start (its Started got lost): acknowledge again, never start twice.
            if (nonce == m_nonce)
                sendControl(m_failure.empty() ? proto::FrameType::Started : proto::FrameType::Failed,
                            {{"nonce", nonce}, {"message", m_failure}});
            return;
        }
        m_started = true;
        m_nonce = nonce;
        m_holdFirstConnection = proto::field(*fields, "hold") == "1";
        m_failure = applyStart(*fields, payload);
        if (!m_failure.empty()) {
            logLine(m_failure);
            sendControl(proto::FrameType::Failed, {{"nonce", nonce}, {"message", m_failure}});
            return;
        }
        sendControl(proto::FrameType::Started, {{"nonce", nonce}});
        sendMemory(true);
    }

    // A guest restored from a function snapshot: its runtime is initialised and its first Runtime
    // API connection is held (see acceptConnection). Fresh clock and entropy, then let it go.
    void handleResume(const proto::Fields &fields, const std::string &nonce)
    {
        if (!m_resumeNonce.empty() && nonce == m_resumeNonce) {
            sendControl(proto::FrameType::Started, {{"nonce", nonce}}); // its ack got lost
            return;
        }
        if (m_heldStream == 0) {
            sendControl(proto::FrameType::Failed,
                        {{"nonce", nonce}, {"message", "nothing to resume: no runtime is waiting"}});
            return;
        }
        m_resumeNonce = nonce;
        takeClockAndEntropy(fields);
        sendControl(proto::FrameType::Started, {{"nonce", nonce}});
        sendMemory(true);
        if (auto it = m_streams.find(m_heldStream); it != m_streams.end())
            it->second.held = false;
        send(proto::FrameType::Open, m_heldStream, {});
        m_heldStream = 0;
    }

    // What a snapshot cannot carry: the host's wall clock and fresh entropy (Start, resume, Warm).
    static void takeClockAndEntropy(const proto::Fields &fields)
    {
        setClock(std::stoll(proto::field(fields, "time_ns", "0")));
        addEntropy(proto::field(fields, "entropy"));
    }

    std::string applyStart(const proto::Fields &fields, const std::string &payload)
    {
        takeClockAndEntropy(fields);
        if (auto error = mountTmp(std::stoi(proto::field(fields, "tmp_mb", "512"))); !error.empty())
            return error;
        // The function's files on a block device ("image" = "device:/mount/point"), placed by
        // "bind" = "source:target" entries: what a function snapshot uses (9p cannot migrate).
        if (const auto [device, point] = splitPair(proto::field(fields, "image")); !device.empty())
            if (auto error = mountImage(device, point); !error.empty())
                return error;
        auto [bb, be] = fields.equal_range("bind");
        for (auto it = bb; it != be; ++it) {
            const auto [source, target] = splitPair(it->second);
            if (auto error = bindMount(source, target); !error.empty())
                return error;
        }
        // "mount" values are "tag:/guest/path", applied in order.
        auto [mb, me] = fields.equal_range("mount");
        for (auto it = mb; it != me; ++it) {
            const auto colon = it->second.find(':');
            if (colon == std::string::npos)
                continue;
            if (auto error = mount9p(it->second.substr(0, colon), it->second.substr(colon + 1));
                !error.empty())
                return error;
        }
        return m_runtime.start(fields, payload);
    }

    // Snapshot boot only: start the runtime's interpreter early so that its preloading ends up
    // in the snapshot.
    void handlePrepare(const std::string &payload)
    {
        const auto fields = proto::decodeFields(payload);
        if (!fields || m_started)
            return;
        if (auto error = m_runtime.prepare(*fields); !error.empty())
            sendControl(proto::FrameType::Failed, {{"message", error}});
    }

    void zygoteReady()
    {
        // On EOF the zygote died instead; reapChildren reports its exit.
        if (m_runtime.takeReady())
            sendControl(proto::FrameType::Prepared, {});
    }

    // --- guest -> host -------------------------------------------------------------------------
    void acceptConnection()
    {
        const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        do {
            ++m_nextStream;
        } while (m_nextStream == 0 || m_streams.count(m_nextStream));
        // Runtime API messages are small and latency-bound: Nagle plus delayed ACKs would add 40 ms.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        m_streams[m_nextStream].fd = fd;
        drainOutput();
        if (m_holdFirstConnection) {
            // The runtime's init is done and it is about to ask for work: the function snapshot
            // point. Its request stays in this socket, inside the guest, until a resume.
            m_holdFirstConnection = false;
            m_streams[m_nextStream].held = true;
            m_heldStream = m_nextStream;
            sendControl(proto::FrameType::Prepared, {});
            return;
        }
        send(proto::FrameType::Open, m_nextStream, {});
    }

    void serviceStream(std::uint16_t id, short revents)
    {
        Stream &s = m_streams[id];
        if (revents & POLLOUT)
            sendOutbox(s);
        if (s.localClosed || !(revents & (POLLIN | POLLHUP | POLLERR)))
            return;
        readStream(id, s);
    }

    static void sendOutbox(Stream &s)
    {
        proto::sendQueued(s.fd, s.outbox);
        if (s.outbox.empty() && s.hostClosed)
            ::shutdown(s.fd, SHUT_WR);
    }

    // One read from the runtime's connection, forwarded; false when nothing more is there now.
    bool readStream(std::uint16_t id, Stream &s)
    {
        char buffer[kReadChunk];
        const ssize_t n = ::recv(s.fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            const int one = 1; // see the host relay: no delayed ACK against a Nagle-ing writer
            ::setsockopt(s.fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
            // Ordering rule: output the runtime wrote before this request goes first.
            drainOutput();
            sendMemory(false);
            const std::string_view request(buffer, static_cast<std::size_t>(n));
            if (proto::answerableInGuest(request)) {
                // The runtime's turnaround to its next /next overlaps the response's trip to
                // the host instead of waiting for the Runtime API's 202 to come back.
                s.outbox.append(proto::kGuestAnswer);
                sendOutbox(s);
                send(proto::FrameType::Answered, id, request);
            } else {
                send(proto::FrameType::Data, id, request);
            }
            return true;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            drainOutput();
            s.localClosed = true;
            if (n < 0) { // reset: nothing more can be delivered either
                s.hostClosed = true;
                s.outbox.clear();
            }
            send(proto::FrameType::Close, id, {});
        }
        return false;
    }

    void drainOutput()
    {
        if (m_runtime.outputFd() < 0)
            return;
        char buffer[kReadChunk];
        for (;;) {
            const ssize_t n = ::read(m_runtime.outputFd(), buffer, sizeof buffer);
            if (n > 0) {
                send(proto::FrameType::Output, 0, std::string_view(buffer, static_cast<std::size_t>(n)));
                continue;
            }
            if (n == 0) { // every writer is gone
                m_runtime.closeOutput();
            }
            return;
        }
    }

    void reapChildren()
    {
        signalfd_siginfo info;
        while (::read(m_signals, &info, sizeof info) == sizeof info) {
        }
        int status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != m_runtime.pid())
                continue;
            drainOutput();
            // The host closes the Runtime API connections on Exit: forward what the runtime
            // sent just before it went away (say, an error it posted) first.
            for (auto &[id, stream] : m_streams)
                while (!stream.localClosed)
                    if (!readStream(id, stream))
                        break;
            sendMemory(true);
            const bool oom = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
                             m_runtime.killedByOom();
            sendFields(proto::FrameType::Exit,
                       {{"status", describeStatus(status)}, {"oom", oom ? "1" : "0"}});
        }
    }

    void samplePeakMemory()
    {
        if (memoryInUse() >= m_peakMemory + kPeakStepBytes)
            sendMemory(true);
    }

    void sendMemory(bool force)
    {
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - m_lastMemory < std::chrono::milliseconds(50))
            return;
        m_lastMemory = now;
        const auto used = memoryInUse();
        m_peakMemory = std::max(m_peakMemory, used);
        sendFields(proto::FrameType::Memory,
                   {{"used", std::to_string(used)}, {"peak", std::to_string(m_peakMemory)}});
    }

    void sendFields(proto::FrameType type, const proto::Fields &fields)
    {
        send(type, 0, proto::encodeFields(fields));
    }

    // Control frames may be the first bytes after a snapshot restore; zero bytes in front absorb
    // a lost first byte (the decoder skips anything before the magic).
    void sendControl(proto::FrameType type, const proto::Fields &fields)
    {
        m_portOutbox.append(proto::kPreamble);
        sendFields(type, fields);
    }

    void send(proto::FrameType type, std::uint16_t stream, std::string_view payload)
    {
        do {
            const auto chunk = payload.substr(0, proto::kMaxPayload);
            proto::appendFrame(m_portOutbox, type, stream, chunk);
            payload.remove_prefix(chunk.size());
        } while (!payload.empty());
    }

    void flushPort()
    {
        while (!m_portOutbox.empty()) {
            const ssize_t n = ::write(m_port, m_portOutbox.data(), m_portOutbox.size());
            if (n <= 0)
                return; // EAGAIN: the host is not reading yet; poll for POLLOUT
            m_portOutbox.erase(0, static_cast<std::size_t>(n));
        }
    }

    int m_port;
    int m_listener;
    int m_signals;
    proto::FrameDecoder m_decoder;
    std::string m_portOutbox;
    std::map<std::uint16_t, Stream> m_streams;
    std::uint16_t m_nextStream = 0;
    RuntimeProcess m_runtime;
    bool m_started = false;
    std::string m_failure;
    std::string m_nonce;
    bool m_holdFirstConnection = false;
    std::uint16_t m_heldStream = 0;
    std::string m_resumeNonce;
    std::uint64_t m_peakMemory = 0;
    std::chrono::steady_clock::time_point m_lastMemory{};
};

int listenRuntimeApi()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(proto::kGuestRuntimeApiPort);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(fd, 64) != 0) {
        logLine(std::string("cannot listen on the Runtime API port: ") + std::strerror(errno));
        return -1;
    }
    return fd;
}

[[noreturn]] void halt(const std::string &why)
{
    logLine(why);
    // PID 1 must not exit (the kernel would panic with a less useful message); the host sees no
    // Ready and gives up on its deadline.
    for (;;)
        ::pause();
}

} // namespace
} // namespace lambdesk::guest

int main()
{
    using namespace lambdesk::guest;
    mountBase();
    setUpNetwork();
    ::sethostname("lambdesk", 8);
    if (const int fd = ::open("/proc/self/oom_score_adj", O_WRONLY); fd >= 0) {
        [[maybe_unused]] auto n = ::write(fd, "-1000", 5);
        ::close(fd);
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    const int signals = ::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    const int port = openPort(lambdesk::engine::microvm::kPortName);
    if (port < 0)
        halt("no virtio-serial port named 'lambdesk'");
    const int listener = listenRuntimeApi();
    if (listener < 0)
        halt("no Runtime API listener");
    Agent(port, listener, signals).run();
}
