// PublishVersion and ListVersionsByFunction.

#include "apitestsupport.h"

namespace lambdesk::engine::testing {
namespace {

using VersionRoutes = ApiTest;

TEST_F(VersionRoutes, PublishVersionAnswers201WithTheVersion)
{
    const json created = createOrFail("pub");
    auto res = m_client->Post("/2015-03-31/functions/pub/versions",
                              json({{"Description", "first"}}).dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    const json version = parseBody(res);
    EXPECT_EQ(version["Version"], "1");
    EXPECT_EQ(version["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:pub:1");
    EXPECT_EQ(version["CodeSha256"], created["CodeSha256"]);

    expectLambdaError(m_client->Post("/2015-03-31/functions/pub/versions",
                                     json({{"CodeSha256", "not-the-sha"}}).dump(),
                                     "application/json"),
                      400, "InvalidParameterValueException");
    expectLambdaError(m_client->Post("/2015-03-31/functions/pub/versions",
                                     json({{"RevisionId", "stale"}}).dump(), "application/json"),
                      412, "PreconditionFailedException");
    expectLambdaError(m_client->Post("/2015-03-31/functions/nobody/versions", "", "application/json"),
                      404, "ResourceNotFoundException");
}

TEST_F(VersionRoutes, ListVersionsStartsWithLatestAndPaginates)
{
    createOrFail("many", {{"Publish", true}});
    const std::string zip = makeZip({{"lambda_function.py", std::string(kEchoHandler) + "# 2\n"}});
    auto update = m_client->Put("/2015-03-31/functions/many/code",
                                json({{"ZipFile", base64(zip)}, {"Publish", true}}).dump(),
                                "application/json");
    ASSERT_TRUE(update && update->status == 200) << (update ? update->body : "no response");

    auto all = m_client->Get("/2015-03-31/functions/many/versions");
    ASSERT_TRUE(all);
    ASSERT_EQ(all->status, 200) << all->body;
    const json versions = parseBody(all)["Versions"];
    ASSERT_EQ(versions.size(), 3u) << versions.dump();
    EXPECT_EQ(versions[0]["Version"], "$LATEST");
    EXPECT_EQ(versions[0]["FunctionArn"],
              "arn:aws:lambda:us-east-1:000000000000:function:many:$LATEST");
    EXPECT_EQ(versions[1]["Version"], "1");
    EXPECT_EQ(versions[2]["Version"], "2");

    auto first = m_client->Get("/2015-03-31/functions/many/versions?MaxItems=2");
    ASSERT_TRUE(first);
    const json page = parseBody(first);
    ASSERT_EQ(page["Versions"].size(), 2u);
    ASSERT_TRUE(page.contains("NextMarker"));
    auto second = m_client->Get("/2015-03-31/functions/many/versions?MaxItems=2&Marker="
                                + httplib::detail::encode_query_param(page["NextMarker"]));
    ASSERT_TRUE(second);
    const json rest = parseBody(second);
    ASSERT_EQ(rest["Versions"].size(), 1u) << rest.dump();
    EXPECT_EQ(rest["Versions"][0]["Version"], "2");
    EXPECT_FALSE(rest.contains("NextMarker"));
}

TEST_F(VersionRoutes, SnapStartIsOnForPublishedVersionsOnly)
{
    const json created = createOrFail("snap", {{"SnapStart", {{"ApplyOn", "PublishedVersions"}}}});
    EXPECT_EQ(created["SnapStart"], json({{"ApplyOn", "PublishedVersions"}, {"OptimizationStatus", "Off"}}));
    auto published = m_client->Post("/2015-03-31/functions/snap/versions", "{}", "application/json");
    ASSERT_TRUE(published && published->status == 201) << (published ? published->body : "no response");
    EXPECT_EQ(parseBody(published)["SnapStart"],
              json({{"ApplyOn", "PublishedVersions"}, {"OptimizationStatus", "On"}}));

    // Turning it off for $LATEST leaves the published version as it was.
    auto off = m_client->Put("/2015-03-31/functions/snap/configuration",
                             json({{"SnapStart", {{"ApplyOn", "None"}}}}).dump(), "application/json");
    ASSERT_TRUE(off && off->status == 200) << (off ? off->body : "no response");
    EXPECT_EQ(parseBody(off)["SnapStart"]["ApplyOn"], "None");
    auto version = m_client->Get("/2015-03-31/functions/snap/configuration?Qualifier=1");
    ASSERT_TRUE(version && version->status == 200) << (version ? version->body : "no response");
    EXPECT_EQ(parseBody(version)["SnapStart"]["OptimizationStatus"], "On");

    expectLambdaError(m_client->Put("/2015-03-31/functions/snap/configuration",
                                    json({{"SnapStart", {{"ApplyOn", "Always"}}}}).dump(), "application/json"),
                      400, "InvalidParameterValueException");
}

} // namespace
} // namespace lambdesk::engine::testing
