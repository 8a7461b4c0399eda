#include "api/functionjson.h"

#include "api/bodyreader.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "common/encoding.h"

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

// "arn:aws:lambda:REGION:ACCOUNT:function:NAME" -> REGION
std::string regionOf(const std::string &arn)
{
    std::size_t start = 0;
    for (int field = 0; field < 3; ++field) {
        start = arn.find(':', start);
        if (start == std::string::npos)
            return "us-east-1";
        ++start;
    }
    const std::size_t end = arn.find(':', start);
    return end == std::string::npos ? "us-east-1" : arn.substr(start, end - start);
}

bool isProvidedRuntime(const std::string &runtime)
{
    return runtime.rfind("provided", 0) == 0;
}

// Lambda names the runtime build a function runs on; ours is the interpreter found on this
// machine, so derive a stable identifier from the runtime id.
std::string runtimeVersionArn(const FunctionInfo &info)
{
    return "arn:aws:lambda:" + regionOf(info.functionArn) +
           "::runtime:" + common::hexEncode(common::sha256("lambdesk:" + info.config.runtime));
}

// Architectures: absent keeps `fallback`; else exactly one of the two Lambda offers.
Result<std::string> readArchitecture(BodyReader &reader, const std::string &fallback)
{
    const auto list = reader.stringList("Architectures");
    if (auto failure = reader.failure())
        return *failure;
    if (!list)
        return fallback;
    if (list->size() != 1) {
        std::string value = "[";
        for (const auto &item : *list)
            value.append(value.size() > 1 ? ", " : "").append(item);
        value.append("]");
        return validationError(value, "architectures",
                               "Member must have length less than or equal to 1");
    }
    if (list->front() != "x86_64" && list->front() != "arm64")
        return validationError(list->front(), "architectures",
                               "Member must satisfy enum value set: [x86_64, arm64]");
    return list->front();
}

} // namespace

json functionConfigurationJson(const FunctionInfo &info)
{
    const FunctionConfig &config = info.config;
    json out = {
        {"FunctionName", config.name},
        {"FunctionArn", info.functionArn},
        {"Runtime", config.runtime},
        {"Role", config.role},
        {"Handler", config.handler},
        {"CodeSize", info.codeSize},
        {"Description", config.description},
        {"Timeout", config.timeoutSeconds},
        {"MemorySize", config.memorySizeMb},
        {"LastModified", info.lastModified},
        {"CodeSha256", info.codeSha256},
        {"Version", info.version},
        {"TracingConfig", {{"Mode", "PassThrough"}}},
        {"RevisionId", info.revisionId},
        {"State", info.state},
        {"LastUpdateStatus", info.lastUpdateStatus},
        {"PackageType", "Zip"},
        {"Architectures", json::array({config.architecture})},
        {"EphemeralStorage", {{"Size", config.ephemeralStorageMb}}},
        // On for a published version whose configuration asks for it (never $LATEST, as in Lambda).
        {"SnapStart", {{"ApplyOn", config.snapStartApplyOn},
                       {"OptimizationStatus", snapStartApplies(config, info.version) ? "On" : "Off"}}},
        {"LoggingConfig", {{"LogFormat", "Text"}, {"LogGroup", "/aws/lambda/" + config.name}}},
    };
    if (!config.environment.empty())
        out["Environment"] = {{"Variables", config.environment}};
    if (!config.deadLetterTargetArn.empty())
        out["DeadLetterConfig"] = {{"TargetArn", config.deadLetterTargetArn}};
    if (!info.layers.empty()) {
        json layers = json::array();
        for (const FunctionLayer &layer : info.layers)
            layers.push_back({{"Arn", layer.arn}, {"CodeSize", layer.codeSize}});
        out["Layers"] = std::move(layers);
    }
    if (!config.runtime.empty() && !isProvidedRuntime(config.runtime))
        out["RuntimeVersionConfig"] = {{"RuntimeVersionArn", runtimeVersionArn(info)}};
    return out;
}

json listedVersionJson(const FunctionInfo &info)
{
    json out = functionConfigurationJson(info);
    const std::string suffix = ":" + info.version;
    const std::string &arn = info.functionArn;
    if (arn.size() < suffix.size() ||
        arn.compare(arn.size() - suffix.size(), suffix.size(), suffix) != 0)
        out["FunctionArn"] = arn + suffix;
    return out;
}

json getFunctionJson(const FunctionInfo &info, const std::string &codeLocation)
{
    json out = {
        {"Configuration", functionConfigurationJson(info)},
        {"Code", {{"RepositoryType", "S3"}, {"Location", codeLocation}}},
    };
    if (!info.config.tags.empty())
        out["Tags"] = info.config.tags;
    if (info.reservedConcurrency)
        out["Concurrency"] = {{"ReservedConcurrentExecutions", *info.reservedConcurrency}};
    return out;
}

Result<std::string> decodeZipFile(const std::string &base64Text)
{
    auto bytes = common::base64Decode(base64Text);
    if (!bytes)
        return makeError(ErrorCode::InvalidRequestContent,
                         "Could not parse request body into json: ZipFile is not valid base64");
    return std::move(*bytes);
}

Result<CreateFunctionInput> readCreateFunction(const json &body)
{
    BodyReader reader(body);
    CreateFunctionInput input;
    FunctionConfig &config = input.config;

    const auto name = reader.string("FunctionName");
    if (auto failure = reader.failure())
        return *failure;
    if (!name)
        return validationError("null", "functionName", "Member must not be null");
    const auto ref = parseFunctionRef(*name, NameShape::Plain);
    if (!ref)
        return ref.error();
    if (!ref->qualifier.empty())
        return makeError(ErrorCode::InvalidParameter,
                         "A function name for CreateFunction cannot carry a qualifier: '" + *name +
                             "'");
    config.name = ref->name;

    if (const auto packageType = reader.string("PackageType"); packageType && *packageType != "Zip")
        return makeError(ErrorCode::InvalidParameter,
                         "PackageType '" + *packageType +
                             "' is not supported by lambdesk; deploy a .zip file archive");
    config.runtime = reader.string("Runtime").value_or("");
    config.handler = reader.string("Handler").value_or("");
    config.description = reader.string("Description").value_or("");
    if (const auto role = reader.string("Role"))
        config.role = *role;
    config.timeoutSeconds = reader.integer("Timeout").value_or(config.timeoutSeconds);
    config.memorySizeMb = reader.integer("MemorySize").value_or(config.memorySizeMb);
    input.publish = reader.boolean("Publish").value_or(false);
    if (auto tags = reader.stringMap("Tags"))
        config.tags = std::move(*tags);
    if (auto layers = reader.stringList("Layers"))
        config.layers = std::move(*layers);
    if (auto environment = reader.object("Environment")) {
        if (auto variables = environment->stringMap("Variables"))
            config.environment = std::move(*variables);
    }
    if (auto storage = reader.object("EphemeralStorage"))
        config.ephemeralStorageMb = storage->integer("Size").value_or(config.ephemeralStorageMb);
    if (auto snapStart = reader.object("SnapStart"))
        config.snapStartApplyOn = snapStart->string("ApplyOn").value_or(config.snapStartApplyOn);
    if (auto deadLetter = reader.object("DeadLetterConfig"))
        config.deadLetterTargetArn = deadLetter->string("TargetArn").value_or("");
    if (auto failure = reader.failure())
        return *failure;
    auto architecture = readArchitecture(reader, config.architecture);
    if (!architecture)
        return architecture.error();
    config.architecture = std::move(*architecture);

    auto code = reader.object("Code");
    if (auto failure = reader.failure())
        return *failure;
    if (!code)
        return validationError("null", "code", "Member must not be null");
    if (code->has("S3Bucket") || code->has("S3Key") || code->has("ImageUri"))
        return makeError(ErrorCode::InvalidParameter,
                         "lambdesk does not fetch code from S3 or container registries; "
                         "upload the .zip file as Code.ZipFile");
    const auto zipText = code->string("ZipFile");
    if (auto failure = reader.failure())
        return *failure;
    if (!zipText)
        return makeError(ErrorCode::InvalidParameter,
                         "Please provide a source for function code (Code.ZipFile).");
    auto zip = decodeZipFile(*zipText);
    if (!zip)
        return zip.error();
    input.zipBytes = std::move(*zip);
    return input;
}

Result<FunctionConfigPatch> readConfigPatch(const json &body)
{
    BodyReader reader(body);
    FunctionConfigPatch patch;
    patch.description = reader.string("Description");
    patch.runtime = reader.string("Runtime");
    patch.handler = reader.string("Handler");
    patch.role = reader.string("Role");
    patch.memorySizeMb = reader.integer("MemorySize");
    patch.timeoutSeconds = reader.integer("Timeout");
    patch.layers = reader.stringList("Layers");
    patch.revisionId = reader.string("RevisionId");
    if (auto environment = reader.object("Environment")) {
        // Environment replaces every variable; {} (or no Variables) clears them, as in Lambda.
        patch.environment = environment->stringMap("Variables").value_or(
            std::map<std::string, std::string>{});
    }
    if (auto storage = reader.object("EphemeralStorage"))
        patch.ephemeralStorageMb = storage->integer("Size");
    if (auto snapStart = reader.object("SnapStart"))
        patch.snapStartApplyOn = snapStart->string("ApplyOn").value_or("None");
    // DeadLetterConfig {} (or an empty TargetArn) removes the dead-letter queue, as in Lambda.
    if (auto deadLetter = reader.object("DeadLetterConfig"))
        patch.deadLetterTargetArn = deadLetter->string("TargetArn").value_or("");
    if (auto failure = reader.failure())
        return *failure;
    return patch;
}

} // namespace lambdesk::engine::api
