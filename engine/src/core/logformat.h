#pragma once
// The log of one invocation, in the lines Lambda prints: INIT_START (cold), START, the function's
// output, END, REPORT.

#include "core/environment.h"
#include "lambdesk/engine/types.h"

#include <string>

namespace lambdesk::engine {

class LogBuilder {
public:
    LogBuilder(std::string requestId, std::string version);
    // INIT_START, or RESTORE_START for an environment resumed from a SnapStart snapshot.
    void initStart(const std::string &runtimeId, bool restored = false);
    void restoreReport(double restoreDurationMs);
    void initFailed(const InitResult &init);
    void startInvocation();
    void append(const std::string &text); // function output; a missing final newline is added
    // Adds END and REPORT from the record and returns the whole log.
    std::string finish(const InvocationRecord &record, const RunResult &run);

    static std::string tail(const std::string &log, std::size_t bytes);
    static std::string timestamp(); // "2026-11-25T15:39:06.123Z"
    static std::string reportLine(const InvocationRecord &record);

private:
    std::string m_requestId;
    std::string m_version;
    std::string m_text;
    bool m_started = false;
};

} // namespace lambdesk::engine
