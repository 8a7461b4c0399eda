#pragma once
// Guests restored ahead of time, so that a burst of cold starts skips QEMU's start-up and the
// snapshot restore. A pooled guest sits in its agent's idle loop (the snapshot point) with its
// 9p exports pointing at an empty per-guest slot directory; whoever takes it fills the slot with
// the function's files (hard links where possible) before sending Start.

#include "lambdesk/engine/result.h"
#include "sandbox/microvm/microvmguest.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace lambdesk::engine {

class MicroVmPool {
public:
    using Factory = std::function<Result<MicroVmGuest>()>;

    // perKey guests at most per key, total across keys; unused guests die after idleLimit.
    MicroVmPool(std::size_t perKey, std::size_t total, std::chrono::seconds idleLimit);
    ~MicroVmPool(); // stops the worker and kills every pooled guest
    MicroVmPool(const MicroVmPool &) = delete;
    MicroVmPool &operator=(const MicroVmPool &) = delete;

    bool enabled() const { return m_perKey > 0; }
    // A ready guest for key, if one is waiting.
    std::optional<MicroVmGuest> take(const std::string &key);
    // Asks the worker thread to top key's pool up with factory (no-op when full or disabled).
    void refill(const std::string &key, Factory factory);

    // Fills dir with the files of sources merged in order (later ones win): hard links where the
    // file system allows, copies otherwise.
    static Result<void> populate(const std::filesystem::path &dir,
                                 const std::vector<std::filesystem::path> &sources);

private:
    void work();
    std::size_t sizeLocked() const;

    std::size_t m_perKey;
    std::size_t m_total;
    std::chrono::seconds m_idleLimit;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<std::string, std::deque<MicroVmGuest>> m_ready;
    std::map<std::string, Factory> m_wanted; // refill requests
    bool m_stopping = false;
    std::thread m_worker;
};

} // namespace lambdesk::engine
