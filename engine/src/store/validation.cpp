// Lambda's parameter rules and its wording (service-2.json constraints; the service's own limits
// for memory, timeout, environment and handler).
#include "lambdesk/engine/validation.h"

#include "lambdesk/engine/asyncinvoke.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <regex>
#include <string_view>
#include <vector>

namespace lambdesk::engine {

namespace {

// The keys Lambda sets itself and refuses in a function configuration.
constexpr std::array<std::string_view, 18> kReservedKeys = {
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
};

bool isNameChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

std::string constraint(const std::string &value, const char *field, const std::string &rule)
{
    return "Value '" + value + "' at '" + field + "' failed to satisfy constraint: " + rule;
}

// Lambda reports all constraint violations of a request at once.
Error validationErrors(const std::vector<std::string> &problems,
                       ErrorCode code = ErrorCode::InvalidParameter)
{
    const std::size_t n = problems.size();
    std::string message = std::to_string(n) + (n == 1 ? " validation error" : " validation errors")
                          + " detected: ";
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0)
            message += "; ";
        message += problems[i];
    }
    return makeError(code, message);
}

void checkName(const std::string &name, std::vector<std::string> &problems)
{
    if (name.empty())
        problems.push_back(constraint(name, "functionName", "Member must have length greater than or equal to 1"));
    else if (name.size() > kMaxNameLength)
        problems.push_back(constraint(name, "functionName", "Member must have length less than or equal to 64"));
    else if (!std::all_of(name.begin(), name.end(), isNameChar))
        problems.push_back(constraint(name, "functionName",
                                      "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+"));
}

void checkRange(int value, int low, int high, const char *field, std::vector<std::string> &problems)
{
    if (value < low)
        problems.push_back(constraint(std::to_string(value), field,
                                      "Member must have value greater than or equal to " + std::to_string(low)));
    else if (value > high)
        problems.push_back(constraint(std::to_string(value), field,
                                      "Member must have value less than or equal to " + std::to_string(high)));
}

bool matchesRole(const std::string &role)
{
    // arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+
    std::string_view rest = role;
    if (!rest.starts_with("arn:"))
        return false;
    rest.remove_prefix(4);
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos)
        return false;
    const std::string_view partition = rest.substr(0, colon);
    if (!partition.empty()
        && (!partition.starts_with("aws")
            || !std::all_of(partition.begin(), partition.end(),
                            [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '-'; }))) {
        return false;
    }
    rest.remove_prefix(colon + 1);
    if (!rest.starts_with("iam::"))
        return false;
    rest.remove_prefix(5);
    if (rest.size() < 13 || rest[12] != ':'
        || !std::all_of(rest.begin(), rest.begin() + 12, [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        return false;
    }
    rest.remove_prefix(13);
    if (!rest.starts_with("role"))
        return false;
    rest.remove_prefix(4);
    if (rest.starts_with('/'))
        rest.remove_prefix(1);
    return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("+=,.@-_/").find(c) != std::string_view::npos;
    });
}

bool matchesEnvironmentName(const std::string &key)
{
    // [a-zA-Z]([a-zA-Z0-9_])+ : a letter and at least one more character.
    return key.size() >= 2 && std::isalpha(static_cast<unsigned char>(key[0]))
           && std::all_of(key.begin() + 1, key.end(), [](char c) {
                  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
              });
}

bool isReserved(const std::string &key)
{
    return std::find(kReservedKeys.begin(), kReservedKeys.end(), key) != kReservedKeys.end();
}

// Every runtime id the model's Runtime enum accepts (CompatibleRuntimes), in its order.
constexpr std::array<std::string_view, 46> kModelRuntimes = {
    "nodejs",     "nodejs4.3",       "nodejs6.10",     "nodejs8.10",    "nodejs10.x",
    "nodejs12.x", "nodejs14.x",      "nodejs16.x",     "java8",         "java8.al2",
    "java11",     "python2.7",       "python3.6",      "python3.7",     "python3.8",
    "python3.9",  "dotnetcore1.0",   "dotnetcore2.0",  "dotnetcore2.1", "dotnetcore3.1",
    "dotnet6",    "dotnet8",         "nodejs4.3-edge", "go1.x",         "ruby2.5",
    "ruby2.7",    "provided",        "provided.al2",   "nodejs18.x",    "python3.10",
    "java17",     "ruby3.2",         "ruby3.3",        "ruby3.4",       "python3.11",
    "nodejs20.x", "provided.al2023", "python3.12",     "java21",        "python3.13",
    "nodejs22.x", "nodejs24.x",      "python3.14",     "java25",        "dotnet10",
    "ruby4.0"};

// The model's patterns; ECMAScript reads "9-_" inside a class as a range, so '-' goes last.
const std::regex &layerVersionArnPattern()
{
    static const std::regex pattern(
        "arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\\d{12}):layer:([a-zA-Z0-9_-]+):([0-9]+)");
    return pattern;
}

const std::regex &layerArnPattern()
{
    static const std::regex pattern(
        "arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\\d{12}):layer:([a-zA-Z0-9_-]+)");
    return pattern;
}

std::string listText(const std::vector<std::string> &items)
{
    std::string text = "[";
    for (std::size_t i = 0; i < items.size(); ++i)
        text += (i ? ", " : "") + items[i];
    return text + "]";
}

std::string layerArnProblem(const std::vector<std::string> &layers)
{
    return constraint(
        listText(layers), "layers",
        "Member must satisfy constraint: [Member must have length less than or equal "
        "to 140, Member must have length greater than or equal to 1, Member must "
        "satisfy regular expression pattern: "
        "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|"
        "(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]");
}

const char *kEnvironmentPatternProblem =
    "Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy "
    "constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]";

Error reservedKeys(const std::vector<std::string> &keys)
{
    std::string list;
    for (const std::string &key : keys)
        list += (list.empty() ? "" : ", ") + key;
    return makeError(ErrorCode::InvalidParameter,
                     "Lambda was unable to configure your environment variables because the "
                     "environment variables you have provided contains reserved keys that are "
                     "currently not supported for modification. Reserved keys used in this "
                     "request: " + list);
}

} // namespace

Result<void> validateFunctionName(const std::string &name)
{
    std::vector<std::string> problems;
    checkName(name, problems);
    if (!problems.empty())
        return validationErrors(problems);
    return {};
}

Result<void> validateEnvironmentVariableName(const std::string &key)
{
    if (!matchesEnvironmentName(key)) {
        return makeError(ErrorCode::InvalidParameter,
                         std::string("1 validation error detected: ") + kEnvironmentPatternProblem
                             + " (key '" + key + "')");
    }
    if (isReserved(key))
        return reservedKeys({key});
    return {};
}

Result<void> validateConfig(const FunctionConfig &config)
{
    // AWS checks the list's items against the model before anything else (ValidationException).
    const bool layersParse =
        std::all_of(config.layers.begin(), config.layers.end(),
                    [](const std::string &arn) { return parseLayerVersionArn(arn).ok(); });
    if (!layersParse)
        return validationErrors({layerArnProblem(config.layers)}, ErrorCode::Validation);

    std::vector<std::string> problems;
    checkName(config.name, problems);
    if (config.description.size() > kMaxDescriptionLength)
        problems.push_back(constraint(config.description, "description",
                                      "Member must have length less than or equal to 256"));
    if (!config.role.empty() && !matchesRole(config.role))
        problems.push_back(constraint(config.role, "role",
                                      "Member must satisfy regular expression pattern: "
                                      "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"));
    if (config.handler.size() > kMaxHandlerLength)
        problems.push_back(constraint(config.handler, "handler",
                                      "Member must have length less than or equal to 128"));
    else if (std::any_of(config.handler.begin(), config.handler.end(),
                         [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
        problems.push_back(constraint(config.handler, "handler",
                                      "Member must satisfy regular expression pattern: [^\\s]+"));
    checkRange(config.memorySizeMb, kMinMemoryMb, kMaxMemoryMb, "memorySize", problems);
    checkRange(config.timeoutSeconds, kMinTimeoutSeconds, kMaxTimeoutSeconds, "timeout", problems);
    checkRange(config.ephemeralStorageMb, kMinEphemeralStorageMb, kMaxEphemeralStorageMb,
               "ephemeralStorage.size", problems);
    if (config.architecture != "x86_64" && config.architecture != "arm64")
        problems.push_back(constraint("[" + config.architecture + "]", "architectures",
                                      "Member must satisfy constraint: [Member must satisfy enum "
                                      "value set: [x86_64, arm64]]"));
    if (config.snapStartApplyOn != "PublishedVersions" && config.snapStartApplyOn != "None")
        problems.push_back(
            constraint(config.snapStartApplyOn, "snapStart.applyOn",
                       "Member must satisfy enum value set: [PublishedVersions, None]"));
    if (std::any_of(config.environment.begin(), config.environment.end(),
                    [](const auto &entry) { return !matchesEnvironmentName(entry.first); }))
        problems.push_back(kEnvironmentPatternProblem);
    if (!problems.empty())
        return validationErrors(problems);
    if (!config.deadLetterTargetArn.empty() &&
        destinationKind(config.deadLetterTargetArn) != DestinationKind::Queue)
        return makeError(ErrorCode::InvalidParameter,
                         "The provided target ARN " + config.deadLetterTargetArn +
                             " is invalid: the dead-letter queue must be a queue of this engine "
                             "(arn:aws:sqs:...); Lambdesk has no SNS topics.");

    const bool providedRuntime = config.runtime.starts_with("provided");
    if (config.runtime.empty() || (!providedRuntime && config.handler.empty()))
        return makeError(ErrorCode::InvalidParameter,
                         "Runtime and Handler are mandatory parameters for functions created with "
                         "deployment packages.");

    if (config.layers.size() > kMaxLayers)
        return makeError(ErrorCode::InvalidParameter, "Cannot reference more than 5 layers.");

    std::vector<std::string> reserved;
    for (const auto &entry : config.environment)
        if (isReserved(entry.first))
            reserved.push_back(entry.first);
    if (!reserved.empty())
        return reservedKeys(reserved);

    // Lambda measures the variables as the JSON object it stores.
    const std::string measured = nlohmann::json(config.environment)
                                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (measured.size() > kMaxEnvironmentBytes)
        return makeError(ErrorCode::InvalidParameter,
                         "Lambda was unable to configure your environment variables because the "
                         "environment variables you have provided exceeded the 4KB limit. String "
                         "measured: " + measured);
    return {};
}

Result<LayerRef> parseLayerVersionArn(const std::string &arn)
{
    std::smatch match;
    if (arn.empty() || arn.size() > kMaxLayerNameLength ||
        !std::regex_match(arn, match, layerVersionArnPattern()))
        return validationErrors({layerArnProblem({arn})}, ErrorCode::Validation);
    LayerRef ref{match[1].str(), match[2].str(), match[3].str(), 0};
    const std::string digits = match[4].str();
    const auto [end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), ref.version);
    if (error != std::errc() || end != digits.data() + digits.size() || ref.version < 1)
        return validationErrors({layerArnProblem({arn})}, ErrorCode::Validation);
    return ref;
}

Result<LayerRef> parseLayerName(const std::string &nameOrArn)
{
    const auto problem = [&](const char *rule) {
        return validationErrors({constraint(nameOrArn, "layerName", rule)}, ErrorCode::Validation);
    };
    if (nameOrArn.empty())
        return problem("Member must have length greater than or equal to 1");
    if (nameOrArn.size() > kMaxLayerNameLength)
        return problem("Member must have length less than or equal to 140");
    if (std::all_of(nameOrArn.begin(), nameOrArn.end(), isNameChar))
        return LayerRef{{}, {}, nameOrArn, 0};
    std::smatch match;
    if (!std::regex_match(nameOrArn, match, layerArnPattern()))
        return problem(
            "Member must satisfy regular expression pattern: "
            "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+");
    return LayerRef{match[1].str(), match[2].str(), match[3].str(), 0};
}

Result<void> validateLayerVersionInput(const LayerVersionInput &input)
{
    if (auto name = parseLayerName(input.layerName); !name)
        return name.error();
    std::vector<std::string> problems;
    if (input.description.size() > kMaxDescriptionLength)
        problems.push_back(constraint(input.description, "description",
                                      "Member must have length less than or equal to 256"));
    if (input.licenseInfo.size() > kMaxLicenseInfoLength)
        problems.push_back(constraint(input.licenseInfo, "licenseInfo",
                                      "Member must have length less than or equal to 512"));
    if (input.compatibleRuntimes.size() > kMaxCompatibleRuntimes)
        problems.push_back(constraint(listText(input.compatibleRuntimes), "compatibleRuntimes",
                                      "Member must have length less than or equal to 15"));
    const bool knownRuntimes =
        std::all_of(input.compatibleRuntimes.begin(), input.compatibleRuntimes.end(),
                    [](const std::string &id) {
                        return std::find(kModelRuntimes.begin(), kModelRuntimes.end(), id) !=
                               kModelRuntimes.end();
                    });
    if (!knownRuntimes) {
        std::string values;
        for (std::string_view id : kModelRuntimes)
            values += (values.empty() ? "" : ", ") + std::string(id);
        problems.push_back(
            constraint(listText(input.compatibleRuntimes), "compatibleRuntimes",
                       "Member must satisfy constraint: [Member must satisfy enum value set: [" +
                           values + "]]"));
    }
    const bool knownArchitectures =
        std::all_of(input.compatibleArchitectures.begin(), input.compatibleArchitectures.end(),
                    [](const std::string &arch) { return arch == "x86_64" || arch == "arm64"; });
    if (input.compatibleArchitectures.size() > 2 || !knownArchitectures)
        problems.push_back(
            constraint(listText(input.compatibleArchitectures), "compatibleArchitectures",
                       "Member must satisfy constraint: [Member must satisfy enum value "
                       "set: [x86_64, arm64]], Member must have length less than or equal to 2"));
    if (!problems.empty())
        return validationErrors(problems, ErrorCode::Validation);
    return {};
}

namespace {

void checkList(const std::vector<std::string> &items, const char *field, std::size_t maxItems,
               std::size_t minLength, std::size_t maxLength, std::vector<std::string> &problems)
{
    if (items.size() > maxItems)
        // Appended, not "[" + ...: GCC 12's false -Wrestrict (PR 105651).
        problems.push_back(constraint(std::to_string(items.size()).append(" items"), field,
                                      "Member must have length less than or equal to " +
                                          std::to_string(maxItems)));
    for (const auto &item : items) {
        if (item.size() < minLength)
            problems.push_back(constraint(item, field,
                                          "Member must satisfy constraint: [Member must have "
                                          "length greater than or equal to " +
                                              std::to_string(minLength) + "]"));
        else if (item.size() > maxLength)
            problems.push_back(constraint(item, field,
                                          "Member must satisfy constraint: [Member must have "
                                          "length less than or equal to " +
                                              std::to_string(maxLength) + "]"));
    }
}

} // namespace

Result<void> validateFunctionUrlSettings(const FunctionUrlSettings &settings)
{
    std::vector<std::string> problems;
    if (settings.authType != kUrlAuthNone && settings.authType != kUrlAuthIam)
        problems.push_back(constraint(settings.authType, "authType",
                                      "Member must satisfy enum value set: [NONE, AWS_IAM]"));
    if (settings.invokeMode != kInvokeModeBuffered && settings.invokeMode != kInvokeModeStream)
        problems.push_back(constraint(settings.invokeMode, "invokeMode",
                                      "Member must satisfy enum value set: [BUFFERED, "
                                      "RESPONSE_STREAM]"));
    if (settings.cors) {
        const FunctionUrlCors &cors = *settings.cors;
        checkList(cors.allowHeaders, "cors.allowHeaders", 100, 0, 1024, problems);
        checkList(cors.allowMethods, "cors.allowMethods", 6, 0, 6, problems);
        checkList(cors.allowOrigins, "cors.allowOrigins", 100, 1, 253, problems);
        checkList(cors.exposeHeaders, "cors.exposeHeaders", 100, 0, 1024, problems);
        if (cors.maxAge && (*cors.maxAge < 0 || *cors.maxAge > kMaxCorsMaxAgeSeconds))
            problems.push_back(constraint(std::to_string(*cors.maxAge), "cors.maxAge",
                                          *cors.maxAge < 0
                                              ? "Member must have value greater than or equal to 0"
                                              : "Member must have value less than or equal to " +
                                                    std::to_string(kMaxCorsMaxAgeSeconds)));
    }
    if (!problems.empty())
        return validationErrors(problems, ErrorCode::Validation);
    if (settings.cors) {
        // The service's own rule, once the model's hold: methods it knows, in any case.
        static const std::array<std::string_view, 7> methods = {"GET",   "PUT",    "HEAD", "POST",
                                                                "PATCH", "DELETE", "*"};
        for (const auto &method : settings.cors->allowMethods) {
            std::string upper = method;
            std::transform(upper.begin(), upper.end(), upper.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            if (std::find(methods.begin(), methods.end(), upper) == methods.end())
                return makeError(ErrorCode::InvalidParameter,
                                 "Invalid method '" + method +
                                     "' in Cors.AllowMethods: use GET, PUT, HEAD, POST, PATCH, "
                                     "DELETE or *");
        }
    }
    return {};
}

Result<void> validateFunctionUrlQualifier(const std::string &qualifier)
{
    const bool digits =
        !qualifier.empty() && std::all_of(qualifier.begin(), qualifier.end(),
                                          [](char c) { return c >= '0' && c <= '9'; });
    if (qualifier.empty() || qualifier.size() > 128 || digits ||
        !std::all_of(qualifier.begin(), qualifier.end(), isNameChar))
        return validationErrors({constraint(qualifier, "qualifier",
                                            "Member must satisfy regular expression pattern: "
                                            "((?!^\\d+$)^[0-9a-zA-Z-_]+$)")},
                                ErrorCode::Validation);
    return {};
}

Error constraintError(const std::string &value, const std::string &field,
                      const std::string &constraint)
{
    std::string message = "1 validation error detected: Value '";
    message.append(value).append("' at '").append(field).append("' failed to satisfy constraint: ");
    message.append(constraint);
    return makeError(ErrorCode::Validation, std::move(message));
}

} // namespace lambdesk::engine
