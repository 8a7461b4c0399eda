#include "screens/dashboardstats.h"

#include "function/invocationstats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

namespace lambdesk::app {
namespace {

bool ran(const engine::InvocationRecord &record)
{
    return record.status != engine::InvocationStatus::Throttled;
}

bool failed(const engine::InvocationRecord &record)
{
    return ran(record) && record.status != engine::InvocationStatus::Succeeded;
}

// Most invocations running at once in each slot: a sweep over starts and ends, where a slot
// begins at the level the previous one ended with, and the first at what was still running
// from before the range.
std::vector<int> concurrencyPerBucket(const std::vector<engine::InvocationRecord> &records,
                                      std::int64_t fromMs, std::int64_t toMs, std::int64_t bucketMs,
                                      int buckets)
{
    std::vector<std::pair<double, int>> events; // (time ms, +1 start / -1 end); ends first on ties
    events.reserve(records.size() * 2);
    for (const engine::InvocationRecord &entry : records) {
        const engine::InvocationRecord *record = &entry;
        if (!ran(*record) || record->startTimeMs >= toMs)
            continue;
        const double start = double(record->startTimeMs);
        events.emplace_back(start, +1);
        events.emplace_back(start + std::max(record->initDurationMs + record->durationMs, 0.001),
                            -1);
    }
    std::sort(events.begin(), events.end());
    std::vector<int> peak(std::size_t(buckets), 0);
    int level = 0;
    std::size_t next = 0;
    for (; next < events.size() && events[next].first < double(fromMs); ++next)
        level += events[next].second;
    for (int b = 0; b < buckets; ++b) {
        const double end = double(fromMs + (std::int64_t(b) + 1) * bucketMs);
        int highest = level;
        for (; next < events.size() && events[next].first < end; ++next) {
            level += events[next].second;
            highest = std::max(highest, level);
        }
        peak[std::size_t(b)] = highest;
    }
    return peak;
}

} // namespace

DashboardSummary summarizeAccount(const std::vector<engine::InvocationRecord> &records,
                                  std::int64_t fromMs, std::int64_t toMs, int buckets,
                                  std::size_t top)
{
    DashboardSummary summary;
    summary.fromMs = fromMs;
    summary.toMs = std::max(toMs, fromMs + 1);
    summary.bucketMs =
        std::max<std::int64_t>(1, std::int64_t(std::ceil(double(summary.toMs - fromMs) / buckets)));
    const auto slotCount = std::size_t(buckets);
    std::vector<int> invocations(slotCount, 0), errors(slotCount, 0), throttles(slotCount, 0);
    std::vector<std::vector<float>> durations(slotCount);
    std::vector<float> all;
    struct PerFunction {
        int invocations = 0;
        int errors = 0;
        std::vector<float> durations;
    };
    std::map<std::string, PerFunction> perFunction;
    for (const engine::InvocationRecord &record : records) {
        if (record.startTimeMs < fromMs || record.startTimeMs >= summary.toMs)
            continue;
        const auto b = std::size_t(std::clamp<std::int64_t>(
            (record.startTimeMs - fromMs) / summary.bucketMs, 0, buckets - 1));
        PerFunction &function = perFunction[record.functionName];
        ++summary.invocations;
        ++invocations[b];
        ++function.invocations;
        if (!ran(record)) {
            ++summary.throttles;
            ++throttles[b];
            continue;
        }
        if (failed(record)) {
            ++summary.errors;
            ++errors[b];
            ++function.errors;
        }
        const auto duration = float(record.durationMs);
        durations[b].push_back(duration);
        all.push_back(duration);
        function.durations.push_back(duration);
    }
    summary.p50 = percentile(all, 0.50);
    summary.p99 = percentile(all, 0.99);
    const std::vector<int> concurrency =
        concurrencyPerBucket(records, fromMs, summary.toMs, summary.bucketMs, buckets);
    for (int b = 0; b < buckets; ++b) {
        const auto i = std::size_t(b);
        const double x = double(fromMs + std::int64_t(b) * summary.bucketMs);
        summary.invocationsPerBucket.append(QPointF(x, invocations[i]));
        summary.errorsPerBucket.append(QPointF(x, errors[i]));
        summary.throttlesPerBucket.append(QPointF(x, throttles[i]));
        summary.concurrencyPerBucket.append(QPointF(x, concurrency[i]));
        summary.peakConcurrency = std::max(summary.peakConcurrency, concurrency[i]);
        if (!durations[i].empty()) { // no point where nothing ran: the line skips the gap
            summary.p50PerBucket.append(QPointF(x, percentile(durations[i], 0.50)));
            summary.p99PerBucket.append(QPointF(x, percentile(durations[i], 0.99)));
        }
    }
    std::vector<FunctionFigures> figures;
    for (auto &[name, function] : perFunction)
        figures.push_back({QString::fromStdString(name), function.invocations, function.errors,
                           percentile(function.durations, 0.99)});
    summary.slowest = figures;
    std::stable_sort(
        summary.slowest.begin(), summary.slowest.end(),
        [](const FunctionFigures &a, const FunctionFigures &b) { return a.p99 > b.p99; });
    std::erase_if(summary.slowest, [](const FunctionFigures &f) { return f.p99 <= 0; });
    summary.mostErrors = std::move(figures);
    std::erase_if(summary.mostErrors, [](const FunctionFigures &f) { return f.errors == 0; });
    std::stable_sort(
        summary.mostErrors.begin(), summary.mostErrors.end(),
        [](const FunctionFigures &a, const FunctionFigures &b) { return a.errors > b.errors; });
    if (summary.slowest.size() > top)
        summary.slowest.resize(top);
    if (summary.mostErrors.size() > top)
        summary.mostErrors.resize(top);
    return summary;
}

} // namespace lambdesk::app
