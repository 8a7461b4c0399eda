#pragma once
// Plain value types of the engine API. They are copied freely across threads; the REST API and
// the desktop app are two clients of the same calls (see engine.h).

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

// Tag lambdesk:network: "outbound" (the default: the internet through a user-mode network stack
// that cannot reach the host's loopback, as a Lambda function outside a VPC) or "none".
inline constexpr const char *kNetworkTag = "lambdesk:network";
inline constexpr const char *kNetworkOutbound = "outbound";
inline constexpr const char *kNetworkNone = "none";

// What a caller may set on a function (CreateFunction / UpdateFunctionConfiguration).
struct FunctionConfig {
    std::string name;
    std::string description;
    std::string runtime;            // e.g. "python3.11", "nodejs20.x", "provided.al2023"
    std::string handler;            // "module.function"; ignored by provided runtimes
    std::string role = "arn:aws:iam::000000000000:role/lambdesk-execution-role";
    int memorySizeMb = 128;         // 128..10240
    int timeoutSeconds = 3;         // 1..900
    int ephemeralStorageMb = 512;   // 512..10240
    std::string architecture = "x86_64"; // "x86_64" | "arm64"
    std::map<std::string, std::string> environment;
    std::map<std::string, std::string> tags; // "lambdesk:sandbox" picks the sandbox backend
    std::vector<std::string> layers;         // layer version ARNs
    // Lambda SnapStart: "PublishedVersions" (the microvm sandbox snapshots a published version's
    // initialised environment and resumes later cold starts from it) or "None".
    std::string snapStartApplyOn = "None";
    // DeadLetterConfig.TargetArn: a queue of this engine that receives an asynchronous event the
    // function failed to process (retries exhausted or too old); "" for none.
    std::string deadLetterTargetArn;
};

// SnapStart covers published versions only, as in Lambda.
inline bool snapStartApplies(const FunctionConfig &config, const std::string &version)
{
    return config.snapStartApplyOn == "PublishedVersions" && version != "$LATEST";
}

// Partial update: only engaged fields change (UpdateFunctionConfiguration semantics).
struct FunctionConfigPatch {
    std::optional<std::string> description;
    std::optional<std::string> runtime;
    std::optional<std::string> handler;
    std::optional<std::string> role;
    std::optional<int> memorySizeMb;
    std::optional<int> timeoutSeconds;
    std::optional<int> ephemeralStorageMb;
    std::optional<std::map<std::string, std::string>> environment;
    std::optional<std::vector<std::string>> layers;
    std::optional<std::string> snapStartApplyOn;
    std::optional<std::string> deadLetterTargetArn; // "" removes it
    std::optional<std::string> revisionId; // precondition: must match the current one
};

// A layer version a function uses, in FunctionConfiguration.Layers.
struct FunctionLayer {
    std::string arn;           // arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION
    std::int64_t codeSize = 0; // bytes of the layer version's zip
};

// A function (or a published version of it) as GetFunctionConfiguration describes it.
struct FunctionInfo {
    FunctionConfig config;
    std::string functionArn;       // arn:aws:lambda:us-east-1:000000000000:function:NAME[:VERSION]
    std::string version = "$LATEST";
    std::string codeSha256;        // base64 SHA-256 of the deployment package, as AWS reports it
    std::int64_t codeSize = 0;     // bytes of the deployment package
    std::string revisionId;        // changes on every code or configuration update
    std::string lastModified;      // "2026-11-25T15:39:06.000+0000"
    std::int64_t lastModifiedMs = 0; // same instant, epoch milliseconds
    std::string commit;            // git commit holding this code
    std::string state = "Active";
    std::string lastUpdateStatus = "Successful";
    std::optional<int> reservedConcurrency;
    std::string sandbox;           // backend that serves it: "process" | "gvisor" | "microvm"
    std::vector<FunctionLayer> layers; // config.layers, in order, with their sizes
};

// An alias: a name for one published version (or $LATEST), optionally sending a share of the
// invocations to a second version (RoutingConfig.AdditionalVersionWeights).
struct AliasConfig {
    std::string name;            // 1-128 of [a-zA-Z0-9-_], not all digits
    std::string functionVersion; // "$LATEST" or a version number
    std::string description;
    std::map<std::string, double> additionalVersionWeights; // at most one: version -> 0.0..1.0
};

// UpdateAlias: only engaged fields change.
struct AliasPatch {
    std::optional<std::string> functionVersion;
    std::optional<std::string> description;
    std::optional<std::map<std::string, double>> additionalVersionWeights;
    std::string revisionId; // precondition when not empty
};

// An alias as GetAlias describes it.
struct AliasInfo {
    AliasConfig config;
    std::string aliasArn; // arn:aws:lambda:REGION:ACCOUNT:function:NAME:ALIAS
    std::string revisionId;
};

// AddPermission: who may do what with a function, one statement of its resource-based policy.
// Empty strings are absent.
struct PermissionRequest {
    std::string statementId;
    std::string action;    // lambda:InvokeFunction, lambda:InvokeFunctionUrl, lambda:*, ...
    std::string principal; // an account id, an ARN, a service (s3.amazonaws.com) or *
    std::string sourceArn;
    std::string sourceAccount;
    std::string eventSourceToken;
    std::string principalOrgId;
    std::string functionUrlAuthType; // NONE | AWS_IAM
    bool invokedViaFunctionUrl = false;
    std::string revisionId; // the policy's, as GetPolicy gave it: a precondition when not empty
};

// GetPolicy: the policy document as JSON text, as AWS returns it.
struct FunctionPolicy {
    std::string policy;
    std::string revisionId;
};

// A function URL's cross-origin resource sharing settings (the model's Cors shape).
struct FunctionUrlCors {
    bool allowCredentials = false;
    std::vector<std::string> allowHeaders;
    std::vector<std::string> allowMethods; // GET, PUT, HEAD, POST, PATCH, DELETE or *
    std::vector<std::string> allowOrigins; // "https://example.com" or *
    std::vector<std::string> exposeHeaders;
    std::optional<int> maxAge; // seconds, 0..86400
};

// A function URL's host: "<url-id>" + kFunctionUrlDomain, url-id being kFunctionUrlIdLength of
// [a-z0-9] (AWS's is "<url-id>.lambda-url.<region>.on.aws").
inline constexpr const char *kFunctionUrlDomain = ".lambda-url.localhost";
inline constexpr std::size_t kFunctionUrlIdLength = 32;
inline constexpr const char *kUrlAuthNone = "NONE";
inline constexpr const char *kUrlAuthIam = "AWS_IAM";
inline constexpr const char *kInvokeModeBuffered = "BUFFERED";
inline constexpr const char *kInvokeModeStream = "RESPONSE_STREAM";

// CreateFunctionUrlConfig's settings; UpdateFunctionUrlConfig changes the engaged ones.
struct FunctionUrlSettings {
    std::string authType; // NONE | AWS_IAM
    std::optional<FunctionUrlCors> cors;
    std::string invokeMode = kInvokeModeBuffered;
};

struct FunctionUrlPatch {
    std::optional<std::string> authType;
    std::optional<FunctionUrlCors> cors;
    std::optional<std::string> invokeMode;
};

// A function URL (GetFunctionUrlConfig): one per function and per alias.
struct FunctionUrlInfo {
    FunctionUrlSettings settings;
    std::string functionName;
    std::string qualifier;    // the alias; "" for the function's own URL ($LATEST)
    std::string functionArn;  // qualified by the alias when there is one
    std::string urlId;        // 32 of [a-z0-9]; never changes while the URL exists
    std::string functionUrl;  // "http://<url-id>.lambda-url.localhost:PORT/"
    std::string creationTime; // "2026-12-06T20:04:11.123456Z"
    std::string lastModifiedTime;
};

// What the URL server needs to answer a request: the URL, and whether its function's
// resource-based policy grants lambda:InvokeFunctionUrl to everyone (AuthType NONE needs that).
struct FunctionUrlAccess {
    FunctionUrlInfo url;
    bool publicAccessAllowed = false;
};

// PublishLayerVersion's parameters (the content travels beside them as zip bytes).
struct LayerVersionInput {
    std::string layerName; // a name, or the layer's ARN without a version
    std::string description;
    std::string licenseInfo;
    std::vector<std::string> compatibleRuntimes;      // at most 15 runtime ids
    std::vector<std::string> compatibleArchitectures; // "x86_64" and/or "arm64"
};

// One published layer version (GetLayerVersion). Its content never changes.
struct LayerVersionInfo {
    std::string layerName;
    std::string layerArn;        // arn:aws:lambda:REGION:ACCOUNT:layer:NAME
    std::string layerVersionArn; // layerArn + ":VERSION"
    std::int64_t version = 0;    // 1, 2, ...: never reused, even after a delete
    std::string description;
    std::string licenseInfo;
    std::vector<std::string> compatibleRuntimes;
    std::vector<std::string> compatibleArchitectures;
    std::int64_t createdMs = 0;
    std::string createdDate;       // "2026-12-06T10:44:46.000+0000"
    std::string codeSha256;        // base64 SHA-256 of the zip
    std::int64_t codeSize = 0;     // bytes of the zip
    std::int64_t unzippedSize = 0; // bytes of its files, counted against a function's 250 MB
};

// ListLayers / ListLayerVersions filters; empty matches everything.
struct LayerFilter {
    std::string compatibleRuntime;
    std::string compatibleArchitecture;
};

// One file of a function's code, as the editor shows and deploys it.
struct CodeFile {
    std::string path;        // relative, '/'-separated, e.g. "lib/util.py"
    std::string content;
    bool executable = false;
};

enum class InvocationType { RequestResponse, Event, DryRun };

// Where a streamed response goes (a function URL with InvokeMode RESPONSE_STREAM) as the runtime
// sends it: begin() once with its Content-Type, then write() per chunk, on a Runtime API thread
// while the invocation runs. write() returning false (the caller went away) drops the rest.
class ResponseStream {
public:
    virtual ~ResponseStream() = default;
    virtual void begin(const std::string &contentType) = 0;
    virtual bool write(const std::string &chunk) = 0;
};

// Where an invocation came from, as the Monitor labels it.
inline constexpr const char *kInvocationSourceFunctionUrl = "function-url";
inline constexpr const char *kInvocationSourceSchedule = "schedule";
inline constexpr const char *kInvocationSourceFolder = "folder";
inline constexpr const char *kInvocationSourceQueue = "queue";
// An asynchronous event's second or third attempt, after the function failed it.
inline constexpr const char *kInvocationSourceAsyncRetry = "async-retry";
// An invocation record sent to a function named as an asynchronous invocation's destination.
inline constexpr const char *kInvocationSourceDestination = "destination";

struct InvokeRequest {
    std::string functionName;   // name, full or partial ARN
    std::string qualifier;      // "" or "$LATEST", a version number or an alias
    std::string payload;        // JSON text; empty means "{}"... as Lambda: an empty event
    InvocationType type = InvocationType::RequestResponse;
    bool tailLog = false;       // LogType: Tail
    std::string clientContext;  // base64 JSON, passed to the runtime as is
    // RequestResponse only: a runtime that streams its response (Node's
    // awslambda.streamifyResponse) writes it here; InvokeResult.streamed then says so.
    std::shared_ptr<ResponseStream> stream;
    std::string source; // who invoked: one of kInvocationSource*, "" for the API and the console
};

enum class InvocationStatus { Succeeded, FunctionError, TimedOut, Throttled };

// What the engine records for every invocation (SQLite, survives SIGKILL).
struct InvocationRecord {
    std::string requestId;
    std::string functionName;
    std::string version = "$LATEST";   // the version that ran
    std::string alias;                 // the alias it was invoked through; "" when none
    std::int64_t startTimeMs = 0;      // epoch milliseconds when the invoke arrived
    double initDurationMs = 0;         // > 0 only on a cold start
    bool restored = false;             // that cold start resumed a SnapStart snapshot: Restore Duration
    double durationMs = 0;             // handler time (event delivered -> response received)
    std::int64_t billedDurationMs = 0; // durationMs rounded up to the millisecond
    int memorySizeMb = 0;
    int maxMemoryUsedMb = 0;
    bool coldStart = false;
    InvocationStatus status = InvocationStatus::Succeeded;
    std::string errorType;             // e.g. "Runtime.ExitError", "Sandbox.Timedout", handler's type
    std::string sandbox;               // backend that served it
    std::string invocationType = "RequestResponse";
    std::string source;                // InvokeRequest::source
    std::string log;                   // START ... END ... REPORT lines with the function output
};

struct InvokeResult {
    int statusCode = 200;                       // 200 RequestResponse, 202 Event, 204 DryRun
    std::string payload;                        // the function's response or error document
    std::optional<std::string> functionError;   // "Unhandled" when the function failed
    std::string logTail;                        // last 4 KB of the log, raw (not base64)
    std::string executedVersion = "$LATEST";
    bool streamed = false; // the response went to InvokeRequest::stream; payload is empty
    InvocationRecord record;
};

struct InvocationQuery {
    std::string functionName;          // empty: every function
    std::int64_t sinceMs = 0;          // inclusive, epoch ms
    std::int64_t untilMs = 0;          // exclusive; 0 = no upper bound
    int limit = 0;                     // 0 = no limit; newest last
    bool withLogs = false;
    std::string version; // the version that ran ("$LATEST", "3"); empty: any
    std::string alias;   // invoked through this alias; empty: any
};

struct SavedTestEvent {
    std::string name;
    std::string json;
    bool shareable = false;
};

struct Availability {
    std::string id;       // runtime id or sandbox backend name
    bool available = false;
    std::string detail;   // what serves it ("/usr/bin/python3.11") or why it cannot run
};

// The microVM guest image (kernel + root image) that the microvm sandbox boots.
struct GuestImageInfo {
    bool built = false;                    // the recorded image exists
    std::string detail;                    // why not, when !built
    // Builds it, or refreshes it when its inputs changed (quick when they did not); prints
    // "PROGRESS <percent> <text>" lines on stderr and the manifest path on stdout.
    std::vector<std::string> buildCommand;
    std::string cacheDir; // where the image, the snapshots and the VMs' pidfiles live
};

// GetAccountSettings: Lambda's quotas and what this engine's functions use of them.
struct AccountSettings {
    std::int64_t totalCodeSizeLimit = 0;    // bytes, all functions' code
    std::int64_t codeSizeUnzippedLimit = 0; // bytes, one function with its layers
    std::int64_t codeSizeZippedLimit = 0;   // bytes, one upload
    int concurrentExecutions = 0;           // the account's concurrency
    int unreservedConcurrentExecutions = 0; // what reservations leave to the other functions
    std::int64_t totalCodeSize = 0;         // bytes the functions' code takes
    std::int64_t functionCount = 0;
};

struct EngineStatus {
    int warmEnvironments = 0;          // idle + busy execution environments
    int busyEnvironments = 0;
    std::string defaultSandbox;        // resolved default backend
    std::string dataDir;
};

} // namespace lambdesk::engine
