#include "guestsystem.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <linux/random.h>
#include <net/route.h>
#include <net/if.h>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// <linux/fs.h> clashes with glibc's <sys/mount.h>; this is its value.
#ifndef BLKFLSBUF
#define BLKFLSBUF _IO(0x12, 97)
#endif

namespace lambdesk::guest {

namespace {

void mountOne(const char *source, const char *target, const char *type, unsigned long flags,
              const char *options)
{
    ::mkdir(target, 0755);
    if (::mount(source, target, type, flags, options) != 0 && errno != EBUSY)
        logLine(std::string("mount ") + target + ": " + std::strerror(errno));
}

bool setInterface(int sock, const char *name, const char *address, const char *netmask)
{
    ifreq req{};
    std::strncpy(req.ifr_name, name, IFNAMSIZ - 1);
    if (address) {
        auto *sin = reinterpret_cast<sockaddr_in *>(&req.ifr_addr);
        sin->sin_family = AF_INET;
        ::inet_pton(AF_INET, address, &sin->sin_addr);
        if (::ioctl(sock, SIOCSIFADDR, &req) != 0)
            return false;
        ::inet_pton(AF_INET, netmask, &sin->sin_addr);
        if (::ioctl(sock, SIOCSIFNETMASK, &req) != 0)
            return false;
    }
    if (::ioctl(sock, SIOCGIFFLAGS, &req) != 0)
        return false;
    req.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ::ioctl(sock, SIOCSIFFLAGS, &req) == 0;
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::uint64_t lookupKb(const std::string &text, const std::string &key)
{
    const auto pos = text.find(key);
    if (pos == std::string::npos)
        return 0;
    return std::strtoull(text.c_str() + pos + key.size(), nullptr, 10);
}

} // namespace

void logLine(const std::string &message)
{
    const std::string line = "<3>lambdesk-init: " + message + "\n";
    const int fd = ::open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        [[maybe_unused]] auto n = ::write(fd, line.data(), line.size());
        ::close(fd);
    }
}

void mountBase()
{
    mountOne("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
    mountOne("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
    mountOne("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    mountOne("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=8m");
    mountOne("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    mountOne("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666");
    ::symlink("/proc/self/fd", "/dev/fd");
    ::symlink("/proc/self/fd/0", "/dev/stdin");
    ::symlink("/proc/self/fd/1", "/dev/stdout");
    ::symlink("/proc/self/fd/2", "/dev/stderr");
    // Keep the last second's working set resident: when it cannot be, the kernel OOM-kills (see
    // kernel.config) rather than thrash, so an overrun is Runtime.OutOfMemory, not a timeout.
    const int ttl = ::open("/sys/kernel/mm/lru_gen/min_ttl_ms", O_WRONLY | O_CLOEXEC);
    if (ttl < 0 || ::write(ttl, "1000", 4) != 4)
        logLine(std::string("lru_gen/min_ttl_ms: ") + std::strerror(errno));
    if (ttl >= 0)
        ::close(ttl);
}

void setUpNetwork()
{
    const int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return;
    if (!setInterface(sock, "lo", nullptr, nullptr))
        logLine("cannot bring up lo");
    // QEMU user-mode networking: the guest is 10.0.2.15, the gateway 10.0.2.2, DNS 10.0.2.3.
    if (setInterface(sock, "eth0", "10.0.2.15", "255.255.255.0")) {
        rtentry route{};
        auto *gateway = reinterpret_cast<sockaddr_in *>(&route.rt_gateway);
        gateway->sin_family = AF_INET;
        ::inet_pton(AF_INET, "10.0.2.2", &gateway->sin_addr);
        reinterpret_cast<sockaddr_in *>(&route.rt_dst)->sin_family = AF_INET;
        reinterpret_cast<sockaddr_in *>(&route.rt_genmask)->sin_family = AF_INET;
        route.rt_flags = RTF_UP | RTF_GATEWAY;
        if (::ioctl(sock, SIOCADDRT, &route) != 0)
            logLine(std::string("default route: ") + std::strerror(errno));
        std::ofstream("/run/resolv.conf") << "nameserver 10.0.2.3\n";
    }
    ::close(sock);
}

std::string mountTmp(int sizeMb)
{
    const std::string options = "mode=1777,size=" + std::to_string(sizeMb) + "m";
    if (::mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0)
        return std::string("mount /tmp: ") + std::strerror(errno);
    return {};
}

std::string mount9p(const std::string &tag, const std::string &path)
{
    // cache=loose: the export is read-only for the VM's lifetime, so the guest may cache freely.
    const char *options = "trans=virtio,version=9p2000.L,msize=262144,cache=loose";
    if (::mount(tag.c_str(), path.c_str(), "9p", MS_RDONLY | MS_NOSUID | MS_NODEV, options) != 0)
        return "mount " + path + ": " + std::strerror(errno);
    return {};
}

std::string mountImage(const std::string &device, const std::string &path)
{
    if (const int fd = ::open(device.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        ::ioctl(fd, BLKFLSBUF, 0);
        ::close(fd);
    }
    if (::mount(device.c_str(), path.c_str(), "squashfs", MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) != 0) {
        std::string message = "mount " + device + " at " + path + ": " + std::strerror(errno);
        char magic[4] = {};
        if (const int fd = ::open(device.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
            message += ::read(fd, magic, 4) == 4 && std::string(magic, 4) == "hsqs" ? " (squashfs magic present)" : " (no squashfs magic)";
            ::close(fd);
        }
        return message;
    }
    return {};
}

std::string bindMount(const std::string &source, const std::string &target)
{
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
        return "bind " + source + " at " + target + ": " + std::strerror(errno);
    return {};
}

void setClock(std::int64_t realtimeNs)
{
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(realtimeNs / 1000000000);
    ts.tv_nsec = static_cast<long>(realtimeNs % 1000000000);
    if (::clock_settime(CLOCK_REALTIME, &ts) != 0)
        logLine(std::string("clock_settime: ") + std::strerror(errno));
}

void addEntropy(const std::string &bytes)
{
    if (bytes.empty())
        return;
    const int fd = ::open("/dev/urandom", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    std::vector<char> buffer(sizeof(rand_pool_info) + bytes.size());
    auto *info = reinterpret_cast<rand_pool_info *>(buffer.data());
    info->entropy_count = static_cast<int>(bytes.size() * 8);
    info->buf_size = static_cast<int>(bytes.size());
    std::memcpy(buffer.data() + sizeof(rand_pool_info), bytes.data(), bytes.size());
    if (::ioctl(fd, RNDADDENTROPY, info) != 0 || ::ioctl(fd, RNDRESEEDCRNG) != 0)
        logLine(std::string("reseeding the kernel RNG: ") + std::strerror(errno));
    ::close(fd);
}

int openPort(const std::string &name)
{
    DIR *dir = ::opendir("/sys/class/virtio-ports");
    if (!dir)
        return -1;
    int fd = -1;
    while (dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        std::string portName = readFile(std::string("/sys/class/virtio-ports/") + entry->d_name + "/name");
        while (!portName.empty() && portName.back() == '\n')
            portName.pop_back();
        if (portName == name) {
            fd = ::open((std::string("/dev/") + entry->d_name).c_str(),
                        O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
            break;
        }
    }
    ::closedir(dir);
    return fd;
}

std::uint64_t memoryInUse()
{
    const std::string text = readFile("/proc/meminfo");
    const auto total = lookupKb(text, "MemTotal:");
    const auto available = lookupKb(text, "MemAvailable:");
    return total > available ? (total - available) * 1024 : 0;
}

int openKernelLogAtEnd()
{
    const int fd = ::open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0)
        ::lseek(fd, 0, SEEK_END);
    return fd;
}

bool kernelLogShowsOomKill(int fd)
{
    if (fd < 0)
        return false;
    bool seen = false;
    char record[8192];
    for (;;) {
        const ssize_t n = ::read(fd, record, sizeof record - 1);
        if (n < 0 && errno == EPIPE)
            continue; // records were overwritten before we read them; go on with the rest
        if (n <= 0)
            return seen;
        record[n] = '\0';
        if (std::strstr(record, "Out of memory") || std::strstr(record, "oom-kill:"))
            seen = true;
    }
}

pid_t spawnRuntime(const SpawnRequest &request)
{
    std::vector<char *> argv;
    for (const auto &arg : request.argv)
        argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char *> envp;
    for (const auto &entry : request.env)
        envp.push_back(const_cast<char *>(entry.c_str()));
    envp.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid != 0)
        return pid;
    // Child: only async-signal-safe calls from here on.
    ::setsid();
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL); // PID 1 ignores it, and an ignored signal survives execve
    const int devNull = ::open("/dev/null", O_RDONLY);
    ::dup2(devNull, 0);
    ::dup2(request.outputFd, 1);
    ::dup2(request.outputFd, 2);
    // The extra descriptors were opened above the target range (see spawnRuntime's callers), so
    // no dup2 here is a no-op that would leave O_CLOEXEC on.
    for (std::size_t i = 0; i < request.extraFds.size(); ++i)
        ::dup2(request.extraFds[i], 3 + static_cast<int>(i));
    // PID 1 is exempt from the OOM killer; the runtime must be its first choice instead.
    const int adj = ::open("/proc/self/oom_score_adj", O_WRONLY);
    if (adj >= 0) {
        [[maybe_unused]] auto n = ::write(adj, "0", 1);
        ::close(adj);
    }
    if (::chdir(request.cwd.c_str()) != 0)
        [[maybe_unused]] auto rc = ::chdir("/");
    if (request.uid != 0) {
        ::setgroups(0, nullptr);
        if (::setgid(request.gid) != 0 || ::setuid(request.uid) != 0)
            ::_exit(126);
    }
    ::execve(argv[0], argv.data(), envp.data());
    const char prefix[] = "lambdesk-init: cannot execute ";
    [[maybe_unused]] auto n1 = ::write(2, prefix, sizeof(prefix) - 1);
    [[maybe_unused]] auto n2 = ::write(2, argv[0], std::strlen(argv[0]));
    [[maybe_unused]] auto n3 = ::write(2, "\n", 1);
    ::_exit(127);
}

std::string describeStatus(int status)
{
    if (WIFEXITED(status))
        return "exit status " + std::to_string(WEXITSTATUS(status));
    if (!WIFSIGNALED(status))
        return "exited";
    // Go's signal names, as the Lambda service prints them in Runtime.ExitError.
    switch (WTERMSIG(status)) {
    case SIGKILL: return "signal: killed";
    case SIGSEGV: return "signal: segmentation fault";
    case SIGABRT: return "signal: aborted";
    case SIGTERM: return "signal: terminated";
    case SIGBUS: return "signal: bus error";
    case SIGFPE: return "signal: floating point exception";
    case SIGILL: return "signal: illegal instruction";
    case SIGINT: return "signal: interrupt";
    case SIGPIPE: return "signal: broken pipe";
    default: return "signal: " + std::to_string(WTERMSIG(status));
    }
}

} // namespace lambdesk::guest
