#pragma once
// Function names as the REST API receives them: the {FunctionName} path label (parsed by the
// engine's parseFunctionRef) reconciled with the Qualifier query parameter.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/validation.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

namespace lambdesk::engine::api {

// The names and their one parser are the engine's (validation.h).
using engine::FunctionRef;
using engine::parseFunctionRef;
using NameShape = FunctionNameShape;

enum class QualifierUse {
    Accepted, // the operation takes ?Qualifier= (and a ":qualifier" suffix)
    Rejected, // the operation acts on the unpublished function only
};

// {FunctionName} from req.matches[1] plus the Qualifier query parameter, reconciled.
Result<FunctionRef> readFunctionRef(const httplib::Request &req, NameShape shape,
                                    QualifierUse qualifierUse);

// A write operation's {FunctionName} (as readFunctionRef) and JSON body (as readJsonBody), read
// in that order; the first error.
struct FunctionRequest {
    FunctionRef ref;
    nlohmann::json body;
};
Result<FunctionRequest> readFunctionRequest(const httplib::Request &req, NameShape shape,
                                            QualifierUse qualifierUse);

} // namespace lambdesk::engine::api
