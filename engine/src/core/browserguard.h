#pragma once
// What keeps a web page away from the engine's control listeners (REST API, Runtime API): a
// browser marks every cross-site request with an Origin header and cannot forge the Host header,
// so a request with a foreign Origin, any CORS preflight, and a Host that is not this loopback
// listener (DNS rebinding) are refused before routing. Shared by every listener the engine opens.

#include <optional>
#include <string>
#include <vector>

namespace httplib {
struct Request;
}

namespace lambdesk::engine {

struct BrowserGuardPolicy {
    std::vector<std::string> allowedOrigins; // exact Origin values let through; none by default
    std::string listenHost;                  // the address the listener is bound to
    int port = 0;                            // the Host header must name it; 0: any port
};

// Why the request is refused, in words a developer can act on; nullopt when it may go on.
std::optional<std::string> browserRequestRefusal(const httplib::Request &req,
                                                 const BrowserGuardPolicy &policy);

struct HostAndPort {
    std::string host; // as sent; IPv6 without brackets
    std::optional<int> port;
};
// A Host header: "127.0.0.1:9001", "[::1]:9001", "localhost"; nullopt when it is not of that form.
std::optional<HostAndPort> splitHostHeader(const std::string &value);

// Whether `host` (no port, IPv6 without brackets) is 127.0.0.0/8, ::1 or localhost.
bool isLoopbackHostName(const std::string &host);

} // namespace lambdesk::engine
