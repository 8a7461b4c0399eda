// The console's own state beside a function: saved test events (at most ten) and drafts, which
// go with the function when it is deleted.
#include "storefixture.h"

#include "store/consolestate.h"

using namespace lambdesk::engine;
using lambdesk::engine::test::pythonZip;

namespace {

class ConsoleStateTest : public test::StoreWithFunction {
protected:
    ConsoleState &console() { return m_store->consoleState(); }
};

} // namespace

TEST_F(ConsoleStateTest, TestEventsMaxTenReplaceByName)
{
    for (int n = 0; n < 10; ++n)
        ASSERT_TRUE(console().saveTestEvent("orders", {"event" + std::to_string(n), "{}", false}));
    const auto eleventh = console().saveTestEvent("orders", {"event10", "{}", false});
    ASSERT_FALSE(eleventh);
    EXPECT_EQ(eleventh.error().code, ErrorCode::InvalidParameter);

    // Saving under an existing name replaces it and does not count.
    ASSERT_TRUE(console().saveTestEvent("orders", {"event3", R"({"id": 3})", true}));
    auto events = console().listTestEvents("orders");
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 10u);
    EXPECT_EQ((*events)[3].name, "event3");
    EXPECT_EQ((*events)[3].json, R"({"id": 3})");
    EXPECT_TRUE((*events)[3].shareable);

    ASSERT_TRUE(console().deleteTestEvent("orders", "event0"));
    EXPECT_EQ(console().deleteTestEvent("orders", "event0").error().code, ErrorCode::NotFound);
    EXPECT_TRUE(console().saveTestEvent("orders", {"event10", "{}", false}));

    EXPECT_EQ(console().saveTestEvent("orders", {"bad name!", "{}", false}).error().code,
              ErrorCode::InvalidParameter);
    EXPECT_EQ(console().saveTestEvent("orders", {"broken", "{not json", false}).error().code,
              ErrorCode::InvalidParameter);
    EXPECT_EQ(console().saveTestEvent("missing", {"e", "{}", false}).error().code,
              ErrorCode::NotFound);
    EXPECT_EQ(console().listTestEvents("missing").error().code, ErrorCode::NotFound);
}

TEST_F(ConsoleStateTest, DraftsHoldAFileSet)
{
    auto empty = console().loadDraft("orders");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());

    const std::string binary("\0\x01\xff", 3);
    ASSERT_TRUE(console().saveDraft(
        "orders", {{"index.js", "exports.handler = 1;", false}, {"bin/tool", binary, true}}));
    auto draft = console().loadDraft("orders");
    ASSERT_TRUE(draft);
    ASSERT_EQ(draft->size(), 2u);
    EXPECT_EQ((*draft)[0].path, "bin/tool");
    EXPECT_EQ((*draft)[0].content, binary);
    EXPECT_TRUE((*draft)[0].executable);

    // A new save replaces the whole set.
    ASSERT_TRUE(console().saveDraft("orders", {{"index.js", "v2", false}}));
    ASSERT_EQ(console().loadDraft("orders")->size(), 1u);
    EXPECT_EQ(console().saveDraft("orders", {{"../x", "", false}}).error().code,
              ErrorCode::InvalidParameter);

    ASSERT_TRUE(console().discardDraft("orders"));
    EXPECT_TRUE(console().loadDraft("orders")->empty());
    EXPECT_EQ(console().loadDraft("missing").error().code, ErrorCode::NotFound);
}

TEST_F(ConsoleStateTest, DeletingAFunctionDropsItsEventsAndDraft)
{
    ASSERT_TRUE(console().saveTestEvent("orders", {"e1", "{}", false}));
    ASSERT_TRUE(console().saveDraft("orders", {{"index.js", "x", false}}));
    ASSERT_TRUE(m_store->remove("orders"));
    ASSERT_TRUE(m_store->create(ordersConfig(), pythonZip()));
    EXPECT_TRUE(console().listTestEvents("orders")->empty());
    EXPECT_TRUE(console().loadDraft("orders")->empty());
}
