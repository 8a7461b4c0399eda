// The SQLite layer: statements bind and read every type byte-exact, cached statements are reused
// and come back reset, transactions roll back unless committed, and failures throw StoreFailure.
#include "store/database.h"
#include "store/storeutil.h"

#include "storetestutil.h"

#include <gtest/gtest.h>

using namespace lambdesk::engine::detail;
using namespace lambdesk::engine;

namespace {

class DatabaseTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_db = std::make_unique<Database>(Database::open(m_dir.path() / "test.db"));
        m_db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, r REAL, s TEXT, b BLOB, o "
                   "INTEGER)");
    }

    int count()
    {
        Statement query = m_db->prepare("SELECT COUNT(*) FROM t");
        EXPECT_TRUE(query.step());
        return query.int32(0);
    }

    test::TempDir m_dir;
    std::unique_ptr<Database> m_db;
};

TEST_F(DatabaseTest, BindsAndReadsEveryType)
{
    const std::string blob("a\0b\xff", 4);
    m_db->prepare("INSERT INTO t (n, r, s, b, o) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(1, std::int64_t{1} << 40)
        .bind(2, 2.5)
        .bind(3, std::string_view("héllo"))
        .bindBlob(4, blob)
        .bind(5, std::optional<int>())
        .run();
    EXPECT_EQ(m_db->changes(), 1);
    EXPECT_EQ(m_db->lastInsertId(), 1);

    Statement query = m_db->prepare("SELECT n, r, s, b, o FROM t");
    ASSERT_TRUE(query.step());
    EXPECT_EQ(query.int64(0), std::int64_t{1} << 40);
    EXPECT_DOUBLE_EQ(query.real(1), 2.5);
    EXPECT_EQ(query.text(2), "héllo");
    EXPECT_EQ(query.text(3), blob) << "blobs are read byte-exact, NULs included";
    EXPECT_TRUE(query.isNull(4));
    EXPECT_FALSE(query.step());
}

TEST_F(DatabaseTest, CachedStatementsAreReusedAndComeBackReset)
{
    Statement &insert = m_db->cached("INSERT INTO t (n) VALUES (?1)");
    insert.bind(1, 1).run();
    Statement &again = m_db->cached("INSERT INTO t (n) VALUES (?1)");
    EXPECT_EQ(&insert, &again);
    again.bind(1, 2).run();
    EXPECT_EQ(count(), 2);

    Statement &query = m_db->cached("SELECT n FROM t ORDER BY n");
    ASSERT_TRUE(query.step());
    EXPECT_EQ(query.int32(0), 1);
    query.reset();
    Statement &fresh = m_db->cached("SELECT n FROM t ORDER BY n");
    ASSERT_TRUE(fresh.step());
    EXPECT_EQ(fresh.int32(0), 1) << "a cached query starts from its first row";
    fresh.reset();
}

TEST_F(DatabaseTest, TransactionsRollBackUnlessCommitted)
{
    {
        Transaction transaction(*m_db);
        m_db->exec("INSERT INTO t (n) VALUES (1)");
    }
    EXPECT_EQ(count(), 0);
    {
        Transaction transaction(*m_db);
        m_db->exec("INSERT INTO t (n) VALUES (1)");
        transaction.commit();
    }
    EXPECT_EQ(count(), 1);
}

TEST_F(DatabaseTest, DataSurvivesReopening)
{
    m_db->exec("INSERT INTO t (s) VALUES ('kept')");
    m_db.reset();
    Database reopened = Database::open(m_dir.path() / "test.db");
    Statement query = reopened.prepare("SELECT s FROM t");
    ASSERT_TRUE(query.step());
    EXPECT_EQ(query.text(0), "kept");
}

TEST_F(DatabaseTest, FailuresThrowStoreFailure)
{
    EXPECT_THROW(m_db->exec("NOT SQL"), StoreFailure);
    EXPECT_THROW(m_db->prepare("SELECT * FROM missing"), StoreFailure);
    m_db->exec("CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT UNIQUE)");
    m_db->exec("INSERT INTO u (name) VALUES ('a')");
    EXPECT_THROW(m_db->exec("INSERT INTO u (name) VALUES ('a')"), StoreFailure);
    EXPECT_THROW(Database::open(m_dir.path() / "no" / "such" / "dir" / "x.db"), StoreFailure);
}

} // namespace
