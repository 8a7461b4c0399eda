// lambdesk-sandbox-init: the first program inside a sandbox that has a network of its own. It
// opens the Runtime API's address there (127.0.0.1:9001, as in Lambda), so that runtimes,
// aws-lambda-ric included, find it where they expect, while nothing on the host's loopback is
// reachable. Then it becomes the runtime, in one of two ways:
//
//   --pass-listener FD -- COMMAND...   sends the listening socket to the engine over the unix
//                                      socket FD and runs COMMAND as its child: the engine
//                                      accepts on it directly, no relay (the process backend,
//                                      where this program is the pid namespace's init)
//   --relay SOCKET -- COMMAND...       runs COMMAND as its child and relays every connection to
//                                      the unix socket SOCKET, which the engine serves; exits as
//                                      COMMAND did (gVisor, whose sockets cannot leave it)
//
// Exit 125 when it cannot set up (the message is on stderr, which the function's log shows).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kSetupFailed = 125;
constexpr std::uint16_t kRuntimeApiPort = 9001;

[[noreturn]] void fail(const std::string &what)
{
    std::fprintf(stderr, "lambdesk-sandbox-init: %s: %s\n", what.c_str(), std::strerror(errno));
    std::_Exit(kSetupFailed);
}

int listenOnRuntimeApiAddress()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        fail("socket");
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(kRuntimeApiPort);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        fail("bind 127.0.0.1:9001");
    if (::listen(fd, 16) != 0)
        fail("listen");
    return fd;
}

void sendListener(int channel, int listener)
{
    char byte = 'L';
    iovec data{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr message{};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &listener, sizeof(int));
    while (::sendmsg(channel, &message, MSG_NOSIGNAL) < 0)
        if (errno != EINTR)
            fail("sending the Runtime API socket to the engine");
}

// gVisor's host-network sockets come out of accept() non-blocking whatever the flags say.
bool waitUntil(int fd, short event)
{
    pollfd ready{fd, event, 0};
    return ::poll(&ready, 1, -1) >= 0 || errno == EINTR;
}

// Copies one direction until EOF, then passes the EOF on.
void pump(int from, int to)
{
    char buffer[65536];
    while (true) {
        const ssize_t got = ::read(from, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waitUntil(from, POLLIN))
            continue;
        if (got <= 0)
            break;
        for (ssize_t sent = 0; sent < got;) {
            const ssize_t n =
                ::send(to, buffer + sent, static_cast<std::size_t>(got - sent), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waitUntil(to, POLLOUT))
                continue;
            if (n <= 0)
                return (void)::shutdown(from, SHUT_RD);
            sent += n;
        }
    }
    ::shutdown(to, SHUT_WR);
}

void relayConnection(int client, const std::string &socketPath)
{
    const int upstream = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socketPath.c_str(), sizeof address.sun_path - 1);
    if (upstream < 0 ||
        ::connect(upstream, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        std::fprintf(stderr, "lambdesk-sandbox-init: cannot reach the Runtime API at %s: %s\n",
                     socketPath.c_str(), std::strerror(errno));
        ::close(client);
        if (upstream >= 0)
            ::close(upstream);
        return;
    }
    const int yes = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    std::thread back([client, upstream] { pump(upstream, client); });
    pump(client, upstream);
    back.join();
    ::close(client);
    ::close(upstream);
}

// Exits as the runtime did. A namespace's init cannot kill itself with a signal (the kernel
// ignores it), so there a signal becomes 128 + its number, as bubblewrap reports it.
[[noreturn]] void exitLike(int status)
{
    if (WIFSIGNALED(status)) {
        if (::getpid() != 1) {
            ::signal(WTERMSIG(status), SIG_DFL);
            ::kill(::getpid(), WTERMSIG(status));
        }
        std::_Exit(128 + WTERMSIG(status));
    }
    std::_Exit(WIFEXITED(status) ? WEXITSTATUS(status) : kSetupFailed);
}

pid_t startCommand(char **command)
{
    const pid_t child = ::fork();
    if (child < 0)
        fail("fork");
    if (child == 0) {
        ::execv(command[0], command);
        fail(std::string("exec ") + command[0]);
    }
    return child;
}

// The pid namespace's init: reaps whatever the runtime leaves orphaned and exits when the runtime
// does (its own exit then ends every other process of the namespace).
[[noreturn]] void reapUntilExit(pid_t runtime)
{
    while (true) {
        int status = 0;
        const pid_t done = ::wait(&status);
        if (done == runtime)
            exitLike(status);
        if (done < 0 && errno != EINTR)
            fail("wait");
    }
}

// The process backend runs this as the sandbox's pid 1 (bwrap --as-pid-1), a child of bwrap,
// which dies with the engine. The death signal is armed before the listener is sent: a send
// that succeeds proves the engine had not yet exited (its end of the channel was open), so
// bwrap was still alive and its death, whenever it comes, reaches this init and with it the
// whole namespace. bubblewrap's own init arms its death signal only after setup, which a
// sandbox started just before the engine was killed could outlive.
[[noreturn]] void passListenerAndInit(int channel, int listener, char **command)
{
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail("prctl(PR_SET_PDEATHSIG)");
    sendListener(channel, listener);
    ::close(channel);
    ::close(listener);
    reapUntilExit(startCommand(command));
}

[[noreturn]] void relayAndWait(int listener, const std::string &socketPath, char **command)
{
    const pid_t child = startCommand(command);
    std::thread([listener, socketPath] {
        while (true) {
            const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) {
                if (errno == EINTR || errno == ECONNABORTED)
                    continue;
                if ((errno == EAGAIN || errno == EWOULDBLOCK) && waitUntil(listener, POLLIN))
                    continue;
                return;
            }
            std::thread(relayConnection, client, socketPath).detach();
        }
    }).detach();
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            fail("waitpid");
    exitLike(status);
}

} // namespace

int main(int argc, char **argv)
{
    int separator = 1;
    while (separator < argc && std::strcmp(argv[separator], "--") != 0)
        ++separator;
    if (argc < 4 || separator != 3 || separator + 1 >= argc) {
        std::fprintf(
            stderr,
            "usage: lambdesk-sandbox-init --pass-listener FD | --relay SOCKET -- COMMAND...\n");
        return 2;
    }
    const std::string mode = argv[1];
    char **command = argv + separator + 1;
    const int listener = listenOnRuntimeApiAddress();
    if (mode == "--pass-listener")
        passListenerAndInit(std::atoi(argv[2]), listener, command);
    if (mode == "--relay")
        relayAndWait(listener, argv[2], command);
    std::fprintf(stderr, "lambdesk-sandbox-init: unknown mode %s\n", mode.c_str());
    return 2;
}
