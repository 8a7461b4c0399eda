// SigV4 as the server checks it, against AWS's own test-suite vectors (get-vanilla,
// get-vanilla-query-order-key-case, also what botocore's SigV4Auth produces), and the
// authenticator's refusals with an injected clock. The browser guard's Host and Origin rules.

#include "api/requestauth.h"
#include "api/sigv4.h"
#include "core/browserguard.h"
#include "lambdesk/engine/apiserver.h"

#include <gtest/gtest.h>
#include <httplib.h>

namespace lambdesk::engine::api {
namespace {

using namespace std::chrono_literals;

// The x-amzn-ErrorType a refusal goes out with.
std::string errorTypeOf(const std::optional<Error> &refusal)
{
    return refusal ? lambdaErrorFor(refusal->code).type : std::string();
}

constexpr const char *kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string signatureFor(const std::string &target)
{
    sigv4::SignedRequest request{
        "GET",
        target,
        {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"};
    const sigv4::AuthorizationHeader scope{"AKIDEXAMPLE", "20150830",        "us-east-1",
                                           "service",     "host;x-amz-date", ""};
    const std::string canonical = sigv4::canonicalRequest(request, scope.signedHeaders);
    return sigv4::signature(kSecret, scope,
                            sigv4::stringToSign("20150830T123600Z", scope.scope(), canonical));
}

TEST(SigV4, MatchesAwsTestSuiteVectors)
{
    EXPECT_EQ(signatureFor("/"),
              "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    EXPECT_EQ(signatureFor("/?Param2=value2&Param1=value1"),
              "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4, CanonicalPathIsEncodedTwiceAndQueryIsSortedAndReencoded)
{
    const sigv4::SignedRequest request{
        "GET",
        "/2015-03-31/functions/arn%3Aaws%3Alambda/./x/?b=2&a=%C3%BC%20z&a=1",
        {{"HOST", "  127.0.0.1:9001  "}},
        "h"};
    EXPECT_EQ(sigv4::canonicalRequest(request, "host"),
              "GET\n/2015-03-31/functions/arn%253Aaws%253Alambda/x/"
              "\na=%C3%BC%20z&a=1&b=2\nhost:127.0.0.1:9001\n\nhost\nh");
}

TEST(SigV4, ParsesTheAuthorizationHeaderOrSaysWhatIsMissing)
{
    const auto good = sigv4::parseAuthorization(
        "AWS4-HMAC-SHA256 Credential=AKID/20261203/us-east-1/lambda/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=" +
        std::string(64, 'a'));
    ASSERT_TRUE(good.header) << good.problem;
    EXPECT_EQ(good.header->accessKeyId, "AKID");
    EXPECT_EQ(good.header->scope(), "20261203/us-east-1/lambda/aws4_request");
    const auto missing = sigv4::parseAuthorization(
        "AWS4-HMAC-SHA256 Credential=AKID/20261203/us-east-1/lambda/aws4_request");
    EXPECT_FALSE(missing.header);
    EXPECT_NE(missing.problem.find("requires 'Signature' parameter"), std::string::npos);
    EXPECT_FALSE(sigv4::parseAuthorization("Bearer token").header);
    EXPECT_FALSE(sigv4::parseAuthorization(
                     "AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=00")
                     .header);
}

httplib::Request requestSignedAt(const std::string &amzDate, const ApiCredentials &keys,
                                 const std::string &body)
{
    httplib::Request req;
    req.method = "POST";
    req.target = "/2015-03-31/functions";
    req.body = body;
    req.headers = {{"Host", "127.0.0.1:9001"}, {"X-Amz-Date", amzDate}};
    sigv4::SignedRequest signedRequest{
        req.method,
        req.target,
        {req.headers.begin(), req.headers.end()},
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"};
    if (!body.empty())
        return req; // the test tampers: signed over an empty body
    sigv4::AuthorizationHeader header{keys.accessKeyId, amzDate.substr(0, 8), "us-east-1",
                                      "lambda",         "host;x-amz-date",    ""};
    header.signature = sigv4::signature(
        keys.secretAccessKey, header,
        sigv4::stringToSign(amzDate, header.scope(),
                            sigv4::canonicalRequest(signedRequest, header.signedHeaders)));
    req.headers.emplace("Authorization",
                        "AWS4-HMAC-SHA256 Credential=" + keys.accessKeyId + "/" + header.scope() +
                            ", SignedHeaders=host;x-amz-date, Signature=" + header.signature);
    return req;
}

TEST(RequestAuthenticator, VerifiesSignatureTimeAndKeyWithItsClock)
{
    const ApiCredentials keys{"LDSKTESTKEY000000000", "secret-secret-secret-secret-secret-00"};
    auto now = *sigv4::parseAmzDate("20261203T120000Z");
    RequestAuthenticator auth(ApiAccess{ApiAuthMode::Verify, keys, {}}, [&now] { return now; });
    auth.setListener("127.0.0.1", 9001);

    auto req = requestSignedAt("20261203T120000Z", keys, "");
    EXPECT_FALSE(auth.checkHeaders(req));
    EXPECT_FALSE(auth.checkSignature(req));

    auto tampered = req;
    tampered.body = "{}";
    ASSERT_TRUE(auth.checkSignature(tampered));
    EXPECT_EQ(errorTypeOf(auth.checkSignature(tampered)), "InvalidSignatureException");

    now += 16min;
    ASSERT_TRUE(auth.checkHeaders(req));
    EXPECT_EQ(auth.checkHeaders(req)->message.rfind(
                  "Signature expired: 20261203T120000Z is now earlier than", 0),
              0u);
    now -= 32min;
    ASSERT_TRUE(auth.checkHeaders(req));
    EXPECT_NE(auth.checkHeaders(req)->message.find("not yet current"), std::string::npos);

    now += 16min;
    RequestAuthenticator other(
        ApiAccess{ApiAuthMode::Verify, {"LDSKSOMEONEELSE00000", keys.secretAccessKey}, {}},
        [&now] { return now; });
    other.setListener("127.0.0.1", 9001);
    ASSERT_TRUE(other.checkHeaders(req));
    EXPECT_EQ(errorTypeOf(other.checkHeaders(req)), "UnrecognizedClientException");
}

httplib::Request withHeaders(httplib::Headers headers, std::string method = "GET")
{
    httplib::Request req;
    req.method = std::move(method);
    req.headers = std::move(headers);
    return req;
}

TEST(BrowserGuard, RefusesForeignOriginsPreflightsAndForeignHosts)
{
    const BrowserGuardPolicy policy{{"http://localhost:3000"}, "127.0.0.1", 9001};
    EXPECT_FALSE(browserRequestRefusal(withHeaders({{"Host", "127.0.0.1:9001"}}), policy));
    EXPECT_FALSE(browserRequestRefusal(withHeaders({{"Host", "localhost:9001"}}), policy));
    EXPECT_FALSE(browserRequestRefusal(withHeaders({{"Host", "[::1]:9001"}}), policy));
    EXPECT_FALSE(browserRequestRefusal(
        withHeaders({{"Host", "127.0.0.1:9001"}, {"Origin", "http://localhost:3000"}}), policy));
    EXPECT_TRUE(browserRequestRefusal(
        withHeaders({{"Host", "127.0.0.1:9001"}, {"Origin", "http://evil.example"}}), policy));
    EXPECT_TRUE(
        browserRequestRefusal(withHeaders({{"Host", "127.0.0.1:9001"}}, "OPTIONS"), policy));
    EXPECT_TRUE(browserRequestRefusal(withHeaders({{"Host", "evil.example:9001"}}), policy));
    EXPECT_TRUE(browserRequestRefusal(withHeaders({{"Host", "127.0.0.1:9002"}}), policy));
    EXPECT_TRUE(browserRequestRefusal(withHeaders({{"Host", "127.0.0.1"}}), policy));
    EXPECT_TRUE(browserRequestRefusal(withHeaders({}), policy));
    EXPECT_TRUE(
        browserRequestRefusal(withHeaders({{"Host", "localhost.evil.example:9001"}}), policy));
    EXPECT_TRUE(isLoopbackHostName("127.8.9.10"));
    EXPECT_FALSE(isLoopbackHostName("128.0.0.1"));
}

} // namespace
} // namespace lambdesk::engine::api
