#pragma once
// Host end of the virtio-serial channel to one guest's lambdesk-init (see microvmprotocol.h).
// A relay thread demultiplexes the guest's frames: Output goes to the output pipe, each Runtime API
// connection the runtime opens in the guest becomes a TCP connection to the engine's Runtime API,
// and Ready/Started/Exit/Memory update the state below. Output is written before any later API
// bytes are relayed, which keeps the Sandbox ordering guarantee across the VM boundary.

#include "microvmprotocol.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace lambdesk::engine {

// How many more bytes the HTTP response starting `data` needs before it is whole; 0 when it is
// whole, or is not a response this relay holds back (chunked, large, or the middle of a body).
// cpp-httplib writes a response's head and body with separate sends: forwarding them as they
// come would wake the guest, its agent and the runtime twice per message.
std::size_t missingResponseBytes(std::string_view data);

class MicroVmChannel {
public:
    static constexpr const char *kVmStopped = "the microVM stopped";
    struct Target {
        std::string
            runtimeApiSocket; // unix socket path; empty: no relay (the snapshot-making boot)
        int outputFd = -1;    // write end of the output pipe, owned by the channel; -1: drop
    };

    // Takes ownership of serialFd (our end of the socket QEMU's virtserialport uses).
    MicroVmChannel(int serialFd, Target target);
    ~MicroVmChannel(); // stops the relay thread and closes every descriptor
    MicroVmChannel(const MicroVmChannel &) = delete;
    MicroVmChannel &operator=(const MicroVmChannel &) = delete;

    // Called once from the relay thread when the runtime exits, the start fails or the VM's end of
    // the channel closes. Set before start().
    void onFinished(std::function<void()> callback) { m_onFinished = std::move(callback); }
    // Called once from the relay thread when the runtime first connects to the Runtime API, i.e.
    // its init is done (a good moment for background work that would slow init down).
    void onFirstConnection(std::function<void()> callback)
    {
        m_onFirstConnection = std::move(callback);
    }
    void start();

    // Blocks until the agent announced Ready, the channel closed, or the deadline.
    bool waitReady(std::chrono::steady_clock::time_point deadline);
    // Snapshot boot only: asks the agent to start a runtime zygote; waitPrepared() blocks until it
    // finished preloading (false on failure, closure or the deadline).
    void sendPrepare(const microvm::Fields &fields);
    bool waitPrepared(std::chrono::steady_clock::time_point deadline);
    // Sends Start and repeats it until the agent acknowledges (a restored guest can lose the first
    // bytes it is sent).
    void sendStart(const microvm::Fields &fields);
    // Blocks until Started/Failed/closed or the deadline; true when the runtime was started.
    bool waitStarted(std::chrono::steady_clock::time_point deadline);

    bool isFinished() const { return m_finished.load(); }
    // Why it finished: the runtime's exit ("exit status 1"), a start failure or a lost VM.
    std::string finishReason() const;
    bool killedForMemory() const { return m_oom.load(); }
    std::uint64_t guestMemoryUsed() const { return m_memoryUsed.load(); }
    std::uint64_t guestMemoryPeak() const { return m_memoryPeak.load(); }

private:
    struct Connection;
    void relayLoop();
    void handleFrame(microvm::Frame &frame);
    void serviceConnection(std::uint16_t id, short revents);
    void sendOutbox(Connection &c);
    void toRuntimeApi(Connection &c, microvm::FrameType type, std::string bytes);
    void dropAnswer(Connection &c);
    void forwardToGuest(std::uint16_t id, Connection &c);
    int holdTimeout() const; // poll timeout until the oldest held response must go; -1: none
    void queue(microvm::FrameType type, std::uint16_t stream, std::string_view payload);
    void flushSerial();
    void closeConnections();
    void finish(const std::string &reason);
    void closeOutput();

    int m_serial;
    int m_wake;
    Target m_target;
    std::thread m_thread;
    std::function<void()> m_onFinished;
    std::function<void()> m_onFirstConnection;

    // Relay-thread state.
    microvm::FrameDecoder m_decoder;
    std::string m_serialOutbox;
    std::map<std::uint16_t, std::unique_ptr<Connection>> m_connections;
    std::chrono::steady_clock::time_point m_nextStartResend{};
    std::chrono::steady_clock::time_point m_lastClockSync{};

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_ready = false;
    bool m_prepared = false;
    bool m_started = false;
    bool m_startPending = false;   // Start awaits its acknowledgement
    microvm::Fields m_startFields; // re-encoded per send: time_ns is stamped when it goes out
    std::string m_pendingControl;  // frames queued by other threads for the relay thread
    std::string m_startNonce;
    std::string m_finishReason;
    std::atomic<bool> m_finished{false};
    std::atomic<bool> m_oom{false};
    std::atomic<std::uint64_t> m_memoryUsed{0};
    std::atomic<std::uint64_t> m_memoryPeak{0};
    std::atomic<bool> m_stop{false};
};

} // namespace lambdesk::engine
