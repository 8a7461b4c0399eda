// GetAccountSettings: Lambda's quotas and this engine's usage.

#include "apitestsupport.h"

namespace lambdesk::engine::testing {
namespace {

using AccountRoutes = ApiTest;

TEST_F(AccountRoutes, ReportsLimitsAndUsage)
{
    const json created = createOrFail("counted");
    auto put = m_client->Put("/2017-10-31/functions/counted/concurrency",
                             json({{"ReservedConcurrentExecutions", 4}}).dump(), "application/json");
    ASSERT_TRUE(put && put->status == 200);

    for (const std::string uri : {"/2016-08-19/account-settings", "/2016-08-19/account-settings/"}) {
        auto res = m_client->Get(uri);
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 200) << res->body;
        const json out = parseBody(res);
        const json &limit = out["AccountLimit"];
        EXPECT_EQ(limit["TotalCodeSize"], 80530636800LL);
        EXPECT_EQ(limit["CodeSizeUnzipped"], 262144000);
        EXPECT_EQ(limit["CodeSizeZipped"], 52428800);
        EXPECT_EQ(limit["ConcurrentExecutions"], m_engine->options().accountConcurrency);
        EXPECT_EQ(limit["UnreservedConcurrentExecutions"],
                  m_engine->options().accountConcurrency - 4);
        EXPECT_EQ(out["AccountUsage"]["FunctionCount"], 1);
        EXPECT_EQ(out["AccountUsage"]["TotalCodeSize"], created["CodeSize"]);
    }
}

TEST_F(AccountRoutes, CodeStorageCountsEveryVersionAndLayer)
{
    const json created = createOrFail("stored");
    auto published =
        m_client->Post("/2015-03-31/functions/stored/versions", "{}", "application/json");
    ASSERT_TRUE(published && published->status == 201) << (published ? published->body : "");
    const json layerBody = {
        {"Content", {{"ZipFile", base64(makeZip({{"python/shared.py", "X = 1\n"}}))}}}};
    auto layer =
        m_client->Post("/2018-10-31/layers/shared/versions", layerBody.dump(), "application/json");
    ASSERT_TRUE(layer && layer->status == 201) << (layer ? layer->body : "");

    auto res = m_client->Get("/2016-08-19/account-settings");
    ASSERT_TRUE(res && res->status == 200);
    const std::int64_t functionZip = created["CodeSize"].get<std::int64_t>();
    const std::int64_t layerZip = parseBody(layer)["Content"]["CodeSize"].get<std::int64_t>();
    // $LATEST and version 1 each hold a package, as Lambda counts them; the layer's archive too.
    EXPECT_EQ(parseBody(res)["AccountUsage"]["TotalCodeSize"].get<std::int64_t>(),
              2 * functionZip + layerZip);
}

} // namespace
} // namespace lambdesk::engine::testing
