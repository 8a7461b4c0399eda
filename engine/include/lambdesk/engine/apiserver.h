#pragma once
// The Lambda REST API (2015-03-31, rest-json) over HTTP, a thin client of Engine: awscli, boto3
// and the SDKs work against it unchanged. Binds loopback unless told otherwise.

#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/result.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace lambdesk::engine {

// How API requests prove who sent them. Every AWS SDK and the CLI sign with SigV4, which a web
// page cannot send cross-site without a preflight (always refused).
enum class ApiAuthMode {
    AnyKey, // a well-formed SigV4 Authorization header, any key (as LocalStack accepts)
    Verify, // the signature checked for real against the data dir's key pair
};

struct ApiCredentials {
    std::string accessKeyId;
    std::string secretAccessKey;
};

struct ApiAccess {
    ApiAuthMode auth = ApiAuthMode::AnyKey;
    ApiCredentials credentials;              // what Verify checks against
    std::vector<std::string> allowedOrigins; // Origin values not refused (--allow-origin)
};

// The data dir's API key pair (file api-credentials, mode 0600), generated on first use.
Result<ApiCredentials> loadOrCreateApiCredentials(const std::filesystem::path &dataDir);

// The two lines that put `credentials` into the AWS CLI's profile "lambdesk".
std::vector<std::string> awsConfigureLines(const ApiCredentials &credentials);

// "SigV4 header required" / "SigV4 verified", for status lines.
std::string describeAuthMode(ApiAuthMode mode);

class ApiServer {
public:
    // Borrows engine; it must outlive the server.
    explicit ApiServer(Engine &engine, ApiAccess access = {});
    ~ApiServer();                        // stops serving and joins its threads
    ApiServer(const ApiServer &) = delete;
    ApiServer &operator=(const ApiServer &) = delete;

    // Binds host:port (port 0 picks a free one) and serves on background threads. Returns the
    // bound port.
    Result<int> start(const std::string &host, int port);
    void stop();
    std::string baseUrl() const; // "http://127.0.0.1:PORT", empty when not started

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// How a Lambda error type looks on the wire.
struct LambdaErrorShape {
    int status = 500;
    std::string type;            // x-amzn-ErrorType
    bool capitalMessage = false; // the model spells this shape's member "Message", not "message"
};

// The one place where errors become Lambda errors.
LambdaErrorShape lambdaErrorFor(ErrorCode code);

} // namespace lambdesk::engine
