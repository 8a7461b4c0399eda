#include "core/logformat.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace lambdesk::engine {

LogBuilder::LogBuilder(std::string requestId, std::string version)
    : m_requestId(std::move(requestId)), m_version(std::move(version))
{
}

void LogBuilder::initStart(const std::string &runtimeId, bool restored)
{
    m_text += (restored ? "RESTORE_START" : "INIT_START") + std::string(" Runtime Version: ") + runtimeId + ".lambdesk\n";
}

void LogBuilder::restoreReport(double restoreDurationMs)
{
    char line[80];
    std::snprintf(line, sizeof line, "RESTORE_REPORT Restore Duration: %.2f ms\n", restoreDurationMs);
    m_text += line;
}

void LogBuilder::initFailed(const InitResult &init)
{
    char line[160];
    std::snprintf(line, sizeof line, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: ",
                  init.initDurationMs);
    m_text += line + init.errorType + "\n";
}

void LogBuilder::startInvocation()
{
    if (m_started)
        return;
    m_started = true;
    m_text += "START RequestId: " + m_requestId + " Version: " + m_version + "\n";
}

void LogBuilder::append(const std::string &text)
{
    if (text.empty())
        return;
    m_text += text;
    if (m_text.back() != '\n')
        m_text += '\n';
}

std::string LogBuilder::reportLine(const InvocationRecord &record)
{
    char buffer[512];
    int n = std::snprintf(buffer, sizeof buffer,
                          "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %lld ms\tMemory Size: %d MB\t"
                          "Max Memory Used: %d MB\t",
                          record.requestId.c_str(), record.durationMs,
                          static_cast<long long>(record.billedDurationMs), record.memorySizeMb,
                          record.maxMemoryUsedMb);
    std::string line(buffer, static_cast<std::size_t>(n));
    if (record.coldStart && record.initDurationMs > 0) {
        if (record.restored) // Lambda bills a restore from the runtime's resume on; here there is no more to it
            std::snprintf(buffer, sizeof buffer, "Restore Duration: %.2f ms\tBilled Restore Duration: %lld ms\t",
                          record.initDurationMs, static_cast<long long>(std::ceil(record.initDurationMs)));
        else
            std::snprintf(buffer, sizeof buffer, "Init Duration: %.2f ms\t", record.initDurationMs);
        line += buffer;
    }
    if (record.status == InvocationStatus::TimedOut)
        line += "Status: timeout";
    else if (record.errorType.rfind("Runtime.", 0) == 0 || record.errorType.rfind("Sandbox.", 0) == 0)
        line += "Status: error\tError Type: " + record.errorType;
    return line + "\n";
}

std::string LogBuilder::finish(const InvocationRecord &record, const RunResult &)
{
    startInvocation();
    m_text += "END RequestId: " + m_requestId + "\n";
    m_text += reportLine(record);
    return m_text;
}

std::string LogBuilder::tail(const std::string &log, std::size_t bytes)
{
    return log.size() <= bytes ? log : log.substr(log.size() - bytes);
}

std::string LogBuilder::timestamp()
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t secs = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03lldZ", buffer, static_cast<long long>(millis));
    return out;
}

} // namespace lambdesk::engine
