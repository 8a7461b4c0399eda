// TagResource, UntagResource and ListTags on /2017-03-31/tags/{ARN}.

#include "apitestsupport.h"

namespace lambdesk::engine::testing {
namespace {

using TagRoutes = ApiTest;

const std::string kArn = "arn:aws:lambda:us-east-1:000000000000:function:tagged";

std::string tagsUri(const std::string &arn)
{
    return "/2017-03-31/tags/" + httplib::detail::encode_query_param(arn);
}

TEST_F(TagRoutes, TagListAndUntag)
{
    createOrFail("tagged", {{"Tags", {{"initial", "yes"}}}});
    auto tag = m_client->Post(tagsUri(kArn), json({{"Tags", {{"team", "api"}, {"env", "dev"}}}}).dump(),
                              "application/json");
    ASSERT_TRUE(tag);
    EXPECT_EQ(tag->status, 204) << tag->body;

    auto list = m_client->Get(tagsUri(kArn));
    ASSERT_TRUE(list);
    ASSERT_EQ(list->status, 200) << list->body;
    EXPECT_EQ(parseBody(list)["Tags"], json({{"initial", "yes"}, {"team", "api"}, {"env", "dev"}}));

    auto untag = m_client->Delete(tagsUri(kArn) + "?tagKeys=team&tagKeys=initial");
    ASSERT_TRUE(untag);
    EXPECT_EQ(untag->status, 204) << untag->body;
    auto after = m_client->Get(tagsUri(kArn));
    ASSERT_TRUE(after);
    EXPECT_EQ(parseBody(after)["Tags"], json({{"env", "dev"}}));
}

TEST_F(TagRoutes, BadResourcesAreRejected)
{
    expectLambdaError(m_client->Get(tagsUri("not-an-arn")), 400, "ValidationException");
    expectLambdaError(m_client->Get(tagsUri("arn:aws:lambda:us-east-1:000000000000:function:nope")),
                      404, "ResourceNotFoundException");
    createOrFail("tagged");
    expectLambdaError(m_client->Post(tagsUri(kArn), "{}", "application/json"), 400,
                      "ValidationException");
    expectLambdaError(m_client->Delete(tagsUri(kArn)), 400, "ValidationException");
}

} // namespace
} // namespace lambdesk::engine::testing
