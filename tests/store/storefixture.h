#pragma once
// A store in a temporary data dir holding one function, "orders", for the tests of the parts
// of the data dir that belong to a function.

#include "storetestutil.h"

#include "store/functionstore.h"

#include <sqlite3.h>

#include <memory>

namespace lambdesk::engine::test {

class StoreWithFunction : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = FunctionStore::open({m_dir.path()});
        ASSERT_TRUE(opened) << opened.error().message;
        m_store = std::move(*opened);
        ASSERT_TRUE(m_store->create(ordersConfig(), pythonZip()));
    }

    static FunctionConfig ordersConfig()
    {
        FunctionConfig config;
        config.name = "orders";
        config.runtime = "nodejs20.x";
        config.handler = "index.handler";
        return config;
    }

    // Closes the store, runs `sql` on its database (an older schema, say), and opens it again.
    void reopen(const char *sql = nullptr)
    {
        m_store.reset();
        if (sql) {
            sqlite3 *db = nullptr;
            ASSERT_EQ(sqlite3_open((m_dir.path() / "lambdesk.db").c_str(), &db), SQLITE_OK);
            EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK)
                << sqlite3_errmsg(db);
            sqlite3_close(db);
        }
        auto reopened = FunctionStore::open({m_dir.path()});
        ASSERT_TRUE(reopened) << reopened.error().message;
        m_store = std::move(*reopened);
    }

    TempDir m_dir;
    std::unique_ptr<FunctionStore> m_store;
};

} // namespace lambdesk::engine::test
