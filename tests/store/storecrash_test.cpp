// SIGKILL in the middle of deploys: after reopening, the function is at some complete deploy —
// its row, git history and code tree agree — and nothing half-written is left.
#include "storetestutil.h"

#include "store/functionstore.h"
#include "store/gitrepo.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace lambdesk::engine;
using lambdesk::engine::test::TempDir;

namespace {

std::string readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Child: deploys "v = 1", "v = 2", ... forever, reporting each completed deploy on `report`.
[[noreturn]] void deployForever(const fs::path &dir, int report)
{
    auto store = FunctionStore::open({dir});
    if (!store)
        _exit(2);
    for (int n = 1;; ++n) {
        std::vector<CodeFile> files = {{"lambda_function.py", "v = " + std::to_string(n) + "\n", false},
                                       {"bootstrap", "#!/bin/sh\n", true}};
        // Some bulk so that a kill often lands inside the file writes.
        for (int i = 0; i < 20; ++i)
            files.push_back({"lib/m" + std::to_string(i) + ".py", std::string(20000, 'a' + i % 26), false});
        if (!(*store)->updateCodeFiles("fn", files))
            _exit(3);
        if (n % 3 == 0 && !(*store)->publishVersion("fn", {}, {}, {}))
            _exit(4);
        if (::write(report, &n, sizeof n) != sizeof n)
            _exit(5);
    }
}

// Waits (with a deadline) until the child reports at least `count` deploys; returns the last.
int waitForDeploys(int fd, int count)
{
    int last = 0;
    while (last < count) {
        pollfd ready{fd, POLLIN, 0};
        if (::poll(&ready, 1, 60'000) != 1)
            return -1;
        if (::read(fd, &last, sizeof last) != sizeof last)
            return -1;
    }
    return last;
}

} // namespace

TEST(StoreCrash, SigkillDuringDeploysLeavesAConsistentStore)
{
    TempDir dir;
    {
        auto store = FunctionStore::open({dir.path()});
        ASSERT_TRUE(store);
        FunctionConfig config;
        config.name = "fn";
        config.runtime = "python3.11";
        config.handler = "lambda_function.handler";
        ASSERT_TRUE((*store)->create(config, test::pythonZip("v = 0\n")));
    }
    int reported = 0;
    for (int round = 0; round < 6; ++round) {
        int pipeFds[2];
        ASSERT_EQ(::pipe(pipeFds), 0);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            ::close(pipeFds[0]);
            deployForever(dir.path(), pipeFds[1]);
        }
        ::close(pipeFds[1]);
        // Kill at a different point of a deploy each round: after 1 to 3 completed ones.
        const int last = waitForDeploys(pipeFds[0], 1 + round % 3);
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        ::close(pipeFds[0]);
        ASSERT_GT(last, 0) << "child stopped early, status " << status;
        ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);

        auto store = FunctionStore::open({dir.path()});
        ASSERT_TRUE(store) << store.error().message;
        auto latest = (*store)->get("fn");
        ASSERT_TRUE(latest);
        // The child numbers from 1 each round; the code is one of its complete deploys.
        const std::string code = readFile(latest->codeDir / "lambda_function.py");
        const int deployed = std::stoi(code.substr(4));
        EXPECT_GE(deployed, last) << "a reported deploy was lost";
        EXPECT_LE(deployed, last + 1);
        EXPECT_EQ(fs::status(latest->codeDir / "bootstrap").permissions() & fs::perms::owner_exec,
                  fs::perms::owner_exec);
        EXPECT_EQ(readFile(latest->codeDir / "lib/m19.py"), std::string(20000, 'a' + 19));
        auto files = (*store)->readCode("fn");
        ASSERT_TRUE(files);
        EXPECT_EQ(files->size(), 22u);
        const auto repo = detail::GitRepo::open(dir.path() / "functions/fn/repo.git");
        EXPECT_EQ(repo.branchHead(), latest->info.commit);
        auto versions = (*store)->listVersions("fn");
        ASSERT_TRUE(versions);
        EXPECT_EQ(repo.tags().size(), versions->size() - 1);
        for (const StoredFunction &version : *versions)
            EXPECT_TRUE(fs::exists(version.codeDir / "lambda_function.py")) << version.info.version;
        // Only referenced trees remain; staging is empty.
        std::size_t trees = 0;
        for ([[maybe_unused]] const auto &entry : fs::directory_iterator(dir.path() / "functions/fn/trees"))
            ++trees;
        EXPECT_LE(trees, versions->size());
        EXPECT_FALSE(fs::exists(dir.path() / "staging") && !fs::is_empty(dir.path() / "staging"));
        reported += last;
    }
    std::printf("6 kills after %d reported deploys in total, store consistent after each\n", reported);
}
