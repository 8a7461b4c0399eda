#pragma once
// Function names as the REST API receives them: a name, a partial ARN ("ACCOUNT:function:NAME")
// or a full ARN, each optionally ending in ":QUALIFIER", plus the Qualifier query parameter.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace lambdesk::engine::api {

struct FunctionRef {
    std::string name;      // the bare function name the engine expects
    std::string qualifier; // "" when none was given, else "$LATEST" or a version/alias
};

enum class NameShape {
    Plain,      // model shape FunctionName: up to 140 characters
    Namespaced, // model shape NamespacedFunctionName: up to 256, '.' allowed in the name
};

enum class QualifierUse {
    Accepted, // the operation takes ?Qualifier= (and a ":qualifier" suffix)
    Rejected, // the operation acts on the unpublished function only
};

// Validates `text` (the decoded {FunctionName} path label) as the model does and splits it.
// Sends ValidationException / InvalidParameterValueException and returns nullopt when invalid.
std::optional<FunctionRef> parseFunctionRef(const std::string &text, NameShape shape,
                                            httplib::Response &res);

// {FunctionName} from req.matches[1] plus the Qualifier query parameter, reconciled.
std::optional<FunctionRef> readFunctionRef(const httplib::Request &req, httplib::Response &res,
                                           NameShape shape, QualifierUse qualifierUse);

// A write operation's {FunctionName} (as readFunctionRef) and JSON body (as readJsonBody), read
// in that order; nullopt after sending the first error.
struct FunctionRequest {
    FunctionRef ref;
    nlohmann::json body;
};
std::optional<FunctionRequest> readFunctionRequest(const httplib::Request &req,
                                                   httplib::Response &res, NameShape shape,
                                                   QualifierUse qualifierUse);

} // namespace lambdesk::engine::api
