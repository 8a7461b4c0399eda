// A folder's files as a bucket's objects, on a real folder: what a key may be, symbolic links
// that would lead out, listings in S3's order, and writes that land whole (the folder's watcher
// sees one write of the key, never the partial file).
#include "triggers/folderobjects.h"
#include "triggers/folderwatcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace lambdesk::engine::triggers {
namespace {

namespace fs = std::filesystem;

// The keys a folder's watcher reports, in order.
struct KeysSeen {
    explicit KeysSeen(const fs::path &folder)
        : watcher(folder, [this](const FolderChange &change) {
              std::lock_guard lock(mutex);
              keys.push_back(change.relativePath);
          })
    {
    }
    // The keys once `count` were seen (or 30 s passed), the watcher stopped.
    std::vector<std::string> first(std::size_t count)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mutex);
                if (keys.size() >= count)
                    break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        watcher.stop();
        return keys;
    }

    std::mutex mutex;
    std::vector<std::string> keys;
    FolderWatcher watcher; // last: stopped first
};

class FolderObjectsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_root = fs::temp_directory_path() /
                 ("lambdesk-objects-" + std::to_string(std::random_device{}()));
        fs::create_directories(m_root / "bucket");
        m_outside = m_root / "outside";
        fs::create_directories(m_outside);
        std::ofstream(m_outside / "secret") << "not for functions";
    }
    void TearDown() override { fs::remove_all(m_root); }

    fs::path bucket() const { return m_root / "bucket"; }

    fs::path m_root;
    fs::path m_outside;
};

TEST_F(FolderObjectsTest, WritesReadsAndDeletesRealFiles)
{
    const FolderObjects objects(bucket());
    const auto written = objects.write("reports/2026/q4.csv", "a,b\n");
    ASSERT_TRUE(written.ok()) << written.error().message;
    EXPECT_EQ(written->eTag, "f69f5b72bc79a92dc70c63c9aa142e36"); // md5 of "a,b\n"
    std::ifstream file(bucket() / "reports" / "2026" / "q4.csv");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(file), {}), "a,b\n");
    const auto head = objects.head("reports/2026/q4.csv");
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->size, 4U);
    EXPECT_EQ(head->eTag, written->eTag);
    EXPECT_EQ(*objects.read("reports/2026/q4.csv"), "a,b\n");

    EXPECT_EQ(objects.read("reports/2026").error().code, ErrorCode::NotFound)
        << "a folder is no object";
    EXPECT_EQ(objects.head("missing.csv").error().code, ErrorCode::NotFound);
    ASSERT_TRUE(objects.remove("reports/2026/q4.csv").ok());
    EXPECT_FALSE(fs::exists(bucket() / "reports" / "2026" / "q4.csv"));
    EXPECT_TRUE(objects.remove("reports/2026/q4.csv").ok()) << "deleting twice is no error in S3";
    EXPECT_TRUE(objects.remove("reports/").ok());
    EXPECT_TRUE(fs::exists(bucket() / "reports" / "2026")) << "a folder with objects stays";

    ASSERT_TRUE(objects.write("empty-folder/", "").ok());
    EXPECT_TRUE(fs::is_directory(bucket() / "empty-folder"));
    EXPECT_EQ(objects.write("empty-folder/", "x").error().code, ErrorCode::InvalidParameter);
}

TEST_F(FolderObjectsTest, RefusesKeysNoFileCanStandFor)
{
    const FolderObjects objects(bucket());
    for (const std::string &key :
         std::vector<std::string>{"", "/etc/passwd", "a//b", "../outside/secret", "a/../../x",
                                  "./a", "a/.", ".lambdesk-upload-123", std::string(1025, 'k')}) {
        const auto written = objects.write(key, "x");
        ASSERT_FALSE(written.ok()) << "'" << key << "'";
        EXPECT_EQ(written.error().code, ErrorCode::InvalidParameter) << key;
        EXPECT_EQ(objects.read(key).error().code, ErrorCode::InvalidParameter) << key;
    }
    EXPECT_FALSE(fs::exists(m_root / "x"));
}

TEST_F(FolderObjectsTest, ASymbolicLinkDoesNotLeadOut)
{
    fs::create_directory_symlink(m_outside, bucket() / "link");
    fs::create_symlink(m_outside / "secret", bucket() / "secret-link");
    const FolderObjects objects(bucket());
    EXPECT_EQ(objects.read("link/secret").error().code, ErrorCode::InvalidParameter);
    EXPECT_EQ(objects.read("secret-link").error().code, ErrorCode::InvalidParameter);
    EXPECT_EQ(objects.write("link/planted", "x").error().code, ErrorCode::InvalidParameter);
    EXPECT_FALSE(fs::exists(m_outside / "planted"));
    const auto listed = objects.list("");
    ASSERT_TRUE(listed.ok());
    EXPECT_TRUE(listed->empty()) << "links are not objects: " << listed->front().key;
    EXPECT_TRUE(objects.list("link/")->empty()) << "a prefix does not lead through a link";
}

TEST_F(FolderObjectsTest, ListsInKeyOrderWithoutPartialUploads)
{
    const FolderObjects objects(bucket());
    for (const char *key : {"b.txt", "a/z.txt", "a.txt", "a/b/c.txt", "\xC3\xA9t\xC3\xA9.txt"})
        ASSERT_TRUE(objects.write(key, key).ok()) << key;
    std::ofstream(bucket() / ".lambdesk-upload-in-progress") << "half";
    const auto listed = objects.list("");
    ASSERT_TRUE(listed.ok());
    std::vector<std::string> keys;
    for (const ObjectInfo &object : *listed)
        keys.push_back(object.key);
    // UTF-8 bytes, as S3 orders keys: '.' (0x2E) < '/' (0x2F), and "é" after every ASCII letter.
    EXPECT_EQ(keys, (std::vector<std::string>{"a.txt", "a/b/c.txt", "a/z.txt", "b.txt",
                                              "\xC3\xA9t\xC3\xA9.txt"}));
    const auto underA = objects.list("a/");
    ASSERT_TRUE(underA.ok());
    EXPECT_EQ(underA->size(), 2U);
    EXPECT_EQ(objects.list("a/b/c")->size(), 1U) << "the prefix need not end at a '/'";
    EXPECT_EQ(objects.list("a/z")->front().key, "a/z.txt");
    EXPECT_TRUE(objects.list("missing/")->empty());
    EXPECT_EQ(objects.list("a")->size(), 3U) << "a.txt, a/b/c.txt, a/z.txt";
}

// The watcher sees the object once, under its key, when the whole content is there.
TEST_F(FolderObjectsTest, TheFoldersWatcherSeesOneWriteOfTheKey)
{
    KeysSeen watched(bucket());
    ASSERT_TRUE(watched.watcher.start()) << watched.watcher.error();
    const FolderObjects objects(bucket());
    ASSERT_TRUE(objects.write("report.csv", std::string(1 << 20, 'x')).ok());
    std::ofstream(bucket() / "marker") << "after";
    EXPECT_EQ(watched.first(2), (std::vector<std::string>{"report.csv", "marker"}));
}

// A multipart upload's parts wait out of sight (of listings and of the watcher); Complete lands
// them joined, in the order given, and takes the parts away; Abort leaves nothing.
TEST_F(FolderObjectsTest, MultipartPartsStayHiddenUntilComplete)
{
    KeysSeen watched(bucket());
    ASSERT_TRUE(watched.watcher.start()) << watched.watcher.error();
    const FolderObjects objects(bucket());
    const auto upload = objects.startUpload("joined.bin");
    ASSERT_TRUE(upload.ok()) << upload.error().message;
    const auto first = objects.writePart(*upload, "joined.bin", 1, "hello ");
    const auto second = objects.writePart(*upload, "joined.bin", 2, "world");
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(objects.writePart(*upload, "other.bin", 3, "x").error().code, ErrorCode::NotFound)
        << "an upload is for its own key";
    EXPECT_EQ(objects.writePart(*upload, "joined.bin", 0, "x").error().code,
              ErrorCode::InvalidParameter);
    EXPECT_TRUE(objects.list("")->empty()) << "parts are not objects";

    const auto outOfOrder =
        objects.completeUpload(*upload, "joined.bin", {{2, *second}, {1, *first}});
    ASSERT_FALSE(outOfOrder.ok());
    EXPECT_TRUE(outOfOrder.error().message.starts_with("InvalidPartOrder: "));
    const auto wrongTag = objects.completeUpload(*upload, "joined.bin", {{1, "\"0000\""}});
    ASSERT_FALSE(wrongTag.ok());
    EXPECT_TRUE(wrongTag.error().message.starts_with("InvalidPart: "));
    const auto landed =
        objects.completeUpload(*upload, "joined.bin", {{1, "\"" + *first + "\""}, {2, *second}});
    ASSERT_TRUE(landed.ok()) << landed.error().message;
    EXPECT_EQ(*objects.read("joined.bin"), "hello world");
    EXPECT_EQ(landed->eTag, objects.head("joined.bin")->eTag);
    EXPECT_EQ(objects.writePart(*upload, "joined.bin", 3, "x").error().code, ErrorCode::NotFound)
        << "a completed upload takes no more parts";

    const auto aborted = objects.startUpload("aborted.bin");
    ASSERT_TRUE(aborted.ok());
    ASSERT_TRUE(objects.writePart(*aborted, "aborted.bin", 1, "x").ok());
    ASSERT_TRUE(objects.abortUpload(*aborted, "aborted.bin").ok());
    EXPECT_EQ(objects.abortUpload(*aborted, "aborted.bin").error().code, ErrorCode::NotFound);

    std::ofstream(bucket() / "marker") << "after";
    EXPECT_EQ(watched.first(2), (std::vector<std::string>{"joined.bin", "marker"}));
    std::vector<std::string> left;
    for (const auto &entry : fs::directory_iterator(bucket()))
        left.push_back(entry.path().filename().string());
    std::sort(left.begin(), left.end());
    EXPECT_EQ(left, (std::vector<std::string>{"joined.bin", "marker"}));
}

} // namespace
} // namespace lambdesk::engine::triggers
