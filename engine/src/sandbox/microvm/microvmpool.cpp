#include "sandbox/microvm/microvmpool.h"

#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace lambdesk::engine {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

MicroVmPool::MicroVmPool(std::size_t perKey, std::size_t total, std::chrono::seconds idleLimit)
    : m_perKey(perKey), m_total(total), m_idleLimit(idleLimit)
{
    if (enabled())
        m_worker = std::thread([this] { work(); });
}

MicroVmPool::~MicroVmPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_changed.notify_all();
    }
    if (m_worker.joinable())
        m_worker.join();
    m_ready.clear();
}

std::optional<MicroVmGuest> MicroVmPool::take(const std::string &key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_ready.find(key);
    while (it != m_ready.end() && !it->second.empty()) {
        MicroVmGuest vm = std::move(it->second.front());
        it->second.pop_front();
        if (vm.process && vm.process->isRunning())
            return vm;
    }
    return std::nullopt;
}

void MicroVmPool::refill(const std::string &key, Factory factory)
{
    if (!enabled())
        return;
    std::lock_guard lock(m_mutex);
    m_wanted[key] = std::move(factory);
    m_changed.notify_all();
}

std::size_t MicroVmPool::sizeLocked() const
{
    std::size_t size = 0;
    for (const auto &[key, vms] : m_ready)
        size += vms.size();
    return size;
}

void MicroVmPool::work()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        // Guests nobody took for a while give their memory back.
        const auto now = Clock::now();
        auto nextExpiry = Clock::time_point::max();
        for (auto &[key, vms] : m_ready) {
            while (!vms.empty() && now - vms.front().readySince >= m_idleLimit)
                vms.pop_front();
            if (!vms.empty())
                nextExpiry = std::min(nextExpiry, vms.front().readySince + m_idleLimit);
        }
        std::string key;
        Factory factory;
        for (auto it = m_wanted.begin(); it != m_wanted.end();) {
            if (m_ready[it->first].size() >= m_perKey || sizeLocked() >= m_total) {
                it = m_wanted.erase(it);
                continue;
            }
            key = it->first;
            factory = std::move(it->second);
            m_wanted.erase(it);
            break;
        }
        if (!factory) {
            m_changed.wait_until(lock, nextExpiry);
            continue;
        }
        lock.unlock();
        auto vm = factory();
        lock.lock();
        if (!vm) {
            std::fprintf(stderr, "lambdesk: microVM pool: %s\n", vm.error().message.c_str());
            continue;
        }
        vm->readySince = Clock::now();
        if (!m_stopping)
            m_ready[key].push_back(std::move(*vm));
    }
}

Result<void> MicroVmPool::populate(const fs::path &dir, const std::vector<fs::path> &sources)
{
    std::error_code ec;
    for (const auto &source : sources) {
        for (auto it = fs::recursive_directory_iterator(source, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            const fs::path target = dir / fs::relative(it->path(), source, ec);
            const auto status = it->symlink_status(ec);
            if (fs::is_directory(status)) {
                fs::create_directories(target, ec);
                continue;
            }
            fs::remove(target, ec); // a later layer wins
            if (fs::is_symlink(status)) {
                fs::copy_symlink(it->path(), target, ec);
            } else if (::link(it->path().c_str(), target.c_str()) != 0) {
                ec.clear();
                fs::copy_file(it->path(), target, ec); // another file system: copy
            }
            if (ec)
                return makeError(ErrorCode::ServiceError, "cannot place " + it->path().string() +
                                                              " in the microVM: " + ec.message());
        }
        if (ec)
            return makeError(ErrorCode::ServiceError,
                             "cannot read " + source.string() + ": " + ec.message());
    }
    return {};
}

} // namespace lambdesk::engine
