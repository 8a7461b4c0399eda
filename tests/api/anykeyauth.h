#pragma once
// What every AWS SDK sends and the engine's default mode (--auth any-key) asks for: a
// well-formed SigV4 Authorization header. Test clients that are not an SDK send this one.

#include <httplib.h>

namespace lambdesk::engine::testing {

inline constexpr const char *kAnyKeyAuthorization =
    "AWS4-HMAC-SHA256 Credential=AKIDLAMBDESKTEST/20260101/us-east-1/lambda/aws4_request, "
    "SignedHeaders=host;x-amz-date, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000";

inline void signWithAnyKey(httplib::Client &client)
{
    client.set_default_headers({{"Authorization", kAnyKeyAuthorization}});
}

} // namespace lambdesk::engine::testing
