// PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency.

#include "apitestsupport.h"

namespace lambdesk::engine::testing {
namespace {

using ConcurrencyRoutes = ApiTest;

TEST_F(ConcurrencyRoutes, PutGetDelete)
{
    createOrFail("limited");
    auto none = m_client->Get("/2019-09-30/functions/limited/concurrency");
    ASSERT_TRUE(none);
    ASSERT_EQ(none->status, 200) << none->body;
    EXPECT_EQ(parseBody(none), json::object());

    auto put = m_client->Put("/2017-10-31/functions/limited/concurrency",
                             json({{"ReservedConcurrentExecutions", 5}}).dump(), "application/json");
    ASSERT_TRUE(put);
    ASSERT_EQ(put->status, 200) << put->body;
    EXPECT_EQ(parseBody(put), json({{"ReservedConcurrentExecutions", 5}}));

    auto get = m_client->Get("/2019-09-30/functions/limited/concurrency");
    ASSERT_TRUE(get);
    EXPECT_EQ(parseBody(get), json({{"ReservedConcurrentExecutions", 5}}));

    auto removed = m_client->Delete("/2017-10-31/functions/limited/concurrency");
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->status, 204) << removed->body;
    auto after = m_client->Get("/2019-09-30/functions/limited/concurrency");
    ASSERT_TRUE(after);
    EXPECT_EQ(parseBody(after), json::object());
}

TEST_F(ConcurrencyRoutes, RejectsBadValuesAndUnknownFunctions)
{
    createOrFail("limited");
    expectLambdaError(m_client->Put("/2017-10-31/functions/limited/concurrency", "{}",
                                    "application/json"),
                      400, "ValidationException");
    expectLambdaError(m_client->Put("/2017-10-31/functions/limited/concurrency",
                                    json({{"ReservedConcurrentExecutions", -1}}).dump(),
                                    "application/json"),
                      400, "ValidationException");
    expectLambdaError(m_client->Put("/2017-10-31/functions/ghost/concurrency",
                                    json({{"ReservedConcurrentExecutions", 1}}).dump(),
                                    "application/json"),
                      404, "ResourceNotFoundException");
    expectLambdaError(m_client->Get("/2019-09-30/functions/ghost/concurrency"), 404,
                      "ResourceNotFoundException");
}

} // namespace
} // namespace lambdesk::engine::testing
