// The folder watcher on a real folder: files written, overwritten, moved in and out, deleted, and
// those in a directory made after the watch began.
#include "triggers/folderwatcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace lambdesk::engine::triggers {
namespace {

namespace fs = std::filesystem;

class FolderWatcherTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_root = fs::temp_directory_path() /
                 ("lambdesk-watch-" + std::to_string(std::random_device{}()));
        fs::create_directories(m_root);
        m_outside = m_root.string() + "-outside";
        fs::create_directories(m_outside);
    }
    void TearDown() override
    {
        m_watcher.reset();
        fs::remove_all(m_root);
        fs::remove_all(m_outside);
    }

    void start()
    {
        m_watcher = std::make_unique<FolderWatcher>(m_root, [this](const FolderChange &change) {
            {
                std::lock_guard lock(m_mutex);
                m_changes.push_back(
                    change.kind == FolderChange::Kind::Overflowed
                        ? std::string("overflowed")
                        : (change.kind == FolderChange::Kind::Written ? "written " : "removed ") +
                              change.relativePath);
            }
            std::unique_lock gate(m_gateMutex);
            m_gateCondition.wait(gate, [this] { return m_gateOpen; });
        });
        ASSERT_TRUE(m_watcher->start()) << m_watcher->error();
    }

    // Waits (with a deadline) until `count` changes have been seen, and returns them.
    std::vector<std::string> changes(std::size_t count)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(m_mutex);
                if (m_changes.size() >= count)
                    return m_changes;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        std::lock_guard lock(m_mutex);
        return m_changes;
    }

    static void write(const fs::path &file, const std::string &text)
    {
        std::ofstream(file, std::ios::binary) << text;
    }

    fs::path m_root;
    fs::path m_outside;
    std::unique_ptr<FolderWatcher> m_watcher;
    std::mutex m_mutex;
    std::vector<std::string> m_changes;
    // Closed, the handler holds the watcher's thread after its first change (events pile up).
    std::mutex m_gateMutex;
    std::condition_variable m_gateCondition;
    bool m_gateOpen = true;
};

using Changes = std::vector<std::string>;

TEST_F(FolderWatcherTest, ReportsWritesAndDeletes)
{
    start();
    write(m_root / "a.csv", "1,2\n");
    EXPECT_EQ(changes(1), (Changes{"written a.csv"}));
    write(m_root / "a.csv", "3,4\n");
    EXPECT_EQ(changes(2).back(), "written a.csv") << "an overwrite is a new object";
    fs::remove(m_root / "a.csv");
    EXPECT_EQ(changes(3).back(), "removed a.csv");
}

TEST_F(FolderWatcherTest, FollowsNewDirectoriesAndMoves)
{
    start();
    // Made elsewhere and moved in whole: its files count as written.
    fs::create_directories(m_outside / "batch");
    write(m_outside / "batch" / "one.json", "{}");
    fs::rename(m_outside / "batch", m_root / "batch");
    EXPECT_EQ(changes(1), (Changes{"written batch/one.json"}));
    write(m_root / "batch" / "two.json", "{}");
    EXPECT_EQ(changes(2).back(), "written batch/two.json") << "the moved-in directory is watched";
    fs::rename(m_root / "batch" / "two.json", m_outside / "two.json");
    EXPECT_EQ(changes(3).back(), "removed batch/two.json");
    fs::create_directories(m_root / "deep" / "er");
    write(m_root / "deep" / "er" / "x.txt", "x");
    const auto seen = changes(4);
    EXPECT_EQ(seen.back(), "written deep/er/x.txt");
}

// More changes than the kernel queues while the handler is busy: the overflow is reported, and a
// directory made meanwhile is found and watched, its files reported as written.
TEST_F(FolderWatcherTest, AnOverflowIsReportedAndNewDirectoriesAreStillWatched)
{
    std::ifstream limitFile("/proc/sys/fs/inotify/max_queued_events");
    long limit = 0;
    if (!(limitFile >> limit) || limit > 200'000)
        GTEST_SKIP() << "inotify queues " << limit
                     << " events here: too many to overflow in a test";
    {
        std::lock_guard gate(m_gateMutex);
        m_gateOpen = false;
    }
    start();
    write(m_root / "first.txt", "1");
    ASSERT_EQ(changes(1), (Changes{"written first.txt"})) << "the handler is now held";
    for (long i = 0; i < limit; ++i) // a create and a close-write each: twice the queue
        write(m_root / ("flood-" + std::to_string(i)), "");
    fs::create_directories(m_root / "late");
    write(m_root / "late" / "made-meanwhile.csv", "x");
    {
        std::lock_guard gate(m_gateMutex);
        m_gateOpen = true;
    }
    m_gateCondition.notify_all();

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const auto seen = [this](const std::string &change) {
        std::lock_guard lock(m_mutex);
        return std::find(m_changes.begin(), m_changes.end(), change) != m_changes.end();
    };
    while (std::chrono::steady_clock::now() < deadline &&
           !(seen("overflowed") && seen("written late/made-meanwhile.csv")))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(seen("overflowed"));
    EXPECT_TRUE(seen("written late/made-meanwhile.csv"));
    write(m_root / "late" / "after.csv", "y");
    while (std::chrono::steady_clock::now() < deadline && !seen("written late/after.csv"))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(seen("written late/after.csv"))
        << "the directory found after the overflow is watched";
}

TEST_F(FolderWatcherTest, AMissingFolderIsAnError)
{
    FolderWatcher watcher(m_root / "missing", [](const FolderChange &) {});
    EXPECT_FALSE(watcher.start());
    EXPECT_NE(watcher.error().find("missing"), std::string::npos) << watcher.error();
}

} // namespace
} // namespace lambdesk::engine::triggers
