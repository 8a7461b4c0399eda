// Kernel-enforced memory limits per environment (cgroup v2, or v1 on hosts without v2).

#include "sandbox/memorycgroup.h"
#include "sandbox/processspawner.h"
#include "sandbox/processsupervisor.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace lambdesk::engine::procsandbox {
namespace {

// Runs where the engine would use cgroups by itself (a writable cgroup v2 subtree). On hosts with
// only v1, run it by hand with LAMBDESK_MEMORY_LIMIT=cgroup1: it is not enabled automatically
// because v1 cgroups would be created inside whatever cgroup the test runner lives in.

TEST(MemoryCgroup, KillsAProcessOverItsLimitAndSaysSo)
{
    MemoryCgroups *cgroups = MemoryCgroups::instance();
    if (!cgroups)
        GTEST_SKIP() << "memory cgroups are not usable here: " << MemoryCgroups::unavailableReason();
    auto group = cgroups->create("test-" + std::to_string(::getpid()), 64u << 20);
    ASSERT_TRUE(group.ok()) << group.error().message;
    const auto dir = (*group)->dir();
    EXPECT_TRUE(std::filesystem::is_directory(dir));

    // The child waits on its stdin until it is in the cgroup, then allocates 200 MB.
    auto gate = makePipe();
    ASSERT_TRUE(gate.ok());
    SpawnRequest request;
    request.argv = {"/usr/bin/python3", "-S", "-c",
                    "import sys; sys.stdin.read(1); data = b'x' * (200 << 20); print(len(data))"};
    request.stdinFd = gate->read.get();
    auto pid = ProcessSupervisor::instance().spawn(request);
    ASSERT_TRUE(pid.ok()) << pid.error().message;
    gate->read.reset();
    ASSERT_TRUE((*group)->add(*pid).ok());
    ASSERT_EQ(::write(gate->write.get(), "x", 1), 1);
    int status = 0;
    ASSERT_EQ(::waitpid(*pid, &status, 0), *pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << describeWaitStatus(status);
    EXPECT_TRUE((*group)->outOfMemory());
    EXPECT_LE((*group)->peakBytes().value_or(0), 65u << 20);
    EXPECT_GT((*group)->peakBytes().value_or(0), 32u << 20);

    group->reset();
    EXPECT_FALSE(std::filesystem::exists(dir)); // removed with its owner
}

TEST(MemoryCgroup, LeavesAProcessUnderItsLimitAlone)
{
    MemoryCgroups *cgroups = MemoryCgroups::instance();
    if (!cgroups)
        GTEST_SKIP() << "memory cgroups are not usable here: " << MemoryCgroups::unavailableReason();
    auto group = cgroups->create("small-" + std::to_string(::getpid()), 128u << 20);
    ASSERT_TRUE(group.ok()) << group.error().message;
    auto gate = makePipe();
    ASSERT_TRUE(gate.ok());
    SpawnRequest request;
    request.argv = {"/usr/bin/python3", "-S", "-c", "import sys; sys.stdin.read(1); data = b'x' * (20 << 20)"};
    request.stdinFd = gate->read.get();
    auto pid = ProcessSupervisor::instance().spawn(request);
    ASSERT_TRUE(pid.ok());
    gate->read.reset();
    ASSERT_TRUE((*group)->add(*pid).ok());
    ASSERT_EQ(::write(gate->write.get(), "x", 1), 1);
    int status = 0;
    ASSERT_EQ(::waitpid(*pid, &status, 0), *pid);
    EXPECT_EQ(describeWaitStatus(status), "exit status 0");
    EXPECT_FALSE((*group)->outOfMemory());
    EXPECT_GE((*group)->peakBytes().value_or(0), 20u << 20);
}

} // namespace
} // namespace lambdesk::engine::procsandbox
