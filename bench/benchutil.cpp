#include "benchutil.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

#include <httplib.h>

namespace lambdesk::bench {
namespace {

pid_t spawnProcess(const std::vector<std::string> &argv, bool quiet)
{
    std::vector<char *> args;
    for (const auto &arg : argv)
        args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (quiet) {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    }
    pid_t pid = -1;
    if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

int freePort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

bool canConnect(int port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

} // namespace

double Samples::percentile(double p) const
{
    if (m_values.empty())
        return std::nan("");
    std::vector<double> sorted = m_values;
    std::sort(sorted.begin(), sorted.end());
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void Table::row(const std::string &what, double value, const std::string &unit)
{
    m_rows.push_back({what, value, unit});
}

void Table::print() const
{
    std::printf("\n%s\n\n| measure | value | unit |\n|---|---:|---|\n", m_title.c_str());
    for (const auto &row : m_rows)
        std::printf("| %s | %.3f | %s |\n", row.what.c_str(), row.value, row.unit.c_str());
    for (const auto &note : m_notes)
        std::printf("\nnote: %s\n", note.c_str());
    std::fflush(stdout);
}

TempDir::TempDir(const std::string &prefix)
{
    std::random_device rd;
    m_path = std::filesystem::temp_directory_path() / (prefix + std::to_string(rd()));
    std::filesystem::create_directories(m_path);
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

double timeCommandMs(const std::vector<std::string> &argv)
{
    Stopwatch watch;
    pid_t pid = spawnProcess(argv, true);
    if (pid < 0)
        return std::nan("");
    int status = 0;
    ::waitpid(pid, &status, 0);
    return watch.elapsedMs();
}

LambdaLocal::LambdaLocal(std::string handlerSource) : m_source(std::move(handlerSource)) {}

LambdaLocal::~LambdaLocal()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
}

bool LambdaLocal::start()
{
    const std::filesystem::path cli = std::filesystem::path(LAMBDESK_SOURCE_DIR) /
                                      "tests/e2e/node/node_modules/lambda-local/build/cli.js";
    if (!std::filesystem::exists(cli)) {
        m_error = cli.string() + " missing (npm ci in tests/e2e/node)";
        return false;
    }
    const auto handler = m_dir.path() / "index.js";
    std::ofstream(handler) << m_source;
    m_port = freePort();
    m_pid = spawnProcess({"/usr/bin/env", "node", cli.string(), "-l", handler.string(), "-h", "handler", "-v", "0",
                          "--watch", std::to_string(m_port)},
                         true);
    if (m_pid < 0) {
        m_error = "cannot start node";
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (canConnect(m_port))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    m_error = "lambda-local did not listen within 20 s";
    return false;
}

void signLikeAnSdk(httplib::Client &client)
{
    client.set_default_headers(
        {{"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLAMBDESKBENCH/20260101/us-east-1/lambda/"
                           "aws4_request, SignedHeaders=host;x-amz-date, Signature="
                           "0000000000000000000000000000000000000000000000000000000000000000"}});
}

} // namespace lambdesk::bench
