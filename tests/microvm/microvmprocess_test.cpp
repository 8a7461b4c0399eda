// MicroVmProcess owns one VM process: pidfiles let a new engine reap the VMs of one that was
// killed, without touching VMs whose engine is alive.

#include "sandbox/microvm/microvmprocess.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace lambdesk::engine {
namespace {

namespace fs = std::filesystem;

class MicroVmProcessTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        char pattern[] = "/tmp/lambdesk-microvmprocess-XXXXXX";
        m_dir = ::mkdtemp(pattern);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::unique_ptr<MicroVmProcess> spawnSleep()
    {
        auto process = MicroVmProcess::spawn({"/bin/sleep", "600"}, {}, m_dir / "log", m_dir / "run");
        EXPECT_TRUE(process) << (process ? "" : process.error().message);
        return process ? std::move(*process) : nullptr;
    }

    fs::path m_dir;
};

TEST_F(MicroVmProcessTest, KillReapsAndRemovesThePidfile)
{
    auto process = spawnSleep();
    ASSERT_TRUE(process);
    EXPECT_TRUE(process->isRunning());
    EXPECT_GT(process->residentBytes(), 0u);
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir / "run"), fs::directory_iterator()), 1);
    process->kill();
    EXPECT_FALSE(process->isRunning());
    ASSERT_TRUE(process->exitStatus());
    EXPECT_TRUE(WIFSIGNALED(*process->exitStatus()));
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir / "run"), fs::directory_iterator()), 0);
}

TEST_F(MicroVmProcessTest, LeavesVmsOfALiveEngineAlone)
{
    auto process = spawnSleep();
    ASSERT_TRUE(process);
    EXPECT_EQ(MicroVmProcess::reapLeftovers(m_dir / "run"), 0);
    EXPECT_TRUE(process->isRunning());
}

TEST_F(MicroVmProcessTest, ReapsVmsOfADeadEngine)
{
    auto process = spawnSleep();
    ASSERT_TRUE(process);
    // Rewrite the pidfile as if a since-killed engine had started this VM.
    const fs::path pidfile = m_dir / "run" / ("qemu-" + std::to_string(process->pid()) + ".pid");
    std::ifstream in(pidfile);
    std::string vm, vmStart, owner, ownerStart;
    in >> vm >> vmStart >> owner >> ownerStart;
    in.close();
    const pid_t dead = ::fork();
    if (dead == 0)
        ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    std::ofstream(pidfile) << vm << ' ' << vmStart << ' ' << dead << " 1\n";

    EXPECT_EQ(MicroVmProcess::reapLeftovers(m_dir / "run"), 1);
    EXPECT_FALSE(fs::exists(pidfile));
    EXPECT_TRUE(process->waitExit(5000));
}

} // namespace
} // namespace lambdesk::engine
