#include "store/gitrepo.h"

#include "store/storeutil.h"

#include <git2.h>

#include <algorithm>

namespace fs = std::filesystem;

namespace lambdesk::engine::detail {

namespace {

template <class T, void (*Free)(T *)>
struct GitDeleter {
    void operator()(T *object) const noexcept { Free(object); }
};
using TreeBuilderPtr = std::unique_ptr<git_treebuilder, GitDeleter<git_treebuilder, git_treebuilder_free>>;
using TreePtr = std::unique_ptr<git_tree, GitDeleter<git_tree, git_tree_free>>;
using CommitPtr = std::unique_ptr<git_commit, GitDeleter<git_commit, git_commit_free>>;
using SignaturePtr = std::unique_ptr<git_signature, GitDeleter<git_signature, git_signature_free>>;
using ReferencePtr = std::unique_ptr<git_reference, GitDeleter<git_reference, git_reference_free>>;
using ObjectPtr = std::unique_ptr<git_object, GitDeleter<git_object, git_object_free>>;
using BlobPtr = std::unique_ptr<git_blob, GitDeleter<git_blob, git_blob_free>>;

constexpr const char *kBranch = "refs/heads/main";

void check(int rc, const std::string &what)
{
    if (rc >= 0)
        return;
    const git_error *error = git_error_last();
    throw StoreFailure("git: " + what + ": " + (error && error->message ? error->message : "failed"));
}

git_oid parseOid(const std::string &hex)
{
    git_oid oid;
    check(git_oid_fromstr(&oid, hex.c_str()), "bad object id '" + hex + "'");
    return oid;
}

std::string toHex(const git_oid &oid)
{
    char buffer[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buffer, sizeof buffer, &oid);
    return buffer;
}

SignaturePtr signature(std::int64_t timeMs)
{
    git_signature *raw = nullptr;
    check(git_signature_new(&raw, "Lambdesk", "lambdesk@localhost",
                            static_cast<git_time_t>(timeMs / 1000), 0),
          "signature");
    return SignaturePtr(raw);
}

CommitPtr lookupCommit(git_repository *repo, const std::string &hex)
{
    const git_oid oid = parseOid(hex);
    git_commit *raw = nullptr;
    check(git_commit_lookup(&raw, repo, &oid), "commit " + hex);
    return CommitPtr(raw);
}

// Writes the tree object for one directory; returns false for a subdirectory with nothing to
// store (git has no empty directories). The root is always written: code may be empty.
bool writeTree(git_repository *repo, const fs::path &dir, bool isRoot, git_oid &out)
{
    git_treebuilder *rawBuilder = nullptr;
    check(git_treebuilder_new(&rawBuilder, repo, nullptr), "tree builder");
    TreeBuilderPtr builder(rawBuilder);
    for (const fs::directory_entry &entry : fs::directory_iterator(dir)) {
        const fs::file_status status = entry.symlink_status();
        const std::string name = entry.path().filename().string();
        git_oid oid;
        git_filemode_t mode;
        if (fs::is_symlink(status)) {
            const std::string target = fs::read_symlink(entry.path()).string();
            check(git_blob_create_from_buffer(&oid, repo, target.data(), target.size()),
                  "storing link " + entry.path().string());
            mode = GIT_FILEMODE_LINK;
        } else if (fs::is_directory(status)) {
            if (!writeTree(repo, entry.path(), false, oid))
                continue;
            mode = GIT_FILEMODE_TREE;
        } else if (fs::is_regular_file(status)) {
            check(git_blob_create_from_disk(&oid, repo, entry.path().c_str()),
                  "storing " + entry.path().string());
            const bool executable = (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
            mode = executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
        } else {
            continue; // sockets, fifos: never part of code
        }
        check(git_treebuilder_insert(nullptr, builder.get(), name.c_str(), &oid, mode),
              "adding " + entry.path().string());
    }
    if (git_treebuilder_entrycount(builder.get()) == 0 && !isRoot)
        return false;
    check(git_treebuilder_write(&out, builder.get()), "writing tree " + dir.string());
    return true;
}

struct WalkState {
    git_repository *repo;
    std::vector<TreeEntry> *entries;
    std::string error;
};

int collectEntry(const char *root, const git_tree_entry *entry, void *payload)
{
    auto *state = static_cast<WalkState *>(payload);
    if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
        return 0;
    git_blob *raw = nullptr;
    if (git_blob_lookup(&raw, state->repo, git_tree_entry_id(entry)) < 0) {
        state->error = std::string("missing blob for ") + root + git_tree_entry_name(entry);
        return -1;
    }
    BlobPtr blob(raw);
    TreeEntry out;
    out.path = std::string(root) + git_tree_entry_name(entry);
    out.content.assign(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                       static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    switch (git_tree_entry_filemode(entry)) {
    case GIT_FILEMODE_BLOB_EXECUTABLE: out.kind = EntryKind::Executable; break;
    case GIT_FILEMODE_LINK: out.kind = EntryKind::Symlink; break;
    default: out.kind = EntryKind::File; break;
    }
    state->entries->push_back(std::move(out));
    return 0;
}

} // namespace

GitLibrary::GitLibrary()
{
    git_libgit2_init();
    // The data dir may belong to another uid than the engine (a shared install, root in a
    // container); these repositories are private storage, not user checkouts, so ownership
    // checks only get in the way. No hooks or config from them are ever executed.
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

GitLibrary::~GitLibrary()
{
    git_libgit2_shutdown();
}

void GitRepo::Deleter::operator()(git_repository *repo) const noexcept
{
    git_repository_free(repo);
}

GitRepo GitRepo::init(const fs::path &path)
{
    git_repository *raw = nullptr;
    check(git_repository_init(&raw, path.c_str(), 1), "init " + path.string());
    GitRepo repo(raw);
    check(git_repository_set_head(raw, kBranch), "set HEAD");
    return repo;
}

GitRepo GitRepo::open(const fs::path &path)
{
    git_repository *raw = nullptr;
    check(git_repository_open_bare(&raw, path.c_str()), "open " + path.string());
    return GitRepo(raw);
}

std::string GitRepo::commitDirectory(const fs::path &dir, const std::string &parent,
                                     const std::string &message, std::int64_t timeMs)
{
    git_oid treeId;
    writeTree(m_repo.get(), dir, true, treeId);
    git_tree *rawTree = nullptr;
    check(git_tree_lookup(&rawTree, m_repo.get(), &treeId), "tree lookup");
    TreePtr tree(rawTree);
    CommitPtr parentCommit;
    if (!parent.empty())
        parentCommit = lookupCommit(m_repo.get(), parent);
    const git_commit *parents[] = {parentCommit.get()};
    const SignaturePtr author = signature(timeMs);
    git_oid commitId;
    check(git_commit_create(&commitId, m_repo.get(), nullptr, author.get(), author.get(), "UTF-8",
                            (message + "\n").c_str(), tree.get(), parentCommit ? 1 : 0, parents),
          "commit");
    return toHex(commitId);
}

std::vector<TreeEntry> GitRepo::readTree(const std::string &commit) const
{
    const CommitPtr object = lookupCommit(m_repo.get(), commit);
    git_tree *rawTree = nullptr;
    check(git_commit_tree(&rawTree, object.get()), "tree of " + commit);
    TreePtr tree(rawTree);
    std::vector<TreeEntry> entries;
    WalkState state{m_repo.get(), &entries, {}};
    if (git_tree_walk(tree.get(), GIT_TREEWALK_PRE, collectEntry, &state) < 0)
        throw StoreFailure("git: reading " + commit + ": "
                           + (state.error.empty() ? std::string("walk failed") : state.error));
    std::sort(entries.begin(), entries.end(),
              [](const TreeEntry &a, const TreeEntry &b) { return a.path < b.path; });
    return entries;
}

bool GitRepo::hasCommit(const std::string &commit) const
{
    git_oid oid;
    if (git_oid_fromstr(&oid, commit.c_str()) < 0)
        return false;
    git_commit *raw = nullptr;
    if (git_commit_lookup(&raw, m_repo.get(), &oid) < 0)
        return false;
    git_commit_free(raw);
    return true;
}

std::vector<std::string> GitRepo::history(const std::string &commit) const
{
    std::vector<std::string> commits;
    std::string current = commit;
    while (!current.empty()) {
        const CommitPtr object = lookupCommit(m_repo.get(), current);
        commits.push_back(current);
        current = git_commit_parentcount(object.get()) > 0
                      ? toHex(*git_commit_parent_id(object.get(), 0))
                      : std::string();
    }
    return commits;
}

void GitRepo::setBranch(const std::string &commit)
{
    const git_oid oid = parseOid(commit);
    git_reference *raw = nullptr;
    check(git_reference_create(&raw, m_repo.get(), kBranch, &oid, 1, "deploy"), "move branch");
    ReferencePtr reference(raw);
}

std::string GitRepo::branchHead() const
{
    git_oid oid;
    const int rc = git_reference_name_to_id(&oid, m_repo.get(), kBranch);
    if (rc == GIT_ENOTFOUND)
        return {};
    check(rc, "read branch");
    return toHex(oid);
}

void GitRepo::tag(const std::string &name, const std::string &commit, const std::string &message,
                  std::int64_t timeMs)
{
    const git_oid oid = parseOid(commit);
    git_object *raw = nullptr;
    check(git_object_lookup(&raw, m_repo.get(), &oid, GIT_OBJECT_COMMIT), "commit " + commit);
    ObjectPtr target(raw);
    const SignaturePtr tagger = signature(timeMs);
    const std::string text = (message.empty() ? name : message) + "\n";
    git_oid tagId;
    // force: a crash between tagging and the SQLite commit can leave a stale tag of this name,
    // since version numbers are only taken once SQLite records them.
    check(git_tag_create(&tagId, m_repo.get(), name.c_str(), target.get(), tagger.get(),
                         text.c_str(), 1),
          "tag " + name);
}

void GitRepo::deleteTag(const std::string &name)
{
    const int rc = git_tag_delete(m_repo.get(), name.c_str());
    if (rc != GIT_ENOTFOUND)
        check(rc, "delete tag " + name);
}

std::vector<std::string> GitRepo::tags() const
{
    git_strarray names{};
    check(git_tag_list(&names, m_repo.get()), "list tags");
    std::vector<std::string> result(names.strings, names.strings + names.count);
    git_strarray_dispose(&names);
    return result;
}

} // namespace lambdesk::engine::detail
