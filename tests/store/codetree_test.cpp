// TreeWriter and the entry rules: the one place code is put on disk (normalised modes, symlinks
// created last and kept inside the tree), and the editor's file set as checked entries.
#include "store/codetree.h"

#include "storetestutil.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace lambdesk::engine;
using namespace lambdesk::engine::detail;
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

mode_t modeOf(const fs::path &path)
{
    struct stat info = {};
    ::lstat(path.c_str(), &info);
    return info.st_mode & 07777;
}

TEST(CodeTree, WritesFilesWithNormalisedModes)
{
    test::TempDir dir;
    const fs::path root = dir.path() / "tree";
    {
        TreeWriter writer(root);
        ASSERT_TRUE(writer.addFile("lambda_function.py", "print('hi')\n", false).ok());
        ASSERT_TRUE(writer.addFile("bin/tool", "#!/bin/sh\n", true).ok());
        ASSERT_TRUE(writer.beginFile("data/big.bin", false).ok());
        writer.write("part1-");
        writer.write("part2");
        writer.endFile();
        ASSERT_TRUE(writer.addDirectory("empty").ok());
        ASSERT_TRUE(writer.addSymlink("bin/link.py", "../lambda_function.py").ok());
        ASSERT_TRUE(writer.finish().ok());
    }
    EXPECT_EQ(readFile(root / "lambda_function.py"), "print('hi')\n");
    EXPECT_EQ(readFile(root / "data/big.bin"), "part1-part2");
    EXPECT_EQ(modeOf(root / "lambda_function.py"), 0644u);
    EXPECT_EQ(modeOf(root / "bin/tool"), 0755u);
    EXPECT_EQ(modeOf(root / "bin"), 0755u);
    EXPECT_TRUE(fs::is_directory(root / "empty"));
    ASSERT_TRUE(fs::is_symlink(root / "bin/link.py"));
    EXPECT_EQ(fs::read_symlink(root / "bin/link.py"), "../lambda_function.py");
}

TEST(CodeTree, RefusesConflictsAndEscapes)
{
    test::TempDir dir;
    TreeWriter writer(dir.path() / "tree");
    ASSERT_TRUE(writer.addFile("a.py", "1", false).ok());
    const auto duplicate = writer.addFile("a.py", "2", false);
    ASSERT_FALSE(duplicate.ok());
    EXPECT_EQ(duplicate.error().code, ErrorCode::InvalidParameter);
    EXPECT_FALSE(writer.addFile("a.py/inner", "3", false).ok())
        << "a file cannot also be a directory";
    EXPECT_FALSE(writer.addFile("../outside.py", "4", false).ok());
    EXPECT_FALSE(writer.addSymlink("up", "../../etc/passwd").ok());
    EXPECT_FALSE(writer.addSymlink("abs", "/etc/passwd").ok());
    EXPECT_FALSE(fs::exists(dir.path() / "outside.py"));
}

TEST(CodeTree, NoFileIsWrittenThroughASymlink)
{
    test::TempDir dir;
    const fs::path root = dir.path() / "tree";
    TreeWriter writer(root);
    // The link is legal on its own; a file "under" it would land wherever it points.
    ASSERT_TRUE(writer.addSymlink("lib", "sub").ok());
    ASSERT_TRUE(writer.addFile("sub/real.py", "ok", false).ok());
    const auto through = writer.addFile("lib/real.py", "through", false);
    const auto finished = through.ok() ? writer.finish() : Result<void>{};
    EXPECT_FALSE(through.ok() && finished.ok()) << "a path under a symlink is refused";
    EXPECT_EQ(readFile(root / "sub/real.py"), "ok");
}

TEST(CodeTree, SymlinkTargetRule)
{
    EXPECT_TRUE(checkSymlinkTarget("a/b/link", "../c").ok());
    EXPECT_TRUE(checkSymlinkTarget("link", "dir/file").ok());
    EXPECT_FALSE(checkSymlinkTarget("link", "../x").ok());
    EXPECT_FALSE(checkSymlinkTarget("a/link", "../../x").ok());
    EXPECT_FALSE(checkSymlinkTarget("link", "/etc").ok());
}

TEST(CodeTree, EditorFilesBecomeSortedCheckedEntries)
{
    const auto entries = entriesFromCodeFiles({{"./src//b.py", "b", false}, {"a.py", "a", false}});
    ASSERT_TRUE(entries.ok()) << entries.error().message;
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[0].path, "a.py");
    EXPECT_EQ((*entries)[1].path, "src/b.py");

    const auto duplicate = entriesFromCodeFiles({{"a.py", "1", false}, {"./a.py", "2", false}});
    ASSERT_FALSE(duplicate.ok());
    EXPECT_EQ(duplicate.error().code, ErrorCode::InvalidParameter);
    EXPECT_FALSE(entriesFromCodeFiles({{"../a.py", "1", false}}).ok());
    EXPECT_FALSE(entriesFromCodeFiles({{"", "1", false}}).ok());
}

} // namespace
