// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction,
// UpdateFunctionCode, UpdateFunctionConfiguration and the code.zip download, called as a client
// would, checking the model's field names (service-2.json FunctionConfiguration et al.).

#include "apitestsupport.h"

#include <openssl/sha.h>

namespace lambdesk::engine::testing {
namespace {

using FunctionRoutes = ApiTest;

std::string sha256Base64(const std::string &bytes)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size(), digest);
    return base64(std::string(reinterpret_cast<const char *>(digest), sizeof digest));
}

TEST_F(FunctionRoutes, CreateAnswers201WithTheModelsFieldNames)
{
    const std::string zip = makeZip({{"lambda_function.py", kEchoHandler}});
    const json body = {
        {"FunctionName", "fields"},
        {"Runtime", "python3.11"},
        {"Role", "arn:aws:iam::000000000000:role/custom"},
        {"Handler", "lambda_function.handler"},
        {"Description", "field names"},
        {"Timeout", 7},
        {"MemorySize", 256},
        {"Environment", {{"Variables", {{"GREETING", "hi"}}}}},
        {"EphemeralStorage", {{"Size", 1024}}},
        {"Architectures", {"x86_64"}},
        {"Tags", {{"team", "api"}}},
        {"Code", {{"ZipFile", base64(zip)}}},
    };
    auto res = m_client->Post(kFunctionsUri, body.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    const json config = parseBody(res);
    EXPECT_EQ(config["FunctionName"], "fields");
    EXPECT_EQ(config["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:fields");
    EXPECT_EQ(config["Runtime"], "python3.11");
    EXPECT_EQ(config["Role"], "arn:aws:iam::000000000000:role/custom");
    EXPECT_EQ(config["Handler"], "lambda_function.handler");
    EXPECT_EQ(config["Description"], "field names");
    EXPECT_EQ(config["Timeout"], 7);
    EXPECT_EQ(config["MemorySize"], 256);
    EXPECT_EQ(config["CodeSize"], zip.size());
    EXPECT_EQ(config["CodeSha256"], sha256Base64(zip));
    EXPECT_EQ(config["Version"], "$LATEST");
    EXPECT_EQ(config["Environment"]["Variables"]["GREETING"], "hi");
    EXPECT_EQ(config["EphemeralStorage"]["Size"], 1024);
    EXPECT_EQ(config["Architectures"], json::array({"x86_64"}));
    EXPECT_EQ(config["PackageType"], "Zip");
    EXPECT_EQ(config["TracingConfig"]["Mode"], "PassThrough");
    EXPECT_EQ(config["LoggingConfig"]["LogFormat"], "Text");
    EXPECT_EQ(config["LoggingConfig"]["LogGroup"], "/aws/lambda/fields");
    EXPECT_EQ(config["SnapStart"]["ApplyOn"], "None");
    EXPECT_EQ(config["SnapStart"]["OptimizationStatus"], "Off");
    EXPECT_TRUE(config["RuntimeVersionConfig"].contains("RuntimeVersionArn"));
    EXPECT_TRUE(isUuid(config.value("RevisionId", ""))) << config.dump();
    EXPECT_EQ(config["State"], "Active");
    EXPECT_EQ(config["LastUpdateStatus"], "Successful");
    EXPECT_TRUE(std::regex_match(config.value("LastModified", ""),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000)")))
        << config.dump();
}

TEST_F(FunctionRoutes, GetFunctionHasConfigurationCodeTagsAndConcurrency)
{
    createOrFail("getme", {{"Tags", {{"owner", "tests"}}}});
    auto put = m_client->Put("/2017-10-31/functions/getme/concurrency",
                             json({{"ReservedConcurrentExecutions", 3}}).dump(), "application/json");
    ASSERT_TRUE(put && put->status == 200);

    auto res = m_client->Get("/2015-03-31/functions/getme");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json out = parseBody(res);
    EXPECT_EQ(out["Configuration"]["FunctionName"], "getme");
    EXPECT_EQ(out["Code"]["RepositoryType"], "S3");
    EXPECT_EQ(out["Tags"]["owner"], "tests");
    EXPECT_EQ(out["Concurrency"]["ReservedConcurrentExecutions"], 3);

    // Code.Location is a URL on this server that serves the deployment package.
    const std::string location = out["Code"]["Location"];
    const std::string prefix = "http://127.0.0.1:" + std::to_string(m_port);
    ASSERT_EQ(location.rfind(prefix, 0), 0u) << location;
    auto zip = m_client->Get(location.substr(prefix.size()));
    ASSERT_TRUE(zip);
    ASSERT_EQ(zip->status, 200) << zip->body;
    EXPECT_EQ(zip->get_header_value("Content-Type"), "application/zip");
    EXPECT_EQ(readZip(zip->body)["lambda_function.py"], kEchoHandler);
}

TEST_F(FunctionRoutes, GetFunctionConfigurationAcceptsNamesAndArns)
{
    createOrFail("arned");
    for (const std::string name :
         {"arned", "arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Aarned",
          "000000000000%3Afunction%3Aarned", "arned%3A%24LATEST"}) {
        auto res = m_client->Get("/2015-03-31/functions/" + name + "/configuration");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200) << name << ": " << res->body;
        EXPECT_EQ(parseBody(res)["FunctionName"], "arned") << name;
    }
}

TEST_F(FunctionRoutes, ListFunctionsAnswersWithAndWithoutTrailingSlash)
{
    createOrFail("listed");
    for (const std::string uri : {"/2015-03-31/functions", "/2015-03-31/functions/"}) {
        auto res = m_client->Get(uri);
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 200) << uri << ": " << res->body;
        const json out = parseBody(res);
        ASSERT_EQ(out["Functions"].size(), 1u) << out.dump();
        EXPECT_EQ(out["Functions"][0]["FunctionName"], "listed");
        EXPECT_FALSE(out.contains("NextMarker"));
    }
}

TEST_F(FunctionRoutes, ListFunctionsPaginatesWithMarker)
{
    for (const char *name : {"page-c", "page-a", "page-b", "page-d", "page-e"})
        createOrFail(name);
    std::vector<std::string> seen;
    std::string marker;
    int pages = 0;
    do {
        std::string uri = "/2015-03-31/functions/?MaxItems=2";
        if (!marker.empty())
            uri += "&Marker=" + httplib::detail::encode_query_param(marker);
        auto res = m_client->Get(uri);
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 200) << res->body;
        const json out = parseBody(res);
        EXPECT_LE(out["Functions"].size(), 2u);
        for (const auto &function : out["Functions"])
            seen.push_back(function["FunctionName"]);
        marker = out.value("NextMarker", "");
        ++pages;
    } while (!marker.empty() && pages < 10);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, (std::vector<std::string>{"page-a", "page-b", "page-c", "page-d", "page-e"}));

    expectLambdaError(m_client->Get("/2015-03-31/functions?MaxItems=0"), 400, "ValidationException");
    expectLambdaError(m_client->Get("/2015-03-31/functions?Marker=%21%21"), 400,
                      "InvalidParameterValueException");
}

TEST_F(FunctionRoutes, ListFunctionsAllVersionsIncludesPublishedOnes)
{
    createOrFail("versioned", {{"Publish", true}});
    auto res = m_client->Get("/2015-03-31/functions?FunctionVersion=ALL");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json functions = parseBody(res)["Functions"];
    ASSERT_EQ(functions.size(), 2u) << functions.dump();
    EXPECT_EQ(functions[0]["Version"], "$LATEST");
    EXPECT_EQ(functions[0]["FunctionArn"],
              "arn:aws:lambda:us-east-1:000000000000:function:versioned:$LATEST");
    EXPECT_EQ(functions[1]["Version"], "1");

    auto latestOnly = m_client->Get("/2015-03-31/functions");
    ASSERT_TRUE(latestOnly);
    EXPECT_EQ(parseBody(latestOnly)["Functions"].size(), 1u);
}

TEST_F(FunctionRoutes, DeleteFunctionAnswers204ThenNotFound)
{
    createOrFail("doomed");
    auto res = m_client->Delete("/2015-03-31/functions/doomed");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 204) << res->body;
    EXPECT_TRUE(isUuid(res->get_header_value("x-amzn-RequestId")));
    expectLambdaError(m_client->Get("/2015-03-31/functions/doomed"), 404,
                      "ResourceNotFoundException");
    expectLambdaError(m_client->Delete("/2015-03-31/functions/doomed"), 404,
                      "ResourceNotFoundException");
}

TEST_F(FunctionRoutes, UpdateFunctionCodeChangesShaAndRevision)
{
    const json created = createOrFail("recode");
    const std::string zip = makeZip({{"lambda_function.py", std::string(kEchoHandler) + "# v2\n"}});

    // DryRun reports the new package but changes nothing.
    const json dryRun = {{"ZipFile", base64(zip)}, {"DryRun", true}};
    auto dry = m_client->Put("/2015-03-31/functions/recode/code", dryRun.dump(), "application/json");
    ASSERT_TRUE(dry);
    ASSERT_EQ(dry->status, 200) << dry->body;
    EXPECT_EQ(parseBody(dry)["CodeSha256"], sha256Base64(zip));
    auto unchanged = m_client->Get("/2015-03-31/functions/recode/configuration");
    ASSERT_TRUE(unchanged);
    EXPECT_EQ(parseBody(unchanged)["CodeSha256"], created["CodeSha256"]);

    const json update = {{"ZipFile", base64(zip)}, {"RevisionId", created["RevisionId"]}};
    auto res = m_client->Put("/2015-03-31/functions/recode/code", update.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json updated = parseBody(res);
    EXPECT_EQ(updated["CodeSha256"], sha256Base64(zip));
    EXPECT_NE(updated["RevisionId"], created["RevisionId"]);
    EXPECT_EQ(updated["CodeSize"], zip.size());

    const json publish = {{"ZipFile", base64(zip)}, {"Publish", true}};
    auto published = m_client->Put("/2015-03-31/functions/recode/code", publish.dump(),
                                   "application/json");
    ASSERT_TRUE(published);
    ASSERT_EQ(published->status, 200) << published->body;
    EXPECT_EQ(parseBody(published)["Version"], "1");
}

TEST_F(FunctionRoutes, UpdateFunctionConfigurationChangesOnlyGivenFields)
{
    createOrFail("reconfig", {{"Description", "before"}, {"Environment", {{"Variables", {{"OLD", "1"}}}}}});
    const json patch = {{"Timeout", 30}, {"MemorySize", 512},
                        {"Environment", {{"Variables", {{"NEW", "2"}}}}}};
    auto res = m_client->Put("/2015-03-31/functions/reconfig/configuration", patch.dump(),
                             "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json config = parseBody(res);
    EXPECT_EQ(config["Timeout"], 30);
    EXPECT_EQ(config["MemorySize"], 512);
    EXPECT_EQ(config["Description"], "before");
    EXPECT_EQ(config["Environment"]["Variables"], json({{"NEW", "2"}}));
    expectLambdaError(m_client->Put("/2015-03-31/functions/reconfig/configuration",
                                    json({{"MemorySize", 64}}).dump(), "application/json"),
                      400, "InvalidParameterValueException");
}

TEST_F(FunctionRoutes, CodeZipOfMissingFunctionIsNotFound)
{
    expectLambdaError(m_client->Get("/2015-03-31/functions/ghost/code.zip"), 404,
                      "ResourceNotFoundException");
}

} // namespace
} // namespace lambdesk::engine::testing
