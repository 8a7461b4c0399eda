#pragma once
// Who may drive the REST API: the browser guard (Origin, Host, preflights) and SigV4, in the
// words AWS answers with. Headers are checked before routing; the signature, which covers the
// body, once the route has read it. Private to engine/src/api.

#include "core/browserguard.h"
#include "lambdesk/engine/apiserver.h"

#include <httplib.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace lambdesk::engine::api {

class RequestAuthenticator {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    explicit RequestAuthenticator(ApiAccess access, Clock clock = std::chrono::system_clock::now);

    // The listener's address, once bound: the Host header must name it.
    void setListener(const std::string &host, int port);
    ApiAuthMode mode() const { return m_access.auth; }

    // Before the body is read: browser guard, the Authorization header's shape, and in Verify
    // mode the access key and the request time. The refusal, in AWS's words, or nullopt.
    std::optional<Error> checkHeaders(const httplib::Request &req) const;
    // checkHeaders without the browser guard: for a function URL with AuthType AWS_IAM, which
    // a web page may call as long as it signs.
    std::optional<Error> checkSignatureHeaders(const httplib::Request &req) const;
    // With the body: the signature itself (Verify mode; nothing to check in Shape mode).
    std::optional<Error> checkSignature(const httplib::Request &req) const;

private:
    ApiAccess m_access;
    Clock m_clock;
    BrowserGuardPolicy m_guard;
};

} // namespace lambdesk::engine::api
