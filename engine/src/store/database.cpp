#include "store/database.h"

#include "store/storeutil.h"

#include <sqlite3.h>

#include <cstdio>

namespace lambdesk::engine::detail {

namespace {

[[noreturn]] void fail(sqlite3 *db, std::string_view what)
{
    throw StoreFailure("database: " + std::string(what) + ": "
                       + (db ? sqlite3_errmsg(db) : "out of memory"));
}

} // namespace

void Statement::Deleter::operator()(sqlite3_stmt *statement) const noexcept
{
    sqlite3_finalize(statement);
}

Statement::Statement(sqlite3 *db, sqlite3_stmt *statement) : m_db(db), m_statement(statement) {}

Statement &Statement::bind(int index, std::int64_t value)
{
    if (sqlite3_bind_int64(m_statement.get(), index, value) != SQLITE_OK)
        fail(m_db, "bind");
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(m_statement.get(), index, value) != SQLITE_OK)
        fail(m_db, "bind");
    return *this;
}

Statement &Statement::bind(int index, std::string_view text)
{
    if (sqlite3_bind_text64(m_statement.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8)
        != SQLITE_OK) {
        fail(m_db, "bind");
    }
    return *this;
}

Statement &Statement::bind(int index, const std::optional<int> &value)
{
    const int rc = value ? sqlite3_bind_int64(m_statement.get(), index, *value)
                         : sqlite3_bind_null(m_statement.get(), index);
    if (rc != SQLITE_OK)
        fail(m_db, "bind");
    return *this;
}

Statement &Statement::bindBlob(int index, std::string_view bytes)
{
    // A zero-length blob must not be bound from a null pointer, or SQLite stores NULL.
    static const char kEmpty = 0;
    if (sqlite3_bind_blob64(m_statement.get(), index, bytes.empty() ? &kEmpty : bytes.data(),
                            bytes.size(), SQLITE_TRANSIENT)
        != SQLITE_OK) {
        fail(m_db, "bind");
    }
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_statement.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    fail(m_db, sqlite3_sql(m_statement.get()));
}

void Statement::run()
{
    while (step()) {
    }
    sqlite3_reset(m_statement.get());
}

void Statement::reset()
{
    sqlite3_reset(m_statement.get());
    sqlite3_clear_bindings(m_statement.get());
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_statement.get(), column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_statement.get(), column);
}

std::string Statement::text(int column) const
{
    const void *data = sqlite3_column_blob(m_statement.get(), column);
    const int size = sqlite3_column_bytes(m_statement.get(), column);
    if (!data || size <= 0)
        return {};
    return std::string(static_cast<const char *>(data), static_cast<std::size_t>(size));
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_statement.get(), column) == SQLITE_NULL;
}

void Database::Deleter::operator()(sqlite3 *db) const noexcept
{
    if (sqlite3_close(db) != SQLITE_OK)
        std::fprintf(stderr, "lambdesk store: closing the database failed: %s\n", sqlite3_errmsg(db));
}

Database Database::open(const std::filesystem::path &path)
{
    sqlite3 *raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                   nullptr);
    Database db(raw); // owns the handle even when opening failed
    if (rc != SQLITE_OK)
        fail(raw, "open " + path.string());
    sqlite3_busy_timeout(raw, 5000);
    // WAL with synchronous=NORMAL: a committed transaction survives the process being killed
    // (SIGKILL) — only an OS crash or power loss can drop the last commits. FULL would fsync on
    // every recorded invocation, which the invoke path cannot afford.
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA foreign_keys=ON");
    return db;
}

void Database::exec(std::string_view sql)
{
    char *message = nullptr;
    const std::string statement(sql);
    if (sqlite3_exec(m_db.get(), statement.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw StoreFailure("database: " + statement.substr(0, 60) + ": " + text);
    }
}

Statement Database::prepare(std::string_view sql)
{
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &statement,
                           nullptr)
        != SQLITE_OK) {
        fail(m_db.get(), "prepare " + std::string(sql.substr(0, 60)));
    }
    return Statement(m_db.get(), statement);
}

Statement &Database::cached(const std::string &sql)
{
    auto found = m_cache.find(sql);
    if (found == m_cache.end())
        found = m_cache.emplace(sql, prepare(sql)).first;
    found->second.reset();
    return found->second;
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db.get());
}

int Database::changes() const
{
    return sqlite3_changes(m_db.get());
}

Transaction::Transaction(Database &db) : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (m_done)
        return;
    try {
        m_db.exec("ROLLBACK");
    } catch (const StoreFailure &failure) {
        std::fprintf(stderr, "lambdesk store: rollback failed: %s\n", failure.what());
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace lambdesk::engine::detail
