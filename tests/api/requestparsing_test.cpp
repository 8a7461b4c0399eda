// The API layer's request parsers, without a server: {FunctionName} with ?Qualifier=, typed body
// members, Marker/MaxItems pagination, and the one converter from Result<Reply> to a response.
// Each returns an Error for the converter; none writes a response itself.

#include "api/bodyreader.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/pagination.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <regex>
#include <string>

using namespace lambdesk::engine;
using namespace lambdesk::engine::api;
using nlohmann::json;

namespace {

// A request as the router hands it over: path matched, query parameters parsed.
std::unique_ptr<httplib::Request>
request(const std::string &path, const httplib::Params &params = {}, const std::string &body = {})
{
    auto req = std::make_unique<httplib::Request>();
    req->path = path;
    req->params = params;
    req->body = body;
    static const std::regex route("/2015-03-31/functions/([^/]+)/configuration");
    std::regex_match(req->path, req->matches, route);
    return req;
}

std::string configPath(const std::string &name)
{
    return "/2015-03-31/functions/" + name + "/configuration";
}

} // namespace

TEST(ReadFunctionRef, QualifierFromTheNameOrTheQuery)
{
    auto fromName =
        readFunctionRef(*request(configPath("fn:3")), NameShape::Plain, QualifierUse::Accepted);
    ASSERT_TRUE(fromName) << fromName.error().message;
    EXPECT_EQ(fromName->name, "fn");
    EXPECT_EQ(fromName->qualifier, "3");

    auto fromQuery = readFunctionRef(*request(configPath("fn"), {{"Qualifier", "live"}}),
                                     NameShape::Plain, QualifierUse::Accepted);
    ASSERT_TRUE(fromQuery);
    EXPECT_EQ(fromQuery->qualifier, "live");

    auto both = readFunctionRef(*request(configPath("fn:live"), {{"Qualifier", "live"}}),
                                NameShape::Plain, QualifierUse::Accepted);
    ASSERT_TRUE(both);
    EXPECT_EQ(both->qualifier, "live");
}

TEST(ReadFunctionRef, ConflictingOrMalformedQualifiersAreRefused)
{
    auto conflict = readFunctionRef(*request(configPath("fn:3"), {{"Qualifier", "4"}}),
                                    NameShape::Plain, QualifierUse::Accepted);
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error().code, ErrorCode::InvalidParameter);
    EXPECT_EQ(conflict.error().message,
              "The derived qualifier from the function name does not match the specified "
              "qualifier.");

    auto empty = readFunctionRef(*request(configPath("fn"), {{"Qualifier", ""}}), NameShape::Plain,
                                 QualifierUse::Accepted);
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, ErrorCode::Validation);
    EXPECT_NE(empty.error().message.find(
                  "at 'qualifier' failed to satisfy constraint: Member must have length "
                  "greater than or equal to 1"),
              std::string::npos);

    auto pattern = readFunctionRef(*request(configPath("fn"), {{"Qualifier", "a.b"}}),
                                   NameShape::Plain, QualifierUse::Accepted);
    ASSERT_FALSE(pattern);
    EXPECT_EQ(pattern.error().code, ErrorCode::Validation);

    auto badName =
        readFunctionRef(*request(configPath("a:b:c")), NameShape::Plain, QualifierUse::Accepted);
    ASSERT_FALSE(badName);
    EXPECT_EQ(badName.error().code, ErrorCode::Validation);
}

TEST(ReadFunctionRef, UnpublishedOnlyOperationsTakeNoQualifierButLatest)
{
    auto latest = readFunctionRef(*request(configPath("fn:$LATEST")), NameShape::Plain,
                                  QualifierUse::Rejected);
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->qualifier, "");

    auto version =
        readFunctionRef(*request(configPath("fn:2")), NameShape::Plain, QualifierUse::Rejected);
    ASSERT_FALSE(version);
    EXPECT_EQ(version.error().code, ErrorCode::InvalidParameter);
    EXPECT_NE(version.error().message.find("remove the qualifier '2'"), std::string::npos);
}

TEST(ReadFunctionRequest, TheNameIsCheckedBeforeTheBody)
{
    auto bothBad = readFunctionRequest(*request(configPath("bad name"), {}, "{"), NameShape::Plain,
                                       QualifierUse::Rejected);
    ASSERT_FALSE(bothBad);
    EXPECT_EQ(bothBad.error().code, ErrorCode::Validation);

    auto badBody = readFunctionRequest(*request(configPath("fn"), {}, "[1]"), NameShape::Plain,
                                       QualifierUse::Rejected);
    ASSERT_FALSE(badBody);
    EXPECT_EQ(badBody.error().code, ErrorCode::InvalidRequestContent);
    EXPECT_NE(badBody.error().message.find("expected a JSON object, got array"), std::string::npos);

    auto ok = readFunctionRequest(*request(configPath("fn"), {}, " \r\n"), NameShape::Plain,
                                  QualifierUse::Rejected);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->body, json::object());
}

TEST(ReadJsonBody, SyntaxErrorsSayWhere)
{
    auto broken = readJsonBody(*request(configPath("fn"), {}, "{\"a\": }"));
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().code, ErrorCode::InvalidRequestContent);
    EXPECT_EQ(broken.error().message.rfind("Could not parse request body into json: ", 0), 0U);
    EXPECT_GT(broken.error().message.size(),
              std::string("Could not parse request body into json: ").size());
}

TEST(BodyReader, TypedMembersAndAbsence)
{
    const json body = {{"Name", "fn"},       {"Memory", 256},
                       {"Float", 3.0},       {"Publish", true},
                       {"Null", nullptr},    {"Tags", {{"a", "1"}}},
                       {"List", {"x", "y"}}, {"Environment", {{"Variables", {{"K", "V"}}}}}};
    BodyReader reader(body);
    EXPECT_EQ(reader.string("Name"), "fn");
    EXPECT_EQ(reader.integer("Memory"), 256);
    EXPECT_EQ(reader.integer("Float"), 3); // JavaScript clients send 3.0 for 3
    EXPECT_EQ(reader.boolean("Publish"), true);
    EXPECT_FALSE(reader.has("Null"));
    EXPECT_FALSE(reader.string("Null"));
    EXPECT_FALSE(reader.string("Missing"));
    EXPECT_EQ((reader.stringMap("Tags")), (std::map<std::string, std::string>{{"a", "1"}}));
    EXPECT_EQ(reader.stringList("List"), (std::vector<std::string>{"x", "y"}));
    auto environment = reader.object("Environment");
    ASSERT_TRUE(environment);
    EXPECT_EQ((environment->stringMap("Variables")),
              (std::map<std::string, std::string>{{"K", "V"}}));
    EXPECT_FALSE(reader.failure());
}

TEST(BodyReader, TheFirstWrongTypeIsTheFailureNamingItsPath)
{
    const json body = {
        {"Memory", "big"}, {"Environment", {{"Variables", {{"K", 1}}}}}, {"Publish", "yes"}};
    BodyReader reader(body);
    auto environment = reader.object("Environment");
    ASSERT_TRUE(environment);
    EXPECT_FALSE(environment->stringMap("Variables"));
    EXPECT_FALSE(reader.integer("Memory"));
    EXPECT_FALSE(reader.boolean("Publish"));
    ASSERT_TRUE(reader.failure());
    EXPECT_EQ(reader.failure()->code, ErrorCode::InvalidRequestContent);
    EXPECT_EQ(reader.failure()->message, "Could not parse request body into json: "
                                         "Environment.Variables must be an object of strings");
    EXPECT_TRUE(environment->failure()); // one failure per request, shared with nested readers

    const json outOfRange = {{"Timeout", 1e12}};
    BodyReader big(outOfRange);
    EXPECT_FALSE(big.integer("Timeout"));
    ASSERT_TRUE(big.failure());
    EXPECT_NE(big.failure()->message.find("Timeout must be an integer"), std::string::npos);
}

TEST(Pagination, MaxItemsAndMarkerAreChecked)
{
    auto defaults = readPageRequest(*request(configPath("fn")), 50);
    ASSERT_TRUE(defaults);
    EXPECT_EQ(defaults->maxItems, 50U);
    EXPECT_TRUE(defaults->afterKey.empty());

    for (const char *bad : {"0", "10001"}) {
        auto page = readPageRequest(*request(configPath("fn"), {{"MaxItems", bad}}));
        ASSERT_FALSE(page) << bad;
        EXPECT_EQ(page.error().code, ErrorCode::Validation);
        EXPECT_NE(page.error().message.find("at 'maxItems' failed to satisfy constraint"),
                  std::string::npos);
    }
    auto notNumber = readPageRequest(*request(configPath("fn"), {{"MaxItems", "ten"}}));
    ASSERT_FALSE(notNumber);
    EXPECT_EQ(notNumber.error().code, ErrorCode::InvalidParameter);

    auto badMarker = readPageRequest(*request(configPath("fn"), {{"Marker", "!!"}}));
    ASSERT_FALSE(badMarker);
    EXPECT_EQ(badMarker.error().message, "Invalid pagination marker '!!'");
}

TEST(Pagination, PagesFollowTheSortKeyAcrossChanges)
{
    std::vector<std::pair<std::string, json>> items;
    for (const char *name : {"c", "a", "e", "b", "d"})
        items.emplace_back(name, name);
    PageRequest first;
    first.maxItems = 2;
    const json page1 = pageJson("Functions", items, first);
    EXPECT_EQ(page1["Functions"], json({"a", "b"}));
    ASSERT_TRUE(page1.contains("NextMarker"));

    // "b" is deleted and "bb" created before the next call: the page goes on after "b".
    auto next = readPageRequest(
        *request(configPath("fn"), {{"Marker", page1["NextMarker"]}, {"MaxItems", "2"}}));
    ASSERT_TRUE(next);
    items.erase(items.begin() + 3);
    items.emplace_back("bb", "bb");
    const json page2 = pageJson("Functions", items, *next);
    EXPECT_EQ(page2["Functions"], json({"bb", "c"}));

    auto last = readPageRequest(*request(configPath("fn"), {{"Marker", page2["NextMarker"]}}));
    ASSERT_TRUE(last);
    const json page3 = pageJson("Functions", items, *last);
    EXPECT_EQ(page3["Functions"], json({"d", "e"}));
    EXPECT_FALSE(page3.contains("NextMarker"));
}

TEST(Pagination, VersionsSortNumerically)
{
    EXPECT_LT(versionSortKey("$LATEST"), versionSortKey("1"));
    EXPECT_LT(versionSortKey("9"), versionSortKey("10"));
}

TEST(Respond, ErrorsBecomeLambdaErrorDocuments)
{
    httplib::Response res;
    respond(res, Result<Reply>(makeError(ErrorCode::Validation, "1 validation error detected: x")));
    EXPECT_EQ(res.status, 400);
    EXPECT_EQ(res.get_header_value(kErrorTypeHeader), "ValidationException");
    const json document = json::parse(res.body);
    EXPECT_EQ(document["Type"], "User");
    EXPECT_EQ(document["message"], "1 validation error detected: x");

    httplib::Response notFound;
    respond(notFound, Result<Reply>(makeError(ErrorCode::NotFound, "Function not found: f")));
    EXPECT_EQ(notFound.status, 404);
    EXPECT_EQ(notFound.get_header_value(kErrorTypeHeader), "ResourceNotFoundException");
    EXPECT_EQ(json::parse(notFound.body)["Message"], "Function not found: f");

    httplib::Response ok;
    respond(ok, Result<Reply>(jsonReply(201, {{"FunctionName", "f"}})));
    EXPECT_EQ(ok.status, 201);
    EXPECT_EQ(json::parse(ok.body)["FunctionName"], "f");
    EXPECT_FALSE(ok.has_header(kErrorTypeHeader));
}
