#pragma once
// Thin RAII layer over SQLite: one owner for the connection and for each prepared statement.
// Failures throw detail::StoreFailure (an unexpected I/O or schema problem); the store's owners
// turn that into ServiceError at their boundary (storeguard.h). Not thread-safe by itself: each
// owner (function store, invocation log, console state) has a connection and a mutex of its own;
// SQLite's busy wait orders their writes.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace lambdesk::engine::detail {

class Statement {
public:
    Statement(sqlite3 *db, sqlite3_stmt *statement);
    Statement(Statement &&) noexcept = default;
    Statement &operator=(Statement &&) noexcept = default;

    // Parameters are 1-based, as in SQLite.
    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view text);
    Statement &bind(int index, const std::optional<int> &value);
    Statement &bindBlob(int index, std::string_view bytes);

    // true while a row is available, false when done.
    bool step();
    // Runs a statement that returns no rows, then resets it.
    void run();
    // Makes the statement ready to be bound and run again.
    void reset();

    // Columns are 0-based.
    std::int64_t int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    std::string text(int column) const; // also reads blobs, byte-exact
    bool isNull(int column) const;

private:
    struct Deleter {
        void operator()(sqlite3_stmt *statement) const noexcept;
    };
    sqlite3 *m_db; // borrowed from Database, for error messages
    std::unique_ptr<sqlite3_stmt, Deleter> m_statement;
};

class Database {
public:
    // Opens or creates the file, in WAL mode with foreign keys on.
    static Database open(const std::filesystem::path &path);

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    // A prepared statement kept for the connection's lifetime, reset and ready to bind: for the
    // statements on the invoke path (records, function lookups). Do not nest two uses of the
    // same SQL text, and reset a query once read: an unfinished one pins a WAL snapshot.
    Statement &cached(const std::string &sql);
    std::int64_t lastInsertId() const;
    int changes() const;

private:
    struct Deleter {
        void operator()(sqlite3 *db) const noexcept;
    };
    explicit Database(sqlite3 *db) : m_db(db) {}
    std::unique_ptr<sqlite3, Deleter> m_db;
    // Declared after m_db so the statements are finalised before the connection closes.
    std::unordered_map<std::string, Statement> m_cache;
};

// BEGIN IMMEDIATE on construction; rolls back unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();

private:
    Database &m_db;
    bool m_done = false;
};

} // namespace lambdesk::engine::detail
