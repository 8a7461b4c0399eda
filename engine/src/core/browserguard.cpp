#include "core/browserguard.h"

#include <httplib.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace lambdesk::engine {
namespace {

std::string lowercase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

} // namespace

std::optional<HostAndPort> splitHostHeader(const std::string &value)
{
    HostAndPort parsed;
    std::string rest;
    if (!value.empty() && value.front() == '[') {
        const auto close = value.find(']');
        if (close == std::string::npos)
            return std::nullopt;
        parsed.host = value.substr(1, close - 1);
        rest = value.substr(close + 1);
    } else {
        const auto colon = value.find(':');
        parsed.host = value.substr(0, colon);
        rest = colon == std::string::npos ? std::string() : value.substr(colon);
    }
    if (rest.empty())
        return parsed;
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6 ||
        !std::all_of(rest.begin() + 1, rest.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    parsed.port = std::stoi(rest.substr(1));
    return parsed;
}

bool isLoopbackHostName(const std::string &host)
{
    const std::string name = lowercase(host);
    if (name == "localhost" || name == "localhost.")
        return true;
    in_addr v4{};
    if (::inet_pton(AF_INET, name.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return ::inet_pton(AF_INET6, name.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::optional<std::string> browserRequestRefusal(const httplib::Request &req,
                                                 const BrowserGuardPolicy &policy)
{
    if (req.method == "OPTIONS")
        return "CORS preflight requests are refused: this endpoint takes no requests from web "
               "pages";
    if (req.has_header("Origin")) {
        const std::string origin = req.get_header_value("Origin");
        const auto &allowed = policy.allowedOrigins;
        if (std::find(allowed.begin(), allowed.end(), origin) == allowed.end())
            return "Cross-origin request refused: Origin '" + origin +
                   "' is not allowed (start the engine with --allow-origin " + origin +
                   " to allow it)";
    }
    const std::string host = req.get_header_value("Host");
    const auto parsed = splitHostHeader(host);
    const bool named =
        parsed &&
        (isLoopbackHostName(parsed->host) ||
         (!policy.listenHost.empty() && lowercase(parsed->host) == lowercase(policy.listenHost)));
    const bool portMatches =
        parsed && (policy.port == 0 || parsed->port.value_or(80) == policy.port);
    if (host.empty() || !named || !portMatches)
        return "Host header '" + host +
               "' does not name this endpoint (a loopback address or "
               "localhost" +
               (policy.port ? " with port " + std::to_string(policy.port) : std::string()) + ")";
    return std::nullopt;
}

} // namespace lambdesk::engine
