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

bool readArchitecture(BodyReader &reader, httplib::Response &res, std::string &architecture)
{
    const auto list = reader.stringList("Architectures");
    if (!reader.ok())
        return false;
    if (!list)
        return true;
    if (list->size() != 1) {
        std::string value = "[";
        for (const auto &item : *list)
            value.append(value.size() > 1 ? ", " : "").append(item);
        value.append("]");
        sendValidationError(res, value, "architectures",
                            "Member must have length less than or equal to 1");
        return false;
    }
    if (list->front() != "x86_64" && list->front() != "arm64") {
        sendValidationError(res, list->front(), "architectures",
                            "Member must satisfy enum value set: [x86_64, arm64]");
        return false;
    }
    architecture = list->front();
    return true;
}

void sendUnsupported(httplib::Response &res, const std::string &message)
{
    sendLambdaError(res, 400, "InvalidParameterValueException", message);
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
    if (!config.layers.empty()) {
        json layers = json::array();
        for (const auto &arn : config.layers)
            layers.push_back({{"Arn", arn}, {"CodeSize", 0}});
        out["Layers"] = std::move(layers);
    }
    if (!config.runtime.empty() && !isProvidedRuntime(config.runtime))
        out["RuntimeVersionConfig"] = {{"RuntimeVersionArn", runtimeVersionArn(info)}};
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

std::optional<std::string> decodeZipFile(const std::string &base64Text, httplib::Response &res)
{
    auto bytes = common::base64Decode(base64Text);
    if (!bytes) {
        sendLambdaError(res, 400, "InvalidRequestContentException",
                        "Could not parse request body into json: ZipFile is not valid base64");
        return std::nullopt;
    }
    return bytes;
}

std::optional<CreateFunctionInput> readCreateFunction(const json &body, httplib::Response &res)
{
    BodyReader reader(body, res);
    CreateFunctionInput input;
    FunctionConfig &config = input.config;

    const auto name = reader.string("FunctionName");
    if (!reader.ok())
        return std::nullopt;
    if (!name) {
        sendValidationError(res, "null", "functionName", "Member must not be null");
        return std::nullopt;
    }
    const auto ref = parseFunctionRef(*name, NameShape::Plain, res);
    if (!ref)
        return std::nullopt;
    if (!ref->qualifier.empty()) {
        sendUnsupported(res, "A function name for CreateFunction cannot carry a qualifier: '"
                                 + *name + "'");
        return std::nullopt;
    }
    config.name = ref->name;

    if (const auto packageType = reader.string("PackageType"); packageType && *packageType != "Zip") {
        sendUnsupported(res, "PackageType '" + *packageType
                                 + "' is not supported by lambdesk; deploy a .zip file archive");
        return std::nullopt;
    }
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
    if (!reader.ok() || !readArchitecture(reader, res, config.architecture))
        return std::nullopt;

    auto code = reader.object("Code");
    if (!reader.ok())
        return std::nullopt;
    if (!code) {
        sendValidationError(res, "null", "code", "Member must not be null");
        return std::nullopt;
    }
    if (code->has("S3Bucket") || code->has("S3Key") || code->has("ImageUri")) {
        sendUnsupported(res, "lambdesk does not fetch code from S3 or container registries; "
                             "upload the .zip file as Code.ZipFile");
        return std::nullopt;
    }
    const auto zipText = code->string("ZipFile");
    if (!reader.ok())
        return std::nullopt;
    if (!zipText) {
        sendUnsupported(res, "Please provide a source for function code (Code.ZipFile).");
        return std::nullopt;
    }
    auto zip = decodeZipFile(*zipText, res);
    if (!zip)
        return std::nullopt;
    input.zipBytes = std::move(*zip);
    return input;
}

std::optional<FunctionConfigPatch> readConfigPatch(const json &body, httplib::Response &res)
{
    BodyReader reader(body, res);
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
    if (!reader.ok())
        return std::nullopt;
    return patch;
}

} // namespace lambdesk::engine::api
