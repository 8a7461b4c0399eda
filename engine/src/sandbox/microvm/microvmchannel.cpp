#include "sandbox/microvm/microvmchannel.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace lambdesk::engine {

namespace proto = microvm;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kReadChunk = std::size_t{64} * 1024;
constexpr std::size_t kBackpressureBytes = std::size_t{1024} * 1024;
constexpr auto kStartResend = std::chrono::milliseconds(250);
constexpr auto kClockSyncInterval = std::chrono::seconds(1);
// A held response head waits this long at most for its body (it follows within microseconds).
constexpr auto kHoldLimit = std::chrono::milliseconds(20);

std::string wallClockNs()
{
    const auto wall = std::chrono::system_clock::now().time_since_epoch();
    return std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count());
}

int connectUnix(const std::string &path)
{
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path)
        return -1;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

void writeAll(int fd, const char *data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n > 0) {
            data += n;
            size -= static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EAGAIN) {
            pollfd pfd{fd, POLLOUT, 0};
            ::poll(&pfd, 1, 1000);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            return; // reader gone: output has nowhere to go
        }
    }
}

} // namespace

std::size_t missingResponseBytes(std::string_view data)
{
    if (!data.starts_with("HTTP/1."))
        return 0;
    const std::size_t headEnd = data.find("\r\n\r\n");
    if (headEnd == std::string_view::npos)
        return data.size() < proto::kMaxPayload ? 1 : 0;
    const auto value = proto::detail::headerValue(data.substr(0, headEnd + 2), "content-length");
    const auto length = value ? proto::detail::frameSizedLength(*value) : std::nullopt;
    if (!length)
        return 0; // chunked, until close, or too big for one frame: forwarded as it comes
    const std::size_t whole = headEnd + 4 + *length;
    return data.size() >= whole ? 0 : whole - data.size();
}

struct MicroVmChannel::Connection {
    int fd = -1;
    std::string outbox;  // bytes from the guest, for the Runtime API
    std::string toGuest; // a response held until it is whole (see missingResponseBytes)
    Clock::time_point heldSince{};
    // A response POST the agent already answered is in flight: the Runtime API's answer to it is
    // dropped, and what the guest sends meanwhile (its next request) waits here until then.
    bool answerPending = false;
    std::deque<std::pair<proto::FrameType, std::string>> afterAnswer;
    bool guestClosed = false; // the runtime will send nothing more
    bool localClosed = false; // the Runtime API closed its side
    ~Connection()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

MicroVmChannel::MicroVmChannel(int serialFd, Target target)
    : m_serial(serialFd), m_wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      m_target(std::move(target))
{
    ::fcntl(m_serial, F_SETFL, O_NONBLOCK);
}

MicroVmChannel::~MicroVmChannel()
{
    m_stop = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wake, &one, sizeof one);
    if (m_thread.joinable())
        m_thread.join();
    m_connections.clear();
    closeOutput();
    ::close(m_serial);
    ::close(m_wake);
}

void MicroVmChannel::start()
{
    m_thread = std::thread([this] { relayLoop(); });
}

bool MicroVmChannel::waitReady(Clock::time_point deadline)
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_until(lock, deadline, [this] { return m_ready || m_finished.load(); }) &&
           m_ready;
}

void MicroVmChannel::sendPrepare(const proto::Fields &fields)
{
    {
        std::lock_guard lock(m_mutex);
        proto::appendFrame(m_pendingControl, proto::FrameType::Prepare, 0,
                           proto::encodeFields(fields));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wake, &one, sizeof one);
}

bool MicroVmChannel::waitPrepared(Clock::time_point deadline)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait_until(lock, deadline, [this] { return m_prepared || m_finished.load(); });
    return m_prepared && !m_finished.load();
}

void MicroVmChannel::sendStart(const proto::Fields &fields)
{
    {
        std::lock_guard lock(m_mutex);
        m_startNonce = proto::field(fields, "nonce");
        m_startFields = fields;
        m_startPending = true;
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wake, &one, sizeof one);
}

bool MicroVmChannel::waitStarted(Clock::time_point deadline)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait_until(lock, deadline, [this] { return m_started || m_finished.load(); });
    return m_started && !m_finished.load();
}

std::string MicroVmChannel::finishReason() const
{
    std::lock_guard lock(m_mutex);
    return m_finishReason;
}

void MicroVmChannel::relayLoop()
{
    while (!m_stop.load()) {
        // A pending Start is (re)sent from here so that all serial writes stay on this thread.
        int timeout = -1;
        {
            std::lock_guard lock(m_mutex);
            m_serialOutbox += m_pendingControl;
            m_pendingControl.clear();
            if (m_startPending && !m_finished.load()) {
                const auto now = Clock::now();
                if (now >= m_nextStartResend) {
                    // The guest sets its clock from this, so stamp it as it leaves.
                    m_startFields.erase("time_ns");
                    m_startFields.emplace("time_ns", wallClockNs());
                    m_serialOutbox.append(proto::kPreamble);
                    proto::appendFrame(m_serialOutbox, proto::FrameType::Start, 0,
                                       proto::encodeFields(m_startFields));
                    m_nextStartResend = now + kStartResend;
                }
                timeout = static_cast<int>(kStartResend.count());
            }
        }
        flushSerial();
        std::vector<pollfd> fds;
        const bool busy = m_serialOutbox.size() > kBackpressureBytes;
        fds.push_back(
            {m_serial, static_cast<short>(POLLIN | (m_serialOutbox.empty() ? 0 : POLLOUT)), 0});
        fds.push_back({m_wake, POLLIN, 0});
        std::vector<std::uint16_t> ids;
        for (auto &[id, c] : m_connections) {
            short events = 0;
            if (!c->localClosed && !busy)
                events |= POLLIN;
            if (!c->outbox.empty())
                events |= POLLOUT;
            fds.push_back({c->fd, events, 0});
            ids.push_back(id);
        }
        if (const int hold = holdTimeout(); hold >= 0 && (timeout < 0 || hold < timeout))
            timeout = hold;
        if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR)
            break;
        if (fds[1].revents & POLLIN) {
            std::uint64_t value;
            [[maybe_unused]] auto n = ::read(m_wake, &value, sizeof value);
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buffer[kReadChunk];
            const ssize_t n = ::read(m_serial, buffer, sizeof buffer);
            if (n > 0) {
                m_decoder.feed(buffer, static_cast<std::size_t>(n));
                while (auto frame = m_decoder.next())
                    handleFrame(*frame);
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                finish(kVmStopped);
            }
        }
        if (m_finished.load()) {
            // The runtime is gone: its Runtime API connections end with it, as a process's
            // sockets close when it exits (the engine's server waits on them otherwise).
            closeConnections();
            break;
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (fds[2 + i].revents)
                serviceConnection(ids[i], fds[2 + i].revents);
        }
        for (auto it = m_connections.begin(); it != m_connections.end();) {
            Connection &c = *it->second;
            if (!c.toGuest.empty() && !c.answerPending && Clock::now() - c.heldSince >= kHoldLimit)
                forwardToGuest(it->first, c);
            it = c.localClosed && c.guestClosed && c.outbox.empty() ? m_connections.erase(it)
                                                                    : std::next(it);
        }
    }
}

void MicroVmChannel::handleFrame(proto::Frame &frame)
{
    switch (frame.type) {
    case proto::FrameType::Ready: {
        std::lock_guard lock(m_mutex);
        m_ready = true;
        m_changed.notify_all();
        break;
    }
    case proto::FrameType::Prepared: {
        std::lock_guard lock(m_mutex);
        m_prepared = true;
        m_changed.notify_all();
        break;
    }
    case proto::FrameType::Started: {
        const auto fields = proto::decodeFields(frame.payload).value_or(proto::Fields{});
        std::lock_guard lock(m_mutex);
        if (m_startPending && proto::field(fields, "nonce") == m_startNonce) {
            m_started = true;
            m_startPending = false;
            m_changed.notify_all();
            proto::appendFrame(m_serialOutbox, proto::FrameType::Clock, 0,
                               proto::encodeFields({{"time_ns", wallClockNs()}}));
            m_lastClockSync = Clock::now();
        }
        break;
    }
    case proto::FrameType::Failed: {
        // A failed Start or Prepare ends the environment either way.
        const auto fields = proto::decodeFields(frame.payload).value_or(proto::Fields{});
        {
            std::lock_guard lock(m_mutex);
            m_startPending = false;
        }
        finish("the runtime could not start: " + proto::field(fields, "message"));
        break;
    }
    case proto::FrameType::Output:
        if (m_target.outputFd >= 0)
            writeAll(m_target.outputFd, frame.payload.data(), frame.payload.size());
        break;
    case proto::FrameType::Open: {
        if (m_onFirstConnection)
            std::exchange(m_onFirstConnection, nullptr)();
        auto connection = std::make_unique<Connection>();
        if (!m_target.runtimeApiSocket.empty())
            connection->fd = connectUnix(m_target.runtimeApiSocket);
        if (connection->fd < 0) {
            queue(proto::FrameType::Close, frame.stream, {});
            break;
        }
        m_connections[frame.stream] = std::move(connection);
        break;
    }
    case proto::FrameType::Data:
    case proto::FrameType::Answered:
    case proto::FrameType::Close: {
        auto it = m_connections.find(frame.stream);
        if (it != m_connections.end())
            toRuntimeApi(*it->second, frame.type, std::move(frame.payload));
        break;
    }
    case proto::FrameType::Memory: {
        const auto fields = proto::decodeFields(frame.payload).value_or(proto::Fields{});
        const auto used = std::stoull(proto::field(fields, "used", "0"));
        const auto peak = std::stoull(proto::field(fields, "peak", "0"));
        m_memoryUsed = used;
        if (peak > m_memoryPeak.load())
            m_memoryPeak = peak;
        break;
    }
    case proto::FrameType::Exit: {
        const auto fields = proto::decodeFields(frame.payload).value_or(proto::Fields{});
        m_oom = proto::field(fields, "oom") == "1";
        finish(proto::field(fields, "status", "exited"));
        break;
    }
    default:
        break;
    }
}

void MicroVmChannel::serviceConnection(std::uint16_t id, short revents)
{
    const auto found = m_connections.find(id);
    if (found == m_connections.end())
        return;
    Connection &c = *found->second;
    if (revents & POLLOUT)
        sendOutbox(c);
    if (c.localClosed || !(revents & (POLLIN | POLLHUP | POLLERR)))
        return;
    char buffer[kReadChunk];
    const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
    if (n > 0) {
        // cpp-httplib writes headers and body separately without TCP_NODELAY: acknowledging at
        // once releases the body instead of leaving it to Nagle until our delayed ACK (40 ms).
        const int one = 1;
        ::setsockopt(c.fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        if (c.toGuest.empty())
            c.heldSince = Clock::now();
        c.toGuest.append(buffer, static_cast<std::size_t>(n));
        if (missingResponseBytes(c.toGuest) > 0)
            return;
        if (c.answerPending)
            dropAnswer(c);
        else
            forwardToGuest(id, c);
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        c.localClosed = true;
        if (c.answerPending)
            dropAnswer(c); // no answer is coming; a Close waiting behind it still applies
        else
            forwardToGuest(id, c);
        if (n < 0) { // reset: nothing more can be delivered either
            c.guestClosed = true;
            c.outbox.clear();
        }
        queue(proto::FrameType::Close, id, {});
    }
}

void MicroVmChannel::sendOutbox(Connection &c)
{
    proto::sendQueued(c.fd, c.outbox);
    if (c.outbox.empty() && c.guestClosed)
        ::shutdown(c.fd, SHUT_WR);
}

void MicroVmChannel::toRuntimeApi(Connection &c, proto::FrameType type, std::string bytes)
{
    if (c.answerPending) {
        c.afterAnswer.emplace_back(type, std::move(bytes));
        return;
    }
    if (type == proto::FrameType::Close) {
        c.guestClosed = true;
        if (c.outbox.empty())
            ::shutdown(c.fd, SHUT_WR);
        return;
    }
    if (c.localClosed)
        return;
    c.outbox += bytes;
    c.answerPending = type == proto::FrameType::Answered;
    sendOutbox(c); // now, not a poll round later
}

void MicroVmChannel::dropAnswer(Connection &c)
{
    // The runtime already has its 202. Another status (the invocation timed out meanwhile) has
    // no one left to read it: the engine has settled that invocation itself.
    c.toGuest.clear();
    c.answerPending = false;
    while (!c.answerPending && !c.afterAnswer.empty()) {
        auto [type, bytes] = std::move(c.afterAnswer.front());
        c.afterAnswer.pop_front();
        toRuntimeApi(c, type, std::move(bytes));
    }
}

void MicroVmChannel::forwardToGuest(std::uint16_t id, Connection &c)
{
    if (c.toGuest.empty())
        return;
    // Resynchronise the guest's wall clock ahead of what is most likely the next event (the
    // guest is idle on /next now, so the agent applies it at once): runtimes compute the
    // remaining time from the deadline header with it.
    if (const auto now = Clock::now(); now - m_lastClockSync > kClockSyncInterval) {
        m_lastClockSync = now;
        queue(proto::FrameType::Clock, 0, proto::encodeFields({{"time_ns", wallClockNs()}}));
    }
    queue(proto::FrameType::Data, id, c.toGuest);
    c.toGuest.clear();
}

int MicroVmChannel::holdTimeout() const
{
    int timeout = -1;
    const auto now = Clock::now();
    for (const auto &[id, c] : m_connections) {
        if (c->toGuest.empty() || c->answerPending) // an answer to drop waits for all of itself
            continue;
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(c->heldSince + kHoldLimit - now);
        const int ms = static_cast<int>(std::max<std::int64_t>(0, left.count()));
        timeout = timeout < 0 ? ms : std::min(timeout, ms);
    }
    return timeout;
}

void MicroVmChannel::closeConnections()
{
    // What the runtime sent last (a response or error posted just before it exited) still goes
    // out, within a short deadline.
    const auto deadline = Clock::now() + std::chrono::seconds(1);
    for (auto &[id, c] : m_connections) {
        while (!c->outbox.empty() && Clock::now() < deadline) {
            const ssize_t n = ::send(c->fd, c->outbox.data(), c->outbox.size(), MSG_NOSIGNAL);
            if (n > 0) {
                c->outbox.erase(0, static_cast<std::size_t>(n));
            } else if (n < 0 && errno == EAGAIN) {
                pollfd pfd{c->fd, POLLOUT, 0};
                ::poll(&pfd, 1, 50);
            } else {
                break;
            }
        }
    }
    m_connections.clear();
}

void MicroVmChannel::queue(proto::FrameType type, std::uint16_t stream, std::string_view payload)
{
    do {
        const auto chunk = payload.substr(0, proto::kMaxPayload);
        proto::appendFrame(m_serialOutbox, type, stream, chunk);
        payload.remove_prefix(chunk.size());
    } while (!payload.empty());
}

void MicroVmChannel::flushSerial()
{
    while (!m_serialOutbox.empty()) {
        const ssize_t n =
            ::send(m_serial, m_serialOutbox.data(), m_serialOutbox.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return;
        m_serialOutbox.erase(0, static_cast<std::size_t>(n));
    }
}

void MicroVmChannel::finish(const std::string &reason)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_finished.load())
            return;
        m_finishReason = reason;
        m_finished = true;
        m_changed.notify_all();
    }
    // Closing the write end tells the engine's output reader that the runtime is gone.
    closeOutput();
    if (m_onFinished)
        m_onFinished();
}

void MicroVmChannel::closeOutput()
{
    if (m_target.outputFd >= 0) {
        ::close(m_target.outputFd);
        m_target.outputFd = -1;
    }
}

} // namespace lambdesk::engine
