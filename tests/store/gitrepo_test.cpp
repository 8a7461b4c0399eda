// GitRepo, a function's code history in a bare repository: commits of a directory (exec bits and
// symlinks kept) that move no ref, first-parent history, the branch, and version tags.
#include "store/gitrepo.h"
#include "store/storeutil.h"

#include "storetestutil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

using namespace lambdesk::engine;
using namespace lambdesk::engine::detail;
namespace fs = std::filesystem;

namespace {

class GitRepoTest : public ::testing::Test {
protected:
    void write(const std::string &relative, const std::string &content, bool executable = false)
    {
        const fs::path file = m_work.path() / relative;
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
        fs::permissions(file, executable ? fs::perms(0755) : fs::perms(0644));
    }

    static const TreeEntry *find(const std::vector<TreeEntry> &tree, const std::string &path)
    {
        const auto it = std::find_if(tree.begin(), tree.end(),
                                     [&](const TreeEntry &e) { return e.path == path; });
        return it == tree.end() ? nullptr : &*it;
    }

    GitLibrary m_library;
    test::TempDir m_dir;
    test::TempDir m_work;
};

TEST_F(GitRepoTest, CommitsADirectoryWithModesAndSymlinks)
{
    GitRepo repo = GitRepo::init(m_dir.path() / "fn.git");
    write("lambda_function.py", "def lambda_handler(e, c):\n    return e\n");
    write("bin/tool", "#!/bin/sh\necho hi\n", true);
    fs::create_symlink("../lambda_function.py", m_work.path() / "bin" / "link.py");

    const std::string commit = repo.commitDirectory(m_work.path(), "", "Deploy", 1'764'000'000'000);
    EXPECT_EQ(commit.size(), 40u);
    EXPECT_TRUE(repo.hasCommit(commit));
    EXPECT_EQ(repo.branchHead(), "") << "a commit moves no ref";

    const std::vector<TreeEntry> tree = repo.readTree(commit);
    ASSERT_EQ(tree.size(), 3u);
    const TreeEntry *source = find(tree, "lambda_function.py");
    const TreeEntry *tool = find(tree, "bin/tool");
    const TreeEntry *link = find(tree, "bin/link.py");
    ASSERT_TRUE(source && tool && link);
    EXPECT_EQ(source->kind, EntryKind::File);
    EXPECT_EQ(source->content, "def lambda_handler(e, c):\n    return e\n");
    EXPECT_EQ(tool->kind, EntryKind::Executable);
    EXPECT_EQ(link->kind, EntryKind::Symlink);
    EXPECT_EQ(link->content, "../lambda_function.py");
}

TEST_F(GitRepoTest, HistoryBranchAndReopen)
{
    std::string first;
    std::string second;
    {
        GitRepo repo = GitRepo::init(m_dir.path() / "fn.git");
        write("index.mjs", "export const handler = async () => 1;\n");
        first = repo.commitDirectory(m_work.path(), "", "first", 1'000);
        write("index.mjs", "export const handler = async () => 2;\n");
        second = repo.commitDirectory(m_work.path(), first, "second", 2'000);
        repo.setBranch(second);
    }
    GitRepo reopened = GitRepo::open(m_dir.path() / "fn.git");
    EXPECT_EQ(reopened.branchHead(), second);
    EXPECT_EQ(reopened.history(second), (std::vector<std::string>{second, first}));
    EXPECT_EQ(reopened.history(first), (std::vector<std::string>{first}));
    EXPECT_EQ(reopened.readTree(first).at(0).content, "export const handler = async () => 1;\n");
    EXPECT_FALSE(reopened.hasCommit(std::string(40, '0')));
    EXPECT_FALSE(reopened.hasCommit("not-a-commit"));
}

TEST_F(GitRepoTest, VersionTags)
{
    GitRepo repo = GitRepo::init(m_dir.path() / "fn.git");
    write("app.py", "x = 1\n");
    const std::string commit = repo.commitDirectory(m_work.path(), "", "Deploy", 1'000);
    repo.tag("v1", commit, "version 1", 2'000);
    repo.tag("v2", commit, "version 2", 3'000);
    std::vector<std::string> tags = repo.tags();
    std::sort(tags.begin(), tags.end());
    EXPECT_EQ(tags, (std::vector<std::string>{"v1", "v2"}));
    // A stale tag (a crash between tagging and SQLite's commit) is overwritten, not an error.
    write("app.py", "x = 2\n");
    const std::string next = repo.commitDirectory(m_work.path(), commit, "Deploy", 3'500);
    repo.tag("v2", next, "version 2 again", 4'000);
    repo.deleteTag("v1");
    EXPECT_EQ(repo.tags(), (std::vector<std::string>{"v2"}));
}

TEST_F(GitRepoTest, FailuresThrowStoreFailure)
{
    EXPECT_THROW(GitRepo::open(m_dir.path() / "missing.git"), StoreFailure);
    GitRepo repo = GitRepo::init(m_dir.path() / "fn.git");
    EXPECT_THROW(repo.readTree(std::string(40, 'a')), StoreFailure);
    EXPECT_THROW(repo.tag("v1", std::string(40, 'a'), "no such commit", 1'000), StoreFailure);
}

} // namespace
