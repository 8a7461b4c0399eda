#pragma once
// Lambda's parameter rules, shared by the store and the GUI's live validation. Messages are shown
// to users as they are, so they name the field and the rule.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace lambdesk::engine {

// Lambda's limits (CreateFunction / UpdateFunctionConfiguration), for the checks below and for
// the ranges the GUI's forms offer.
inline constexpr int kMinMemoryMb = 128;
inline constexpr int kMaxMemoryMb = 10240;
inline constexpr int kMinTimeoutSeconds = 1;
inline constexpr int kMaxTimeoutSeconds = 900;
inline constexpr int kMinEphemeralStorageMb = 512;
inline constexpr int kMaxEphemeralStorageMb = 10240;
inline constexpr std::size_t kMaxNameLength = 64;
inline constexpr std::size_t kMaxDescriptionLength = 256;
inline constexpr std::size_t kMaxHandlerLength = 128;
inline constexpr std::size_t kMaxEnvironmentBytes = 4096; // all variables, as JSON
inline constexpr std::size_t kMaxLayers = 5;
inline constexpr std::size_t kMaxLayerNameLength = 140; // a name or ARN, with or without version
inline constexpr std::size_t kMaxLicenseInfoLength = 512;
inline constexpr std::size_t kMaxCompatibleRuntimes = 15;
// Code storage quotas, in bytes (GetAccountSettings reports them; the store enforces unzipped).
inline constexpr std::int64_t kMaxZippedCodeBytes = 52428800;    // 50 MB
inline constexpr std::int64_t kMaxUnzippedCodeBytes = 262144000; // 250 MB
inline constexpr std::int64_t kMaxTotalCodeBytes = 80530636800;  // 75 GB

// ValidationException as AWS words a value that breaks the model: "1 validation error detected:
// Value 'x' at 'field' failed to satisfy constraint: ...". The one place that sentence is made.
Error constraintError(const std::string &value, const std::string &field,
                      const std::string &constraint);

// A FunctionName as the API takes it: a name, a partial ARN ("ACCOUNT:function:NAME") or a full
// ARN, each optionally ending in ":QUALIFIER". The one parser of these forms.
struct FunctionRef {
    std::string name;      // the bare function name
    std::string qualifier; // "" when none was given, else "$LATEST" or a version/alias
};

enum class FunctionNameShape {
    Plain,      // model shape FunctionName: up to 140 characters
    Namespaced, // model shape NamespacedFunctionName: up to 256, '.' allowed in the name
};

// ValidationException (quoting the model's constraint) when `nameOrArn` is not one of the forms.
Result<FunctionRef> parseFunctionRef(const std::string &nameOrArn,
                                     FunctionNameShape shape = FunctionNameShape::Namespaced);

Result<void> validateFunctionName(const std::string &name);      // 1-64 of [A-Za-z0-9_-]
Result<void> validateConfig(const FunctionConfig &config);       // ranges, handler, env names
Result<void> validateEnvironmentVariableName(const std::string &key); // [a-zA-Z][a-zA-Z0-9_]+, not reserved

// A layer (version) named by the API: region and account are empty for a bare name, version is
// 0 when none was given.
struct LayerRef {
    std::string region;
    std::string accountId;
    std::string name;
    std::int64_t version = 0;
};

// An item of a function's Layers: "arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION".
// ValidationException quoting the model's pattern otherwise.
Result<LayerRef> parseLayerVersionArn(const std::string &arn);
// A LayerName parameter: a name, or the layer's ARN without a version.
Result<LayerRef> parseLayerName(const std::string &nameOrArn);
// PublishLayerVersion's parameters: name, description, license, runtimes and architectures.
Result<void> validateLayerVersionInput(const LayerVersionInput &input);

// A function URL's settings: AuthType and InvokeMode enums, the Cors lists' sizes, methods and
// MaxAge (ValidationException listing every problem).
Result<void> validateFunctionUrlSettings(const FunctionUrlSettings &settings);
inline constexpr int kMaxCorsMaxAgeSeconds = 86400;
// A function URL's Qualifier: an alias name (not $LATEST, not a version number).
Result<void> validateFunctionUrlQualifier(const std::string &qualifier);

} // namespace lambdesk::engine
