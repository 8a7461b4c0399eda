// The lambdesk-engine binary: prints its listening line, serves the API, stops on SIGTERM, and
// refuses a locked data dir or a taken port with exit code 1.

#include <gtest/gtest.h>
#include "anykeyauth.h"
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using lambdesk::engine::testing::signWithAnyKey;

namespace {

using Clock = std::chrono::steady_clock;

std::filesystem::path engineBinary()
{
    const char *buildDir = std::getenv("LAMBDESK_BUILD_DIR");
    return std::filesystem::path(buildDir ? buildDir : ".") / "engine" / "lambdesk-engine";
}

// A spawned lambdesk-engine with its stdout and stderr on pipes. Killed (SIGKILL) and reaped on
// destruction if still running.
class EngineProcess {
public:
    explicit EngineProcess(const std::vector<std::string> &args)
    {
        int out[2];
        int err[2];
        if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
            return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
        std::vector<std::string> argv = {engineBinary().string()};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char *> raw;
        for (auto &arg : argv)
            raw.push_back(arg.data());
        raw.push_back(nullptr);
        if (posix_spawn(&m_pid, raw[0], &actions, nullptr, raw.data(), environ) != 0)
            m_pid = -1;
        posix_spawn_file_actions_destroy(&actions);
        close(out[1]);
        close(err[1]);
        m_stdout = out[0];
        m_stderr = err[0];
    }

    ~EngineProcess()
    {
        if (m_pid > 0 && !m_exitCode) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
        if (m_stdout >= 0)
            close(m_stdout);
        if (m_stderr >= 0)
            close(m_stderr);
    }

    EngineProcess(const EngineProcess &) = delete;
    EngineProcess &operator=(const EngineProcess &) = delete;

    bool started() const { return m_pid > 0; }

    // The first stdout line, or nullopt if none arrives before the deadline.
    std::optional<std::string> readLine(std::chrono::seconds timeout)
    {
        const auto deadline = Clock::now() + timeout;
        std::string line;
        while (Clock::now() < deadline) {
            pollfd fd{m_stdout, POLLIN, 0};
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (poll(&fd, 1, static_cast<int>(std::max<long long>(left.count(), 1))) <= 0)
                continue;
            char c = 0;
            if (read(m_stdout, &c, 1) != 1)
                return std::nullopt; // EOF: the process ended
            if (c == '\n')
                return line;
            line += c;
        }
        return std::nullopt;
    }

    // Exit code once the process ends, nullopt on timeout (or death by signal: -signal).
    std::optional<int> waitForExit(std::chrono::seconds timeout)
    {
        const auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline) {
            int status = 0;
            const pid_t done = waitpid(m_pid, &status, WNOHANG);
            if (done == m_pid) {
                m_exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
                return m_exitCode;
            }
            // Sleep on the stderr pipe (it closes at exit) rather than a fixed delay.
            pollfd fd{m_stderr, POLLIN, 0};
            poll(&fd, 1, 20);
            drainStderr();
        }
        return std::nullopt;
    }

    std::string stderrText()
    {
        drainStderr();
        return m_stderrText;
    }

    void signal(int number) { kill(m_pid, number); }

private:
    void drainStderr()
    {
        pollfd fd{m_stderr, POLLIN, 0};
        char buffer[4096];
        while (poll(&fd, 1, 0) > 0 && (fd.revents & POLLIN)) {
            const ssize_t got = read(m_stderr, buffer, sizeof buffer);
            if (got <= 0)
                break;
            m_stderrText.append(buffer, static_cast<std::size_t>(got));
        }
    }

    pid_t m_pid = -1;
    int m_stdout = -1;
    int m_stderr = -1;
    std::optional<int> m_exitCode;
    std::string m_stderrText;
};

class EngineCli : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!std::filesystem::exists(engineBinary()))
            GTEST_SKIP() << "lambdesk-engine not built at " << engineBinary();
        char pattern[] = "/tmp/lambdesk-cli-test-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        m_root = pattern;
    }
    void TearDown() override
    {
        std::error_code ignored;
        if (!m_root.empty())
            std::filesystem::remove_all(m_root, ignored);
    }

    std::string dataDir(const std::string &name) const { return (m_root / name).string(); }

    // Starts an engine on a free port and returns its port (0 on failure).
    int startEngine(EngineProcess &process)
    {
        const auto line = process.readLine(std::chrono::seconds(30));
        if (!line)
            return 0;
        std::smatch match;
        static const std::regex pattern(R"(listening on http://127\.0\.0\.1:(\d+))");
        if (!std::regex_match(*line, match, pattern)) {
            ADD_FAILURE() << "unexpected first line: " << *line;
            return 0;
        }
        return std::stoi(match[1].str());
    }

    std::filesystem::path m_root;
};

TEST_F(EngineCli, PrintsTheListeningLineServesAndStopsOnSigterm)
{
    EngineProcess engine({"--listen", "127.0.0.1:0", "--data-dir", dataDir("a"), "--sandbox", "process"});
    ASSERT_TRUE(engine.started());
    const int port = startEngine(engine);
    ASSERT_GT(port, 0) << engine.stderrText();

    httplib::Client client("127.0.0.1", port);

    signWithAnyKey(client);
    auto res = client.Get("/2015-03-31/functions/");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, R"({"Functions":[]})");

    engine.signal(SIGTERM);
    EXPECT_EQ(engine.waitForExit(std::chrono::seconds(30)), 0) << engine.stderrText();
}

TEST_F(EngineCli, StopsOnSigint)
{
    EngineProcess engine({"--listen=127.0.0.1:0", "--data-dir=" + dataDir("b"), "--idle-timeout",
                          "1.5", "--concurrency", "8", "--sandbox", "process"});
    ASSERT_GT(startEngine(engine), 0) << engine.stderrText();
    engine.signal(SIGINT);
    EXPECT_EQ(engine.waitForExit(std::chrono::seconds(30)), 0) << engine.stderrText();
}

TEST_F(EngineCli, ALockedDataDirExitsWithOneNamingTheHolder)
{
    EngineProcess first({"--listen", "127.0.0.1:0", "--data-dir", dataDir("shared"), "--sandbox", "process"});
    ASSERT_GT(startEngine(first), 0) << first.stderrText();

    EngineProcess second({"--listen", "127.0.0.1:0", "--data-dir", dataDir("shared"), "--sandbox", "process"});
    EXPECT_EQ(second.waitForExit(std::chrono::seconds(30)), 1);
    const std::string message = second.stderrText();
    EXPECT_NE(message.find("in use by"), std::string::npos) << message;
    EXPECT_NE(message.find("pid"), std::string::npos) << message;
}

TEST_F(EngineCli, ATakenPortExitsWithOne)
{
    EngineProcess first({"--listen", "127.0.0.1:0", "--data-dir", dataDir("one"), "--sandbox", "process"});
    const int port = startEngine(first);
    ASSERT_GT(port, 0) << first.stderrText();

    EngineProcess second(
        {"--listen", "127.0.0.1:" + std::to_string(port), "--data-dir", dataDir("two"), "--sandbox", "process"});
    EXPECT_EQ(second.waitForExit(std::chrono::seconds(30)), 1);
    EXPECT_NE(second.stderrText().find("address already in use"), std::string::npos)
        << second.stderrText();
}

TEST_F(EngineCli, BadUsageExitsWithTwo)
{
    EngineProcess engine({"--listen", "nowhere", "--data-dir", dataDir("c")});
    EXPECT_EQ(engine.waitForExit(std::chrono::seconds(30)), 2);
    EXPECT_NE(engine.stderrText().find("--listen expects HOST:PORT"), std::string::npos);
}

} // namespace
