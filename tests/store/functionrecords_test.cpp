// Invocation records, saved test events, drafts.
#include "storetestutil.h"

#include "store/functionstore.h"

#include <chrono>
#include <sqlite3.h>

using namespace lambdesk::engine;
using lambdesk::engine::test::pythonZip;
using lambdesk::engine::test::TempDir;

namespace {

class FunctionRecords : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = FunctionStore::open({m_dir.path()});
        ASSERT_TRUE(opened) << opened.error().message;
        m_store = std::move(*opened);
        FunctionConfig config;
        config.name = "orders";
        config.runtime = "nodejs20.x";
        config.handler = "index.handler";
        ASSERT_TRUE(m_store->create(config, pythonZip()));
    }

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

    static double msSince(std::chrono::steady_clock::time_point start)
    {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }

    TempDir m_dir;
    std::unique_ptr<FunctionStore> m_store;
};

} // namespace

TEST_F(FunctionRecords, RecordsAndFiltersInvocations)
{
    for (int n = 0; n < 30; ++n)
        ASSERT_TRUE(m_store->recordInvocation(record(n % 2 ? "orders" : "other", 1000 + n * 10, n)));

    const auto all = m_store->listInvocations({});
    ASSERT_EQ(all.size(), 30u);
    EXPECT_EQ(all.front().requestId, "req-0");
    EXPECT_EQ(all.back().requestId, "req-29");
    EXPECT_TRUE(all.front().log.empty()); // logs only when asked

    const auto orders = m_store->listInvocations({"orders", 0, 0, 0, true});
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
    EXPECT_TRUE(m_store->listInvocations({"other", 0, 0, 0, false})[0].coldStart); // req-0
    EXPECT_FALSE(m_store->listInvocations({"other", 0, 0, 0, false})[0].restored);

    // since inclusive, until exclusive
    const auto window = m_store->listInvocations({"", 1050, 1100, 0, false});
    ASSERT_EQ(window.size(), 5u);
    EXPECT_EQ(window.front().startTimeMs, 1050);
    EXPECT_EQ(window.back().startTimeMs, 1090);

    // limit keeps the newest, still oldest first
    const auto newest = m_store->listInvocations({"orders", 0, 0, 3, false});
    ASSERT_EQ(newest.size(), 3u);
    EXPECT_EQ(newest[0].requestId, "req-25");
    EXPECT_EQ(newest[2].requestId, "req-29");

    // Records outlive their function, like CloudWatch logs.
    ASSERT_TRUE(m_store->remove("orders"));
    EXPECT_EQ(m_store->listInvocations({"orders", 0, 0, 0, false}).size(), 15u);
}

// A SnapStart restore stays one across restarts, also in a data dir from before that was kept.
TEST_F(FunctionRecords, KeepsRestoresAcrossASchemaUpgrade)
{
    InvocationRecord restoredStart = record("orders", 2000, 10);
    restoredStart.restored = true;
    ASSERT_TRUE(m_store->recordInvocation(restoredStart));
    m_store.reset();
    {
        // Back to schema 1: the table without the column.
        sqlite3 *db = nullptr;
        ASSERT_EQ(sqlite3_open((m_dir.path() / "lambdesk.db").c_str(), &db), SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(db, "ALTER TABLE invocations DROP COLUMN restored; PRAGMA user_version = 1;",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK)
            << sqlite3_errmsg(db);
        sqlite3_close(db);
    }
    auto reopened = FunctionStore::open({m_dir.path()});
    ASSERT_TRUE(reopened) << reopened.error().message;
    m_store = std::move(*reopened);
    ASSERT_TRUE(m_store->recordInvocation(restoredStart));
    const auto records = m_store->listInvocations({"orders", 0, 0, 0, false});
    ASSERT_EQ(records.size(), 2u);
    EXPECT_FALSE(records[0].restored) << "kept from schema 1, which did not know";
    EXPECT_TRUE(records[1].restored);
}

TEST_F(FunctionRecords, ListsHundredThousandRecordsQuickly)
{
    constexpr int kCount = 100'000;
    auto start = std::chrono::steady_clock::now();
    for (int n = 0; n < kCount; ++n)
        ASSERT_TRUE(m_store->recordInvocation(record(n % 4 ? "orders" : "other", 1'700'000'000'000 + n, n)));
    const double insertMs = msSince(start);

    start = std::chrono::steady_clock::now();
    const auto all = m_store->listInvocations({});
    const double allMs = msSince(start);
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kCount));

    start = std::chrono::steady_clock::now();
    const auto orders = m_store->listInvocations({"orders", 0, 0, 0, false});
    const double ordersMs = msSince(start);
    EXPECT_EQ(orders.size(), static_cast<std::size_t>(kCount * 3 / 4));

    start = std::chrono::steady_clock::now();
    const auto lastHundred = m_store->listInvocations({"orders", 0, 0, 100, false});
    const double lastMs = msSince(start);
    ASSERT_EQ(lastHundred.size(), 100u);
    EXPECT_EQ(lastHundred.back().requestId, "req-99999");

    std::printf("100k records: insert %.0f ms (%.1f us each), list all %.1f ms, list one function "
                "(75k) %.1f ms, newest 100 %.2f ms\n",
                insertMs, insertMs * 1000 / kCount, allMs, ordersMs, lastMs);
    // A generous bound that only a missing index or reading every log would break.
    EXPECT_LT(ordersMs, 10'000.0);
}

TEST_F(FunctionRecords, TestEventsMaxTenReplaceByName)
{
    for (int n = 0; n < 10; ++n)
        ASSERT_TRUE(m_store->saveTestEvent("orders", {"event" + std::to_string(n), "{}", false}));
    const auto eleventh = m_store->saveTestEvent("orders", {"event10", "{}", false});
    ASSERT_FALSE(eleventh);
    EXPECT_EQ(eleventh.error().code, ErrorCode::InvalidParameter);

    // Saving under an existing name replaces it and does not count.
    ASSERT_TRUE(m_store->saveTestEvent("orders", {"event3", R"({"id": 3})", true}));
    auto events = m_store->listTestEvents("orders");
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 10u);
    EXPECT_EQ((*events)[3].name, "event3");
    EXPECT_EQ((*events)[3].json, R"({"id": 3})");
    EXPECT_TRUE((*events)[3].shareable);

    ASSERT_TRUE(m_store->deleteTestEvent("orders", "event0"));
    EXPECT_EQ(m_store->deleteTestEvent("orders", "event0").error().code, ErrorCode::NotFound);
    EXPECT_TRUE(m_store->saveTestEvent("orders", {"event10", "{}", false}));

    EXPECT_EQ(m_store->saveTestEvent("orders", {"bad name!", "{}", false}).error().code,
              ErrorCode::InvalidParameter);
    EXPECT_EQ(m_store->saveTestEvent("orders", {"broken", "{not json", false}).error().code,
              ErrorCode::InvalidParameter);
    EXPECT_EQ(m_store->saveTestEvent("missing", {"e", "{}", false}).error().code, ErrorCode::NotFound);
    EXPECT_EQ(m_store->listTestEvents("missing").error().code, ErrorCode::NotFound);
}

TEST_F(FunctionRecords, DraftsHoldAFileSet)
{
    auto empty = m_store->loadDraft("orders");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());

    const std::string binary("\0\x01\xff", 3);
    ASSERT_TRUE(m_store->saveDraft("orders", {{"index.js", "exports.handler = 1;", false},
                                              {"bin/tool", binary, true}}));
    auto draft = m_store->loadDraft("orders");
    ASSERT_TRUE(draft);
    ASSERT_EQ(draft->size(), 2u);
    EXPECT_EQ((*draft)[0].path, "bin/tool");
    EXPECT_EQ((*draft)[0].content, binary);
    EXPECT_TRUE((*draft)[0].executable);

    // A new save replaces the whole set.
    ASSERT_TRUE(m_store->saveDraft("orders", {{"index.js", "v2", false}}));
    ASSERT_EQ(m_store->loadDraft("orders")->size(), 1u);
    EXPECT_EQ(m_store->saveDraft("orders", {{"../x", "", false}}).error().code,
              ErrorCode::InvalidParameter);

    ASSERT_TRUE(m_store->discardDraft("orders"));
    EXPECT_TRUE(m_store->loadDraft("orders")->empty());
    EXPECT_EQ(m_store->loadDraft("missing").error().code, ErrorCode::NotFound);
}

TEST_F(FunctionRecords, DeletingAFunctionDropsItsEventsAndDraft)
{
    ASSERT_TRUE(m_store->saveTestEvent("orders", {"e1", "{}", false}));
    ASSERT_TRUE(m_store->saveDraft("orders", {{"index.js", "x", false}}));
    ASSERT_TRUE(m_store->remove("orders"));
    FunctionConfig config;
    config.name = "orders";
    config.runtime = "nodejs20.x";
    config.handler = "index.handler";
    ASSERT_TRUE(m_store->create(config, pythonZip()));
    EXPECT_TRUE(m_store->listTestEvents("orders")->empty());
    EXPECT_TRUE(m_store->loadDraft("orders")->empty());
}
