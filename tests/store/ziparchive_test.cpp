// Deployment package handling: what extractZip accepts and rejects, and buildZip's output.
#include "common/encoding.h"
#include "storetestutil.h"

#include "store/storeutil.h"
#include "store/ziparchive.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace lambdesk::engine;
using lambdesk::engine::test::makeZip;
using lambdesk::engine::test::TempDir;
using lambdesk::engine::test::ZipSpec;

namespace {

std::string readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

mode_t modeOf(const fs::path &path)
{
    struct stat info {};
    EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
    return info.st_mode;
}

Result<void> extract(const std::string &zip, const fs::path &dest,
                     std::uint64_t maxBytes = detail::kMaxUnzippedBytes)
{
    return detail::extractZip(zip, dest, maxBytes);
}

} // namespace

TEST(ZipArchive, ExtractsFilesAndKeepsExecutableBit)
{
    TempDir dir;
    const std::string zip = makeZip({
        {"bootstrap", "#!/bin/sh\necho hi\n", 0100755},
        {"lib/", "", 040755},
        {"lib/util.py", "X = 1\n", 0100600},
        test::storedEntry("./notes.txt", "plain"),
    });
    ASSERT_TRUE(extract(zip, dir.path() / "t"));
    EXPECT_EQ(readFile(dir.path() / "t/bootstrap"), "#!/bin/sh\necho hi\n");
    EXPECT_EQ(modeOf(dir.path() / "t/bootstrap") & 07777, 0755u);
    EXPECT_EQ(modeOf(dir.path() / "t/lib/util.py") & 07777, 0644u); // readable for the sandbox
    EXPECT_EQ(readFile(dir.path() / "t/notes.txt"), "plain");
}

TEST(ZipArchive, RejectsUnreadableArchives)
{
    TempDir dir;
    for (const std::string &bytes : {std::string(), std::string("definitely not a zip"),
                                     std::string("PK\x03\x04garbage", 13)}) {
        const auto result = extract(bytes, dir.path() / "t");
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().code, ErrorCode::InvalidParameter);
        EXPECT_EQ(result.error().message, detail::kCouldNotUnzip);
        fs::remove_all(dir.path() / "t");
    }
}

TEST(ZipArchive, RejectsPathsLeavingTheTree)
{
    TempDir dir;
    for (const char *name : {"../evil", "a/../../evil", "/abs", "/etc/cron.d/x", "..\\evil"}) {
        const auto result = extract(makeZip({{"ok.txt", "fine"}, {name, "bad"}}), dir.path() / "t");
        ASSERT_FALSE(result) << name;
        EXPECT_EQ(result.error().code, ErrorCode::InvalidParameter) << name;
        EXPECT_NE(result.error().message.find(detail::kCouldNotUnzip), std::string::npos);
        EXPECT_FALSE(fs::exists(dir.path() / "evil"));
        fs::remove_all(dir.path() / "t");
    }
}

TEST(ZipArchive, RejectsSymlinksPointingOutside)
{
    TempDir dir;
    const std::vector<std::vector<ZipSpec>> bad = {
        {{"link", "../../etc/passwd", 0120777}},
        {{"link", "/etc/passwd", 0120777}},
        {{"sub/link", "../..", 0120777}},
        // Each link stays inside on its own; chained they reach the parent of the tree.
        {{"a", ".", 0120777}, {"b", "a/..", 0120777}},
    };
    for (const auto &specs : bad) {
        const auto result = extract(makeZip(specs), dir.path() / "t");
        ASSERT_FALSE(result) << specs.back().name << " -> " << specs.back().content;
        EXPECT_EQ(result.error().code, ErrorCode::InvalidParameter);
        fs::remove_all(dir.path() / "t");
    }
    ASSERT_TRUE(extract(makeZip({{"lib/util.py", "X = 1\n"}, {"util.py", "lib/util.py", 0120777}}),
                        dir.path() / "ok"));
    EXPECT_TRUE(fs::is_symlink(dir.path() / "ok/util.py"));
    EXPECT_EQ(readFile(dir.path() / "ok/util.py"), "X = 1\n");
}

TEST(ZipArchive, RejectsDuplicateAndConflictingEntries)
{
    TempDir dir;
    EXPECT_FALSE(extract(makeZip({{"a.py", "1"}, {"a.py", "2"}}), dir.path() / "t1"));
    EXPECT_FALSE(extract(makeZip({{"a", "file"}, {"a/b", "under a file"}}), dir.path() / "t2"));
    EXPECT_FALSE(extract(makeZip({{"a/b", "x"}, {"a", "b", 0120777}}), dir.path() / "t3"));
}

TEST(ZipArchive, RejectsBombByDeclaredSize)
{
    TempDir dir;
    const auto start = std::chrono::steady_clock::now();
    // 300 MB of zeros deflate to about 1 MB at level 1.
    const std::string bomb = makeZip({test::zerosEntry("zeros.bin", 300'000'000)});
    const auto built = std::chrono::steady_clock::now();
    const auto result = extract(bomb, dir.path() / "t");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::InvalidParameter);
    EXPECT_EQ(result.error().message, "Unzipped size must be smaller than 262144000 bytes");
    EXPECT_FALSE(fs::exists(dir.path() / "t/zeros.bin")); // refused before writing anything
    std::printf("bomb: %zu bytes compressed, built in %lld ms, rejected in %lld ms\n", bomb.size(),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(built - start).count()),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::steady_clock::now() - built).count()));
}

TEST(ZipArchive, RejectsBombWithLyingHeader)
{
    TempDir dir;
    // Declares 1000 bytes, inflates to 270 MB: only counting the inflated bytes can catch it
    // (or libzip's own consistency check, whichever comes first).
    const std::string bomb = makeZip({test::zerosEntry("zeros.bin", 270'000'000, 1000)});
    const auto result = extract(bomb, dir.path() / "t");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::InvalidParameter);
    std::printf("lying header rejected with: %s\n", result.error().message.c_str());
    EXPECT_TRUE(result.error().message == "Unzipped size must be smaller than 262144000 bytes"
                || result.error().message.starts_with(detail::kCouldNotUnzip));
    if (fs::exists(dir.path() / "t/zeros.bin")) {
        EXPECT_LE(fs::file_size(dir.path() / "t/zeros.bin"), detail::kMaxUnzippedBytes);
    }
}

TEST(ZipArchive, CountsInflatedBytesAgainstTheLimit)
{
    TempDir dir;
    // Honest headers but a small budget: the declared-size check fires.
    auto declared = extract(makeZip({{"a", std::string(600, 'a')}}), dir.path() / "t1", 500);
    ASSERT_FALSE(declared);
    EXPECT_EQ(declared.error().message, "Unzipped size must be smaller than 500 bytes");
    // Headers claiming 10 bytes for 5000: rejected either by the byte count or by libzip.
    auto lying = extract(makeZip({test::zerosEntry("a", 5000, 10)}), dir.path() / "t2", 1000);
    ASSERT_FALSE(lying);
    EXPECT_EQ(lying.error().code, ErrorCode::InvalidParameter);
    EXPECT_TRUE(lying.error().message == "Unzipped size must be smaller than 1000 bytes"
                || lying.error().message.starts_with(detail::kCouldNotUnzip));
    std::printf("small lying header rejected with: %s\n", lying.error().message.c_str());
}

TEST(ZipArchive, BuildZipIsDeterministicAndRoundTrips)
{
    const std::vector<detail::TreeEntry> entries = {
        {"z_last.py", "print('z')\n", detail::EntryKind::File},
        {"bootstrap", "#!/bin/sh\n", detail::EntryKind::Executable},
        {"lib/util.py", "X = 1\n", detail::EntryKind::File},
        {"util.py", "lib/util.py", detail::EntryKind::Symlink},
    };
    const std::string first = detail::buildZip(entries);
    const std::string second = detail::buildZip({entries.rbegin(), entries.rend()});
    EXPECT_EQ(first, second);
    EXPECT_EQ(common::sha256Base64(first), common::sha256Base64(second));

    TempDir dir;
    ASSERT_TRUE(extract(first, dir.path() / "t"));
    EXPECT_EQ(readFile(dir.path() / "t/z_last.py"), "print('z')\n");
    EXPECT_EQ(modeOf(dir.path() / "t/bootstrap") & 07777, 0755u);
    EXPECT_TRUE(fs::is_symlink(dir.path() / "t/util.py"));
    EXPECT_EQ(fs::read_symlink(dir.path() / "t/util.py"), "lib/util.py");

    const std::string empty = detail::buildZip({});
    ASSERT_TRUE(extract(empty, dir.path() / "empty"));
    EXPECT_TRUE(fs::is_empty(dir.path() / "empty"));
}

TEST(ZipArchive, CodeSha256IsBase64OfSha256)
{
    // echo -n abc | openssl dgst -sha256 -binary | base64
    EXPECT_EQ(common::sha256Base64("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}
