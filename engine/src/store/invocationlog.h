#pragma once
// The invocation log: one record per invocation (what a REPORT line and the Monitor tab show),
// with its log text kept apart so listing thousands of records never reads the logs. Records
// outlive the function they name, as CloudWatch logs outlive a deleted function.
//
// Thread-safe, with a connection and a lock of its own: recording an invocation never waits for a
// deploy that holds the function repository's lock.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace lambdesk::engine {

class InvocationLog {
public:
    // The data dir's database, whose schema the function store has created.
    static Result<std::unique_ptr<InvocationLog>> open(const std::filesystem::path &database);
    ~InvocationLog();
    InvocationLog(const InvocationLog &) = delete;
    InvocationLog &operator=(const InvocationLog &) = delete;

    Result<void> record(const InvocationRecord &record);
    // Oldest first; with a limit, the newest `limit` records matching the query.
    std::vector<InvocationRecord> list(const InvocationQuery &query);

private:
    struct Impl;
    explicit InvocationLog(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
