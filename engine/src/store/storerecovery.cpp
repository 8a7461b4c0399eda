// Opening a data dir: the schema, and putting files back in line with SQLite after a crash.
// SQLite is the truth; git refs, tags and code trees are brought to match it.
#include "common/random.h"
#include "store/functionstoreimpl.h"

#include <set>

namespace fs = std::filesystem;

namespace lambdesk::engine {

using detail::FunctionRow;

namespace {

// 2: invocations.restored (a SnapStart restore's cold start). 3: layers, layer_versions, aliases.
// 4: invocations.alias. 5: policies, policy_statements. 6: function_urls. 7: invocations.source,
// schedule_rules, schedule_targets. 8: folder_triggers. 9: queues, queue_messages.
// 10: event_source_mappings. 11: async_events, event_invoke_configs. 12: folder_buckets.
constexpr int kSchemaVersion = 12;

constexpr const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS functions (
    name TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    commit_sha TEXT NOT NULL,
    code_sha256 TEXT NOT NULL,
    code_size INTEGER NOT NULL,
    revision_id TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    reserved_concurrency INTEGER,
    last_version INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    config TEXT NOT NULL,
    description TEXT NOT NULL,
    commit_sha TEXT NOT NULL,
    code_sha256 TEXT NOT NULL,
    code_size INTEGER NOT NULL,
    revision_id TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY (function_name, version)
);
CREATE TABLE IF NOT EXISTS invocations (
    id INTEGER PRIMARY KEY,
    request_id TEXT NOT NULL,
    function_name TEXT NOT NULL,
    version TEXT NOT NULL,
    start_time_ms INTEGER NOT NULL,
    init_duration_ms REAL NOT NULL,
    duration_ms REAL NOT NULL,
    billed_duration_ms INTEGER NOT NULL,
    memory_size_mb INTEGER NOT NULL,
    max_memory_used_mb INTEGER NOT NULL,
    cold_start INTEGER NOT NULL,
    status TEXT NOT NULL,
    error_type TEXT NOT NULL,
    sandbox TEXT NOT NULL,
    invocation_type TEXT NOT NULL,
    restored INTEGER NOT NULL DEFAULT 0,
    alias TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS invocations_by_function ON invocations (function_name, start_time_ms);
CREATE INDEX IF NOT EXISTS invocations_by_time ON invocations (start_time_ms);
CREATE TABLE IF NOT EXISTS invocation_logs (
    invocation_id INTEGER PRIMARY KEY REFERENCES invocations(id) ON DELETE CASCADE,
    log TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS test_events (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    json TEXT NOT NULL,
    shareable INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (function_name, name)
);
CREATE TABLE IF NOT EXISTS aliases (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    function_version TEXT NOT NULL,
    description TEXT NOT NULL,
    additional_version_weights TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    PRIMARY KEY (function_name, name)
);
CREATE TABLE IF NOT EXISTS layers (
    name TEXT PRIMARY KEY,
    last_version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS layer_versions (
    layer_name TEXT NOT NULL REFERENCES layers(name),
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    license_info TEXT NOT NULL,
    compatible_runtimes TEXT NOT NULL,
    compatible_architectures TEXT NOT NULL,
    code_sha256 TEXT NOT NULL,
    code_size INTEGER NOT NULL,
    unzipped_size INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    PRIMARY KEY (layer_name, version)
);
CREATE TABLE IF NOT EXISTS policies (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    qualifier TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    PRIMARY KEY (function_name, qualifier)
);
CREATE TABLE IF NOT EXISTS policy_statements (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    qualifier TEXT NOT NULL,
    sid TEXT NOT NULL,
    statement TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (function_name, qualifier, sid)
);
CREATE TABLE IF NOT EXISTS function_urls (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    qualifier TEXT NOT NULL,
    url_id TEXT NOT NULL UNIQUE,
    auth_type TEXT NOT NULL,
    cors TEXT,
    invoke_mode TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    modified_us INTEGER NOT NULL,
    PRIMARY KEY (function_name, qualifier)
);
CREATE TABLE IF NOT EXISTS schedule_rules (
    name TEXT PRIMARY KEY,
    expression TEXT NOT NULL,
    state TEXT NOT NULL,
    description TEXT NOT NULL,
    anchor_ms INTEGER NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS schedule_targets (
    rule_name TEXT NOT NULL REFERENCES schedule_rules(name) ON DELETE CASCADE,
    id TEXT NOT NULL,
    arn TEXT NOT NULL,
    input TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (rule_name, id)
);
CREATE TABLE IF NOT EXISTS folder_triggers (
    id TEXT PRIMARY KEY,
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    qualifier TEXT NOT NULL,
    folder TEXT NOT NULL,
    bucket TEXT NOT NULL,
    events TEXT NOT NULL,
    prefix TEXT NOT NULL,
    suffix TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS folder_buckets (
    name TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS queues (
    name TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL,
    purged_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS queue_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL REFERENCES queues(name) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    body BLOB NOT NULL,
    attributes TEXT NOT NULL,
    system_attributes TEXT NOT NULL,
    source_arn TEXT NOT NULL,
    sent_ms INTEGER NOT NULL,
    visible_ms INTEGER NOT NULL,
    receive_count INTEGER NOT NULL,
    first_receive_ms INTEGER NOT NULL,
    receipt TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_messages_by_queue ON queue_messages (queue, visible_ms);
CREATE INDEX IF NOT EXISTS queue_messages_by_id ON queue_messages (queue, message_id);
CREATE INDEX IF NOT EXISTS queue_messages_by_receipt ON queue_messages (receipt);
CREATE TABLE IF NOT EXISTS event_source_mappings (
    uuid TEXT PRIMARY KEY,
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    qualifier TEXT NOT NULL,
    source_arn TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    batch_size INTEGER NOT NULL,
    window_seconds INTEGER NOT NULL,
    filters TEXT NOT NULL,
    response_types TEXT NOT NULL,
    max_concurrency INTEGER,
    modified_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS async_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL,
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    qualifier TEXT NOT NULL,
    payload BLOB NOT NULL,
    client_context TEXT NOT NULL,
    source TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    throttles INTEGER NOT NULL,
    due_ms INTEGER NOT NULL,
    taken_until INTEGER NOT NULL,
    hops INTEGER NOT NULL,
    last_version TEXT NOT NULL,
    last_error TEXT NOT NULL,
    last_response BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS async_events_by_due ON async_events (due_ms);
CREATE INDEX IF NOT EXISTS async_events_by_lease ON async_events (taken_until);
CREATE TABLE IF NOT EXISTS event_invoke_configs (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    qualifier TEXT NOT NULL,
    retry_attempts INTEGER,
    max_event_age INTEGER,
    on_success TEXT NOT NULL,
    on_failure TEXT NOT NULL,
    modified_ms INTEGER NOT NULL,
    PRIMARY KEY (function_name, qualifier)
);
CREATE TABLE IF NOT EXISTS draft_files (
    function_name TEXT NOT NULL REFERENCES functions(name) ON DELETE CASCADE,
    path TEXT NOT NULL,
    content BLOB NOT NULL,
    executable INTEGER NOT NULL,
    PRIMARY KEY (function_name, path)
);
)sql";

} // namespace

void FunctionStore::Impl::createSchema()
{
    auto version = db.prepare("PRAGMA user_version");
    version.step();
    const int found = version.int32(0);
    if (found > kSchemaVersion)
        throw detail::StoreFailure("the data dir was written by a newer Lambdesk (schema "
                                   + std::to_string(found) + ")");
    detail::Transaction transaction(db);
    db.exec(kSchema);
    // CREATE TABLE IF NOT EXISTS left an older version's table as it was.
    if (found == 1)
        db.exec("ALTER TABLE invocations ADD COLUMN restored INTEGER NOT NULL DEFAULT 0");
    if (found >= 1 && found < 4)
        db.exec("ALTER TABLE invocations ADD COLUMN alias TEXT NOT NULL DEFAULT ''");
    if (found >= 1 && found < 7)
        db.exec("ALTER TABLE invocations ADD COLUMN source TEXT NOT NULL DEFAULT ''");
    // Before 12 a folder was a bucket only through its triggers: each such bucket keeps its folder.
    if (found >= 8 && found < 12)
        db.exec("INSERT OR IGNORE INTO folder_buckets (name, folder, created_ms) "
                "SELECT bucket, folder, MIN(created_ms) FROM folder_triggers GROUP BY bucket");
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    transaction.commit();
}

void FunctionStore::Impl::recover()
{
    // Nothing from an earlier process can still be running: staging and trash go entirely.
    detail::removeTreeQuietly(stagingRoot);
    detail::removeTreeQuietly(trashRoot);

    std::vector<FunctionRow> rows;
    {
        auto query = db.prepare("SELECT name FROM functions ORDER BY name");
        while (query.step())
            if (auto row = loadFunction(query.text(0)))
                rows.push_back(std::move(*row));
    }
    std::set<std::string> names;
    for (const FunctionRow &row : rows)
        names.insert(row.name);
    // Directories of creates that never reached SQLite, or of deletes that did.
    for (const fs::directory_entry &entry : fs::directory_iterator(functionsDir))
        if (!names.contains(entry.path().filename().string()))
            detail::removeTreeQuietly(entry.path());

    for (const FunctionRow &row : rows) {
        try {
            recoverFunction(row);
        } catch (const std::exception &failure) {
            // One damaged function must not keep the engine from starting; its calls will fail
            // with a message naming what is missing.
            std::fprintf(stderr, "lambdesk store: cannot recover function %s: %s\n",
                         row.name.c_str(), failure.what());
        }
    }
}

void FunctionStore::Impl::recoverFunction(const FunctionRow &row)
{
    std::set<std::string> commits{row.commit};
    std::set<std::string> tagNames;
    for (const detail::VersionRow &version : loadVersions(row.name)) {
        commits.insert(version.commit);
        tagNames.insert(detail::versionTag(version.version));
    }

    // A git process killed mid-write leaves its lock files (refs/heads/main.lock, packed-refs.lock,
    // ...), and libgit2 then refuses to move the ref. The data-dir lock says no one else is
    // writing here, so every lock file is a dead one. They sit at the top (HEAD, config, index,
    // packed-refs) and under refs/; objects/, which grows with every deploy, has none.
    std::vector<fs::path> staleLocks;
    const auto collect = [&staleLocks](const fs::directory_entry &entry) {
        if (entry.is_regular_file() && entry.path().extension() == ".lock")
            staleLocks.push_back(entry.path());
    };
    const fs::path repo = repoDir(row.name);
    for (const fs::directory_entry &entry : fs::directory_iterator(repo))
        collect(entry);
    if (fs::is_directory(repo / "refs"))
        for (const fs::directory_entry &entry : fs::recursive_directory_iterator(repo / "refs"))
            collect(entry);
    for (const fs::path &lock : staleLocks)
        fs::remove(lock);

    detail::GitRepo git = detail::GitRepo::open(repoDir(row.name));
    if (git.branchHead() != row.commit)
        git.setBranch(row.commit); // a deploy whose ref move was cut off, or one never committed
    for (const std::string &tag : git.tags())
        if (!tagNames.contains(tag))
            git.deleteTag(tag); // a publish that died before its SQLite commit

    const fs::path trees = functionDir(row.name) / "trees";
    fs::create_directories(trees);
    for (const fs::directory_entry &entry : fs::directory_iterator(trees))
        if (!commits.contains(entry.path().filename().string()))
            detail::removeTreeQuietly(entry.path());
    for (const std::string &commit : commits)
        if (!fs::exists(treeDir(row.name, commit)))
            materialiseTree(row.name, commit);
}

void FunctionStore::Impl::materialiseTree(const std::string &name, const std::string &commit)
{
    fs::create_directories(stagingRoot);
    detail::StagingDir staging(stagingRoot / common::newUuid());
    fs::create_directories(staging.path());
    const fs::path tree = staging.path() / "tree";
    detail::TreeWriter writer(tree);
    for (const detail::TreeEntry &entry : detail::GitRepo::open(repoDir(name)).readTree(commit))
        if (auto added = writer.addEntry(entry); !added)
            throw detail::StoreFailure(added.error().message);
    if (auto finished = writer.finish(); !finished)
        throw detail::StoreFailure(finished.error().message);
    fs::rename(tree, treeDir(name, commit));
}

} // namespace lambdesk::engine
