// Spawning and watching processes for the sandboxes: exit wording, no inherited descriptors,
// death with the supervisor thread's process.

#include "sandbox/processspawner.h"
#include "sandbox/processsupervisor.h"
#include "sandbox/processtree.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace lambdesk::engine::procsandbox {
namespace {

std::string runAndCapture(const std::vector<std::string> &argv, int *statusOut = nullptr)
{
    auto pipe = makePipe();
    EXPECT_TRUE(pipe.ok());
    SpawnRequest request;
    request.argv = argv;
    request.environment = {"PATH=/usr/bin:/bin"};
    request.stdoutFd = request.stderrFd = pipe->write.get();
    auto pid = ProcessSupervisor::instance().spawn(request);
    pipe->write.reset();
    EXPECT_TRUE(pid.ok()) << (pid.ok() ? "" : pid.error().message);
    if (!pid.ok())
        return {};
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(pipe->read.get(), buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<std::size_t>(n));
    int status = 0;
    ::waitpid(*pid, &status, 0);
    if (statusOut)
        *statusOut = status;
    return text;
}

TEST(ProcessSpawner, DescribesExitsInLambdasWords)
{
    int status = 0;
    runAndCapture({"/bin/sh", "-c", "exit 3"}, &status);
    EXPECT_EQ(describeWaitStatus(status), "exit status 3");
    runAndCapture({"/bin/sh", "-c", "kill -SEGV $$"}, &status);
    EXPECT_EQ(describeWaitStatus(status), "signal: segmentation fault");
    runAndCapture({"/bin/sh", "-c", "kill -KILL $$"}, &status);
    EXPECT_EQ(describeWaitStatus(status), "signal: killed");
    // bwrap and runsc report a signal death as 128 + signal
    runAndCapture({"/bin/sh", "-c", "exit 137"}, &status);
    EXPECT_EQ(describeLauncherExit(status), "signal: killed");
    runAndCapture({"/bin/sh", "-c", "exit 134"}, &status);
    EXPECT_EQ(describeLauncherExit(status), "signal: aborted");
}

TEST(ProcessSpawner, PassesOnlyStandardDescriptors)
{
    // A descriptor the engine opened without O_CLOEXEC must not leak either... but every engine
    // descriptor is O_CLOEXEC; check the child sees exactly 0, 1, 2 (+ ls's own directory).
    const int extra = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(extra, 0);
    const std::string listing = runAndCapture({"/bin/ls", "/proc/self/fd"});
    ::close(extra);
    EXPECT_EQ(listing, "0\n1\n2\n3\n");
}

TEST(ProcessSpawner, StartsWithAnEmptyEnvironmentAndDefaultSignals)
{
    ::signal(SIGPIPE, SIG_IGN); // what servers do; the child must not inherit it
    const std::string status = runAndCapture({"/bin/sh", "-c", "env; grep -E '^(SigIgn|SigBlk)' /proc/self/status"});
    ::signal(SIGPIPE, SIG_DFL);
    EXPECT_NE(status.find("PATH=/usr/bin:/bin"), std::string::npos) << status;
    EXPECT_EQ(status.find("HOME="), std::string::npos) << status;
    EXPECT_NE(status.find("SigBlk:\t0000000000000000"), std::string::npos) << status;
    EXPECT_EQ(status.find("SigIgn:\t0000000000001000"), std::string::npos) << status;
}

TEST(ProcessSpawner, ReportsAProgramThatCannotStart)
{
    SpawnRequest request;
    request.argv = {"/nonexistent/program"};
    auto pid = ProcessSupervisor::instance().spawn(request);
    ASSERT_FALSE(pid.ok());
    EXPECT_NE(pid.error().message.find("No such file"), std::string::npos) << pid.error().message;
}

// A shell that starts `sleepers` background sleeps, once they are all running; 0 if it failed.
pid_t shellWithSleepers(int sleepers)
{
    auto pipe = makePipe();
    if (!pipe)
        return 0;
    std::string script;
    for (int i = 0; i < sleepers; ++i)
        script += "sleep 30 & ";
    SpawnRequest request;
    request.argv = {"/bin/sh", "-c", script + "echo ready; wait"};
    request.stdoutFd = pipe->write.get();
    auto pid = ProcessSupervisor::instance().spawn(request);
    pipe->write.reset();
    char buffer[16];
    if (!pid || ::read(pipe->read.get(), buffer, sizeof buffer) <= 0)
        return 0;
    return *pid;
}

TEST(ProcessTree, ListsDescendantsAndMemory)
{
    const pid_t pid = shellWithSleepers(2);
    ASSERT_GT(pid, 0);
    auto tree = std::make_shared<SupervisedTree>(pid, TreeView::HostDescendants, 0);
    const auto descendants = ProcDir::host().descendants(pid);
    EXPECT_EQ(descendants.size(), 2u);
    EXPECT_GT(tree->memoryBytes(), 0u);
    tree->kill();
    EXPECT_FALSE(tree->isRunning());
    for (pid_t child : descendants)
        EXPECT_FALSE(ProcDir::host().exists(child) && ProcDir::host().residentBytes(child).value_or(0) > 0);
    EXPECT_EQ(tree->exitDescription(), "signal: killed");
}

// slirp4netns and network holders: sampling them would read all of /proc every 5 ms for each
// warm environment (measured: a third of the engine's instructions in lambdesk-bench).
TEST(ProcessTree, HelpersAreNeverMeasuredButDieWithTheirChildren)
{
    const pid_t pid = shellWithSleepers(1);
    ASSERT_GT(pid, 0);
    const auto descendants = ProcDir::host().descendants(pid);
    ASSERT_EQ(descendants.size(), 1u);
    auto tree = std::make_shared<SupervisedTree>(pid, TreeView::Helper, 0);
    ProcessSupervisor::instance().watch(tree);
    EXPECT_EQ(tree->memoryBytes(), 0u);
    EXPECT_TRUE(tree->isRunning());
    tree->kill();
    EXPECT_FALSE(tree->isRunning());
    EXPECT_FALSE(ProcDir::host().exists(descendants.front()) &&
                 ProcDir::host().residentBytes(descendants.front()).value_or(0) > 0);
}

TEST(ProcDir, ReadsAProcessThatIsGoneAsEmptyWithoutThrowing)
{
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::pause();
        ::_exit(0);
    }
    const auto &proc = ProcDir::host();
    // Our own start time is older than (or as old as) the child's, and both are since boot.
    const auto started = proc.startTime(child);
    EXPECT_GT(started, 0u);
    EXPECT_LE(proc.startTime(::getpid()), started);
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    EXPECT_EQ(proc.startTime(child), 0u);
    EXPECT_EQ(proc.commandLine(child), "");
    EXPECT_FALSE(proc.residentBytes(child).has_value());
}

} // namespace
} // namespace lambdesk::engine::procsandbox
