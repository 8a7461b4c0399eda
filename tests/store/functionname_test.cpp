// parseFunctionRef: the FunctionName forms Lambda accepts (names, partial and full ARNs, with or
// without a qualifier), the one parser every layer uses.
#include "lambdesk/engine/validation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace lambdesk::engine;

TEST(ParseFunctionRef, AcceptedForms)
{
    const struct {
        std::string input;
        std::string name;
        std::string qualifier;
    } cases[] = {
        {"my-function", "my-function", ""},
        {"my-function:7", "my-function", "7"},
        {"my-function:$LATEST", "my-function", "$LATEST"},
        {"my-function:prod", "my-function", "prod"},
        {"arn:aws:lambda:us-east-1:000000000000:function:my-function", "my-function", ""},
        {"arn:aws:lambda:us-west-2:123456789012:function:my-function:3", "my-function", "3"},
        {"arn:aws:lambda:eu-central-1:123456789012:function:f:$LATEST", "f", "$LATEST"},
        {"arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f", "f", ""},
        {"123456789012:function:my-function", "my-function", ""},
        {"123456789012:function:my-function:live", "my-function", "live"},
    };
    for (const auto &c : cases) {
        for (FunctionNameShape shape : {FunctionNameShape::Plain, FunctionNameShape::Namespaced}) {
            const auto parsed = parseFunctionRef(c.input, shape);
            ASSERT_TRUE(parsed) << c.input << ": " << parsed.error().message;
            EXPECT_EQ(parsed->name, c.name) << c.input;
            EXPECT_EQ(parsed->qualifier, c.qualifier) << c.input;
        }
    }
}

TEST(ParseFunctionRef, RejectedForms)
{
    const std::vector<std::string> inputs = {"",
                                             "bad name",
                                             "a:b:c",
                                             "arn:aws:lambda:us-east-1:000000000000:function:",
                                             "arn:aws:s3:us-east-1:000000000000:function:f",
                                             "arn:aws:lambda:us-east-1:1234:function:f",
                                             "arn:aws:lambda:nowhere:000000000000:function:f",
                                             "arn:aws:lambda:us-east-1:000000000000:layer:f",
                                             "arn:aws:lambda:us-east-1:000000000000:function:f:1:2",
                                             "123456789012:fn:f",
                                             "123456789012:function:f:bad qualifier",
                                             "f:",
                                             "f:a.b",
                                             std::string(65, 'x'),
                                             std::string(257, 'x')};
    for (const std::string &input : inputs) {
        const auto parsed = parseFunctionRef(input);
        ASSERT_FALSE(parsed) << input;
        EXPECT_EQ(parsed.error().code, ErrorCode::Validation);
        EXPECT_NE(parsed.error().message.find("at 'functionName' failed to satisfy constraint"),
                  std::string::npos);
    }
}

// FunctionName (140 characters, no '.') and NamespacedFunctionName (256, '.' and
// $LATEST.PUBLISHED) differ as the model says, and the messages quote the shape's own rule.
TEST(ParseFunctionRef, ShapesDifferAsTheModelSays)
{
    EXPECT_TRUE(parseFunctionRef("ns.fn", FunctionNameShape::Namespaced));
    EXPECT_FALSE(parseFunctionRef("ns.fn", FunctionNameShape::Plain));
    EXPECT_TRUE(parseFunctionRef("fn:$LATEST.PUBLISHED", FunctionNameShape::Namespaced));
    EXPECT_FALSE(parseFunctionRef("fn:$LATEST.PUBLISHED", FunctionNameShape::Plain));

    const auto tooLongPlain = parseFunctionRef(std::string(141, 'x'), FunctionNameShape::Plain);
    ASSERT_FALSE(tooLongPlain);
    EXPECT_NE(
        tooLongPlain.error().message.find("Member must have length less than or equal to 140"),
        std::string::npos);
    const auto tooLongNamespaced =
        parseFunctionRef(std::string(257, 'x'), FunctionNameShape::Namespaced);
    ASSERT_FALSE(tooLongNamespaced);
    EXPECT_NE(
        tooLongNamespaced.error().message.find("Member must have length less than or equal to 256"),
        std::string::npos);

    const auto badPlain = parseFunctionRef("bad name", FunctionNameShape::Plain);
    ASSERT_FALSE(badPlain);
    EXPECT_NE(badPlain.error().message.find("(function:)?([a-zA-Z0-9-_]+)"), std::string::npos);
    EXPECT_EQ(badPlain.error().message.rfind(
                  "1 validation error detected: Value 'bad name' at 'functionName'", 0),
              0U);
}

// A bare name over 64 characters is refused even though the shape allows 140: Lambda's names
// are 1-64 characters; the longer limits leave room for the ARN around the name.
TEST(ParseFunctionRef, ANameInAnArnIsAtMost64Characters)
{
    const std::string name64(64, 'n');
    EXPECT_TRUE(parseFunctionRef("arn:aws:lambda:us-east-1:000000000000:function:" + name64));
    EXPECT_FALSE(
        parseFunctionRef("arn:aws:lambda:us-east-1:000000000000:function:" + name64 + "n"));
}
