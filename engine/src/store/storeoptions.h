#pragma once
// Where a store lives and whose functions it holds, and the words every part of the store uses
// for a function it does not have.

#include "lambdesk/engine/result.h"

#include <filesystem>
#include <string>

namespace lambdesk::engine {

struct StoreOptions {
    std::filesystem::path dataDir;
    std::string region = "us-east-1";
    std::string accountId = "000000000000";
};

namespace detail {

// The data dir's SQLite file, shared by the function store, the invocation log and the
// console state (each with a connection of its own).
inline std::filesystem::path databasePath(const StoreOptions &options)
{
    return options.dataDir / "lambdesk.db";
}

// "arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]"
std::string functionArn(const StoreOptions &options, const std::string &name,
                        const std::string &qualifier = {});
// ResourceNotFound, as Lambda words it: "Function not found: <arn>".
Error functionNotFound(const StoreOptions &options, const std::string &name,
                       const std::string &qualifier = {});

} // namespace detail

} // namespace lambdesk::engine
