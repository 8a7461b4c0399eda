// lambdesk-sandbox-init: the first program inside a sandbox that has a network of its own. It
// opens the Runtime API's address there (127.0.0.1:9001, as in Lambda), so that runtimes,
// aws-lambda-ric included, find it where they expect, while nothing on the host's loopback is
// reachable. Then it becomes the runtime, in one of two ways:
//
//   --pass-listener FD -- COMMAND...   sends the listening socket to the engine over the unix
//                                      socket FD and execs COMMAND: the engine accepts on it
//                                      directly, no relay (the process backend)
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

[[noreturn]] void exitLike(int status)
{
    if (WIFSIGNALED(status)) {
        ::signal(WTERMSIG(status), SIG_DFL);
        ::kill(::getpid(), WTERMSIG(status));
    }
    std::_Exit(WIFEXITED(status) ? WEXITSTATUS(status) : kSetupFailed);
}

[[noreturn]] void relayAndWait(int listener, const std::string &socketPath, char **command)
{
    const pid_t child = ::fork();
    if (child < 0)
        fail("fork");
    if (child == 0) {
        ::execv(command[0], command);
        fail(std::string("exec ") + command[0]);
    }
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
    if (mode == "--pass-listener") {
        const int channel = std::atoi(argv[2]);
        sendListener(channel, listener);
        ::close(channel);
        ::close(listener);
        ::execv(command[0], command);
        fail(std::string("exec ") + command[0]);
    }
    if (mode == "--relay")
        relayAndWait(listener, argv[2], command);
    std::fprintf(stderr, "lambdesk-sandbox-init: unknown mode %s\n", mode.c_str());
    return 2;
}
