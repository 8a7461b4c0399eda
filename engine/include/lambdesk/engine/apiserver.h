#pragma once
// The Lambda REST API (2015-03-31, rest-json) over HTTP, a thin client of Engine: awscli, boto3
// and the SDKs work against it unchanged. Binds loopback unless told otherwise.

#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/result.h"

#include <memory>
#include <string>

namespace lambdesk::engine {

class ApiServer {
public:
    explicit ApiServer(Engine &engine); // borrows engine; it must outlive the server
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

// The one place where engine errors become Lambda errors: {HTTP status, AWS error type}.
std::pair<int, std::string> lambdaErrorFor(ErrorCode code);

} // namespace lambdesk::engine
