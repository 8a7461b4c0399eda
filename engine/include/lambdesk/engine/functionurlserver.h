#pragma once
// Function URLs served for real: http://<url-id>.lambda-url.localhost:PORT/ and the plain form
// http://127.0.0.1:PORT/<url-id>/ reach the function with the payload format 2.0 event Lambda
// sends. Each URL follows its own AuthType (NONE: its resource-based policy must grant public
// access; AWS_IAM: SigV4, checked as the REST API checks it) and CORS settings. A listener of
// its own, apart from the REST API, which stays closed to web pages.

#include "lambdesk/engine/apiserver.h"
#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/result.h"

#include <memory>
#include <string>

namespace lambdesk::engine {

class FunctionUrlServer {
public:
    // Borrows engine; it must outlive serving (stop(), which the destructor's is after). `access`
    // is the REST API's: AWS_IAM URLs take the same signatures.
    FunctionUrlServer(Engine &engine, ApiAccess access);
    ~FunctionUrlServer(); // stops serving and joins its threads
    FunctionUrlServer(const FunctionUrlServer &) = delete;
    FunctionUrlServer &operator=(const FunctionUrlServer &) = delete;

    // Binds host:port (port 0 picks a free one), tells the engine where URLs live, serves on
    // background threads. Returns the bound port.
    Result<int> start(const std::string &host, int port);
    void stop();
    std::string baseUrl() const; // "http://127.0.0.1:PORT", empty when not started

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
