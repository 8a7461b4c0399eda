// Lambda's parameter rules (validation.h).
#include "lambdesk/engine/validation.h"

#include <gtest/gtest.h>

using namespace lambdesk::engine;

namespace {

FunctionConfig validConfig()
{
    FunctionConfig config;
    config.name = "resize-images_2";
    config.runtime = "python3.11";
    config.handler = "lambda_function.lambda_handler";
    return config;
}

struct ConfigCase {
    const char *what;
    void (*change)(FunctionConfig &);
    bool valid;
    const char *messagePart; // must appear in the error message
};

} // namespace

TEST(Validation, FunctionNames)
{
    const struct {
        std::string name;
        bool valid;
    } cases[] = {
        {"a", true},
        {"my-function_01", true},
        {std::string(64, 'x'), true},
        {"", false},
        {std::string(65, 'x'), false},
        {"has space", false},
        {"dot.name", false},
        {"colon:name", false},
        {"ünicode", false},
    };
    for (const auto &c : cases) {
        const auto result = validateFunctionName(c.name);
        EXPECT_EQ(result.ok(), c.valid) << "'" << c.name << "'";
        if (!result.ok()) {
            EXPECT_EQ(result.error().code, ErrorCode::InvalidParameter);
            EXPECT_NE(result.error().message.find("at 'functionName' failed to satisfy constraint"),
                      std::string::npos)
                << result.error().message;
        }
    }
    EXPECT_EQ(validateFunctionName("bad name").error().message,
              "1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy "
              "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");
}

TEST(Validation, ConfigRules)
{
    const ConfigCase cases[] = {
        {"defaults", [](FunctionConfig &) {}, true, ""},
        {"memory 127", [](FunctionConfig &c) { c.memorySizeMb = 127; }, false,
         "Value '127' at 'memorySize' failed to satisfy constraint: Member must have value greater "
         "than or equal to 128"},
        {"memory 128", [](FunctionConfig &c) { c.memorySizeMb = 128; }, true, ""},
        {"memory 10240", [](FunctionConfig &c) { c.memorySizeMb = 10240; }, true, ""},
        {"memory 10241", [](FunctionConfig &c) { c.memorySizeMb = 10241; }, false,
         "at 'memorySize' failed to satisfy constraint: Member must have value less than or equal "
         "to 10240"},
        {"timeout 0", [](FunctionConfig &c) { c.timeoutSeconds = 0; }, false, "at 'timeout'"},
        {"timeout 900", [](FunctionConfig &c) { c.timeoutSeconds = 900; }, true, ""},
        {"timeout 901", [](FunctionConfig &c) { c.timeoutSeconds = 901; }, false,
         "Member must have value less than or equal to 900"},
        {"ephemeral 511", [](FunctionConfig &c) { c.ephemeralStorageMb = 511; }, false,
         "at 'ephemeralStorage.size'"},
        {"ephemeral 10240", [](FunctionConfig &c) { c.ephemeralStorageMb = 10240; }, true, ""},
        {"ephemeral 10241", [](FunctionConfig &c) { c.ephemeralStorageMb = 10241; }, false,
         "at 'ephemeralStorage.size'"},
        {"arm64", [](FunctionConfig &c) { c.architecture = "arm64"; }, true, ""},
        {"architecture", [](FunctionConfig &c) { c.architecture = "mips"; }, false,
         "Value '[mips]' at 'architectures' failed to satisfy constraint"},
        {"no handler", [](FunctionConfig &c) { c.handler.clear(); }, false,
         "Runtime and Handler are mandatory parameters"},
        {"no runtime", [](FunctionConfig &c) { c.runtime.clear(); }, false,
         "Runtime and Handler are mandatory parameters"},
        {"provided without handler",
         [](FunctionConfig &c) {
             c.runtime = "provided.al2023";
             c.handler.clear();
         },
         true, ""},
        {"handler with space", [](FunctionConfig &c) { c.handler = "a b"; }, false, "at 'handler'"},
        {"handler too long", [](FunctionConfig &c) { c.handler = std::string(129, 'h'); }, false,
         "at 'handler'"},
        {"description 256", [](FunctionConfig &c) { c.description = std::string(256, 'd'); }, true,
         ""},
        {"description 257", [](FunctionConfig &c) { c.description = std::string(257, 'd'); }, false,
         "at 'description'"},
        {"role", [](FunctionConfig &c) { c.role = "not-a-role"; }, false, "at 'role'"},
        {"other role",
         [](FunctionConfig &c) { c.role = "arn:aws:iam::123456789012:role/service-role/x"; }, true,
         ""},
        {"env ok",
         [](FunctionConfig &c) {
             c.environment = {{"TABLE_NAME", "t"}, {"Ab", "1"}};
         },
         true, ""},
        {"env digit first",
         [](FunctionConfig &c) {
             c.environment = {{"1ABC", "x"}};
         },
         false,
         "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: "
         "[a-zA-Z]([a-zA-Z0-9_])+]"},
        {"env one letter",
         [](FunctionConfig &c) {
             c.environment = {{"A", "x"}};
         },
         false, "environment.variables"},
        {"env dash",
         [](FunctionConfig &c) {
             c.environment = {{"MY-VAR", "x"}};
         },
         false, "environment.variables"},
        {"env reserved",
         [](FunctionConfig &c) {
             c.environment = {{"AWS_REGION", "x"}, {"LAMBDA_TASK_ROOT", "y"}};
         },
         false,
         "reserved keys that are currently not supported for modification. Reserved keys used in "
         "this request: AWS_REGION, LAMBDA_TASK_ROOT"},
        {"env not reserved",
         [](FunctionConfig &c) {
             c.environment = {{"AWS_LAMBDA_EXEC_WRAPPER", "/x"}, {"PATH", "/bin"}};
         },
         true, ""},
        {"env 4 KB",
         [](FunctionConfig &c) {
             c.environment = {{"BIG", std::string(4096 - 10, 'v')}};
         },
         true, ""},
        {"env over 4 KB",
         [](FunctionConfig &c) {
             c.environment = {{"BIG", std::string(4096, 'v')}};
         },
         false, "exceeded the 4KB limit"},
        {"layers",
         [](FunctionConfig &c) {
             c.layers.assign(6, "arn:aws:lambda:us-east-1:000000000000:layer:l:1");
         },
         false, "Cannot reference more than 5 layers."},
        {"layer arn",
         [](FunctionConfig &c) { c.layers = {"arn:aws:lambda:us-east-1:000000000000:layer:l"}; },
         false, "at 'layers' failed to satisfy constraint"},
    };
    for (const ConfigCase &c : cases) {
        FunctionConfig config = validConfig();
        c.change(config);
        const auto result = validateConfig(config);
        EXPECT_EQ(result.ok(), c.valid) << c.what;
        if (!result.ok()) {
            // The model's pattern for a layer ARN is checked first, as AWS does, and named as such.
            EXPECT_EQ(result.error().code, c.what == std::string("layer arn")
                                               ? ErrorCode::Validation
                                               : ErrorCode::InvalidParameter)
                << c.what;
            EXPECT_NE(result.error().message.find(c.messagePart), std::string::npos)
                << c.what << ": " << result.error().message;
        }
    }
}

TEST(Validation, ReportsEveryConstraintAtOnce)
{
    FunctionConfig config = validConfig();
    config.memorySizeMb = 64;
    config.timeoutSeconds = 0;
    const auto result = validateConfig(config);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message,
              "2 validation errors detected: Value '64' at 'memorySize' failed to satisfy "
              "constraint: Member must have value greater than or equal to 128; Value '0' at "
              "'timeout' failed to satisfy constraint: Member must have value greater than or "
              "equal to 1");
}

TEST(Validation, EnvironmentVariableNames)
{
    EXPECT_TRUE(validateEnvironmentVariableName("DB_HOST"));
    EXPECT_TRUE(validateEnvironmentVariableName("x1"));
    EXPECT_FALSE(validateEnvironmentVariableName("X"));
    EXPECT_FALSE(validateEnvironmentVariableName("_HANDLER"));
    EXPECT_FALSE(validateEnvironmentVariableName("9LIVES"));
    EXPECT_FALSE(validateEnvironmentVariableName("WITH SPACE"));
    for (const char *reserved : {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME",
                                 "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "AWS_ACCESS_KEY_ID",
                                 "AWS_SESSION_TOKEN", "AWS_EXECUTION_ENV"}) {
        const auto result = validateEnvironmentVariableName(reserved);
        ASSERT_FALSE(result) << reserved;
        EXPECT_NE(result.error().message.find(std::string("Reserved keys used in this request: ") + reserved),
                  std::string::npos);
    }
}

TEST(Validation, LayerNamesArnsAndParameters)
{
    const auto arn =
        parseLayerVersionArn("arn:aws:lambda:eu-west-1:123456789012:layer:my_layer-2:7");
    ASSERT_TRUE(arn) << arn.error().message;
    EXPECT_EQ(arn->region, "eu-west-1");
    EXPECT_EQ(arn->accountId, "123456789012");
    EXPECT_EQ(arn->name, "my_layer-2");
    EXPECT_EQ(arn->version, 7);
    for (const std::string bad : {"", "my_layer", "arn:aws:lambda:eu-west-1:123456789012:layer:x",
                                  "arn:aws:lambda:eu-west-1:1234:layer:x:1",
                                  "arn:aws:lambda:eu-west-1:123456789012:layer:x:0",
                                  "arn:aws:lambda:eu-west-1:123456789012:function:x:1"}) {
        const auto parsed = parseLayerVersionArn(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().code, ErrorCode::Validation) << bad;
    }

    EXPECT_EQ(parseLayerName("plain_name-1")->name, "plain_name-1");
    EXPECT_EQ(parseLayerName("arn:aws:lambda:us-east-1:000000000000:layer:named")->region,
              "us-east-1");
    EXPECT_FALSE(parseLayerName("has space"));
    EXPECT_FALSE(parseLayerName(std::string(141, 'a')));

    LayerVersionInput input{
        "ok", "description", "MIT", {"python3.11", "nodejs20.x"}, {"x86_64", "arm64"}};
    EXPECT_TRUE(validateLayerVersionInput(input));
    input.compatibleRuntimes = {"python9.9"};
    EXPECT_NE(validateLayerVersionInput(input).error().message.find("compatibleRuntimes"),
              std::string::npos);
    input.compatibleRuntimes = std::vector<std::string>(16, "python3.11");
    EXPECT_NE(validateLayerVersionInput(input).error().message.find("less than or equal to 15"),
              std::string::npos);
    input.compatibleRuntimes.clear();
    input.compatibleArchitectures = {"sparc"};
    EXPECT_FALSE(validateLayerVersionInput(input));
    input.compatibleArchitectures.clear();
    input.licenseInfo.assign(513, 'x');
    EXPECT_NE(validateLayerVersionInput(input).error().message.find("licenseInfo"),
              std::string::npos);
}
