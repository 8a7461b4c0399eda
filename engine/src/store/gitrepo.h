#pragma once
// One function's code history: a bare git repository (libgit2). A deploy is one commit whose
// tree is the code; $LATEST is refs/heads/main; a published version is the tag "v<N>".
//
// Commits are created without moving any ref: FunctionStore points SQLite at the commit first
// and moves the branch afterwards, so SQLite stays the single source of truth after a crash.
// Methods throw StoreFailure on libgit2 errors. One GitRepo per thread: handles are not shared.

#include "store/codetree.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

struct git_repository;

namespace lambdesk::engine::detail {

// Keeps libgit2 initialised while alive (libgit2 reference-counts init/shutdown).
class GitLibrary {
public:
    GitLibrary();
    ~GitLibrary();
    GitLibrary(const GitLibrary &) = delete;
    GitLibrary &operator=(const GitLibrary &) = delete;
};

class GitRepo {
public:
    static GitRepo init(const std::filesystem::path &path); // new bare repository
    static GitRepo open(const std::filesystem::path &path);

    // Commits the directory's files (exec bits and symlinks kept) on top of `parent` ("" for
    // the first commit). Returns the commit id (hex).
    std::string commitDirectory(const std::filesystem::path &dir, const std::string &parent,
                                const std::string &message, std::int64_t timeMs);
    std::vector<TreeEntry> readTree(const std::string &commit) const;
    bool hasCommit(const std::string &commit) const;
    // First-parent history from `commit`, newest first.
    std::vector<std::string> history(const std::string &commit) const;

    void setBranch(const std::string &commit); // refs/heads/main, which HEAD names
    std::string branchHead() const;            // "" while unborn

    void tag(const std::string &name, const std::string &commit, const std::string &message,
             std::int64_t timeMs);
    void deleteTag(const std::string &name);
    std::vector<std::string> tags() const;

private:
    struct Deleter {
        void operator()(git_repository *repo) const noexcept;
    };
    explicit GitRepo(git_repository *repo) : m_repo(repo) {}
    std::unique_ptr<git_repository, Deleter> m_repo;
};

} // namespace lambdesk::engine::detail
