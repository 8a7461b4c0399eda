#pragma once
// How a function's resource-based policy is read when something invokes it: a public function
// URL, or an AWS service (EventBridge, S3, ...) on a resource's behalf. The store writes the
// statements (AddPermission); these are the only readers.

#include <string>

namespace lambdesk::engine {

// Anyone may invoke through the URL: since October 2025 Lambda wants both
// lambda:InvokeFunctionUrl and lambda:InvokeFunction granted to everyone.
bool allowsPublicUrlInvoke(const std::string &policyDocument);

// `service` (events.amazonaws.com) may call lambda:InvokeFunction for `sourceArn` in
// `sourceAccount`: a statement names the service or *, and each of its conditions holds.
bool allowsServiceInvoke(const std::string &policyDocument, const std::string &service,
                         const std::string &sourceArn, const std::string &sourceAccount);

} // namespace lambdesk::engine
