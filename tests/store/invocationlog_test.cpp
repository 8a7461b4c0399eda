// The invocation log: records, filters and limits, logs kept apart, restores across a schema
// upgrade, and 100k records listed through the index.
#include "storefixture.h"

#include "store/invocationlog.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace lambdesk::engine;
using lambdesk::engine::test::pythonZip;

namespace {

class InvocationLogTest : public test::StoreWithFunction {
protected:
    InvocationLog &log() { return m_store->invocations(); }

    static InvocationRecord record(const std::string &function, std::int64_t startMs, int n)
    {
        InvocationRecord r;
        r.requestId = "req-" + std::to_string(n);
        r.functionName = function;
        r.version = n % 2 ? "$LATEST" : "3";
        r.startTimeMs = startMs;
        r.initDurationMs = n % 10 == 0 ? 123.25 : 0;
        r.durationMs = 1.5 + n;
        r.billedDurationMs = 2 + n;
        r.memorySizeMb = 128;
        r.maxMemoryUsedMb = 40 + n % 7;
        r.coldStart = n % 10 == 0;
        r.status = n % 3 == 0 ? InvocationStatus::FunctionError : InvocationStatus::Succeeded;
        r.errorType = n % 3 == 0 ? "Runtime.ExitError" : "";
        r.sandbox = "process";
        r.log = "START RequestId: req-" + std::to_string(n) + "\nEND\nREPORT ...\n";
        return r;
    }

    // Closes the store, runs sql on its database (to make it look older), opens it again.
    void rewriteDatabase(const char *sql) { reopen(sql); }

    static double msSince(std::chrono::steady_clock::time_point start)
    {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count();
    }
};

} // namespace

TEST_F(InvocationLogTest, RecordsAndFiltersInvocations)
{
    for (int n = 0; n < 30; ++n)
        ASSERT_TRUE(log().record(record(n % 2 ? "orders" : "other", 1000 + n * 10, n)));

    const auto all = log().list({});
    ASSERT_EQ(all.size(), 30u);
    EXPECT_EQ(all.front().requestId, "req-0");
    EXPECT_EQ(all.back().requestId, "req-29");
    EXPECT_TRUE(all.front().log.empty()); // logs only when asked

    const auto orders = log().list({"orders", 0, 0, 0, true, {}, {}});
    ASSERT_EQ(orders.size(), 15u);
    const InvocationRecord &first = orders.front();
    EXPECT_EQ(first.requestId, "req-1");
    EXPECT_EQ(first.functionName, "orders");
    EXPECT_EQ(first.version, "$LATEST");
    EXPECT_EQ(first.startTimeMs, 1010);
    EXPECT_DOUBLE_EQ(first.durationMs, 2.5);
    EXPECT_EQ(first.billedDurationMs, 3);
    EXPECT_EQ(first.maxMemoryUsedMb, 41);
    EXPECT_EQ(first.sandbox, "process");
    EXPECT_EQ(first.invocationType, "RequestResponse");
    EXPECT_EQ(first.log, "START RequestId: req-1\nEND\nREPORT ...\n");
    EXPECT_EQ(orders[1].status, InvocationStatus::FunctionError); // req-3
    EXPECT_EQ(orders[1].errorType, "Runtime.ExitError");
    EXPECT_TRUE(log().list({"other", 0, 0, 0, false, {}, {}})[0].coldStart); // req-0
    EXPECT_FALSE(log().list({"other", 0, 0, 0, false, {}, {}})[0].restored);

    // since inclusive, until exclusive
    const auto window = log().list({"", 1050, 1100, 0, false, {}, {}});
    ASSERT_EQ(window.size(), 5u);
    EXPECT_EQ(window.front().startTimeMs, 1050);
    EXPECT_EQ(window.back().startTimeMs, 1090);

    // limit keeps the newest, still oldest first
    const auto newest = log().list({"orders", 0, 0, 3, false, {}, {}});
    ASSERT_EQ(newest.size(), 3u);
    EXPECT_EQ(newest[0].requestId, "req-25");
    EXPECT_EQ(newest[2].requestId, "req-29");

    // Records outlive their function, like CloudWatch logs.
    ASSERT_TRUE(m_store->remove("orders"));
    EXPECT_EQ(log().list({"orders", 0, 0, 0, false, {}, {}}).size(), 15u);
}

// A SnapStart restore stays one across restarts, also in a data dir from before that was kept.
TEST_F(InvocationLogTest, KeepsRestoresAcrossASchemaUpgrade)
{
    InvocationRecord restoredStart = record("orders", 2000, 10);
    restoredStart.restored = true;
    ASSERT_TRUE(log().record(restoredStart));
    // Back to schema 1: the table without the columns.
    rewriteDatabase("ALTER TABLE invocations DROP COLUMN restored; "
                    "ALTER TABLE invocations DROP COLUMN alias; "
                    "ALTER TABLE invocations DROP COLUMN source; PRAGMA user_version = 1;");
    ASSERT_TRUE(log().record(restoredStart));
    const auto records = log().list({"orders", 0, 0, 0, false, {}, {}});
    ASSERT_EQ(records.size(), 2u);
    EXPECT_FALSE(records[0].restored) << "kept from schema 1, which did not know";
    EXPECT_TRUE(records[1].restored);
}

// The Monitor's filter: the version that ran, the alias invoked through; a data dir from schema
// 3 gains the column, its records with no alias.
TEST_F(InvocationLogTest, FiltersByVersionAndAliasAcrossASchemaUpgrade)
{
    ASSERT_TRUE(log().record(record("orders", 1000, 1))); // $LATEST
    rewriteDatabase("ALTER TABLE invocations DROP COLUMN alias; "
                    "ALTER TABLE invocations DROP COLUMN source; PRAGMA user_version = 3;");
    InvocationRecord viaLive = record("orders", 1010, 2); // version 3
    viaLive.alias = "live";
    ASSERT_TRUE(log().record(viaLive));
    ASSERT_TRUE(log().record(record("orders", 1020, 4))); // version 3, no alias

    InvocationQuery query;
    query.functionName = "orders";
    EXPECT_EQ(log().list(query).size(), 3U);
    EXPECT_EQ(log().list(query).front().alias, "");
    query.alias = "live";
    const auto live = log().list(query);
    ASSERT_EQ(live.size(), 1U);
    EXPECT_EQ(live[0].requestId, "req-2");
    EXPECT_EQ(live[0].alias, "live");
    query.alias.clear();
    query.version = "3";
    EXPECT_EQ(log().list(query).size(), 2U);
    query.version = "$LATEST";
    query.withLogs = true;
    query.limit = 5;
    ASSERT_EQ(log().list(query).size(), 1U);
    EXPECT_EQ(log().list(query)[0].log, "START RequestId: req-1\nEND\nREPORT ...\n");
}

// The Monitor's source label (URL, schedule, ...); a data dir from schema 6 gains the column.
TEST_F(InvocationLogTest, KeepsTheSourceAcrossASchemaUpgrade)
{
    ASSERT_TRUE(log().record(record("orders", 1000, 1)));
    rewriteDatabase("ALTER TABLE invocations DROP COLUMN source; PRAGMA user_version = 6;");
    InvocationRecord scheduled = record("orders", 1010, 2);
    scheduled.source = kInvocationSourceSchedule;
    ASSERT_TRUE(log().record(scheduled));
    const auto records = log().list({"orders", 0, 0, 0, false, {}, {}});
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0].source, "");
    EXPECT_EQ(records[1].source, "schedule");
}

TEST_F(InvocationLogTest, ListsHundredThousandRecordsQuickly)
{
    constexpr int kCount = 100'000;
    auto start = std::chrono::steady_clock::now();
    for (int n = 0; n < kCount; ++n)
        ASSERT_TRUE(log().record(record(n % 4 ? "orders" : "other", 1'700'000'000'000 + n, n)));
    const double insertMs = msSince(start);

    start = std::chrono::steady_clock::now();
    const auto all = log().list({});
    const double allMs = msSince(start);
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kCount));

    start = std::chrono::steady_clock::now();
    const auto orders = log().list({"orders", 0, 0, 0, false, {}, {}});
    const double ordersMs = msSince(start);
    EXPECT_EQ(orders.size(), static_cast<std::size_t>(kCount * 3 / 4));

    start = std::chrono::steady_clock::now();
    const auto lastHundred = log().list({"orders", 0, 0, 100, false, {}, {}});
    const double lastMs = msSince(start);
    ASSERT_EQ(lastHundred.size(), 100u);
    EXPECT_EQ(lastHundred.back().requestId, "req-99999");

    std::printf("100k records: insert %.0f ms (%.1f us each), list all %.1f ms, list one function "
                "(75k) %.1f ms, newest 100 %.2f ms\n",
                insertMs, insertMs * 1000 / kCount, allMs, ordersMs, lastMs);
    // A generous bound that only a missing index or reading every log would break.
    EXPECT_LT(ordersMs, 10'000.0);
}

// The log has a connection of its own: records written while deploys commit on the store's
// connection all land (SQLite's busy wait, not an error).
TEST_F(InvocationLogTest, RecordsWhileTheStoreDeploys)
{
    std::atomic<bool> deploying{true};
    std::thread deployer([&] {
        for (int n = 0; n < 20; ++n)
            EXPECT_TRUE(
                m_store->updateCodeZip("orders", pythonZip("v = " + std::to_string(n) + "\n")));
        deploying = false;
    });
    int recorded = 0;
    for (; deploying || recorded < 50; ++recorded)
        ASSERT_TRUE(log().record(record("orders", 5000 + recorded, recorded)));
    deployer.join();
    EXPECT_EQ(log().list({"orders", 0, 0, 0, false, {}, {}}).size(),
              static_cast<std::size_t>(recorded));
}
