#pragma once
// Numbers and chart points for the Monitor tab, computed off the GUI thread from compact
// samples: percentiles over every invocation in the range, and series thinned to a few thousand
// points so the charts stay quick with 100 000 records.

#include "lambdesk/engine/types.h"

#include <QList>
#include <QPointF>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lambdesk::app {

struct InvocationSample {
    std::int64_t timeMs = 0;
    float durationMs = 0;
    float initDurationMs = 0;
    engine::InvocationStatus status = engine::InvocationStatus::Succeeded;
    bool coldStart = false;
    std::int32_t version = 0; // the version that ran; 0 for $LATEST
};

InvocationSample toSample(const engine::InvocationRecord &record);

// Which invocations the Monitor shows: those of one version, or through one alias, or all.
struct InvocationFilter {
    std::string version; // "$LATEST", "3"; empty: any
    std::string alias;   // empty: any
    bool matches(const engine::InvocationRecord &record) const;
};

enum class TimeRange { Last5Minutes, LastHour, LastDay, All };
// Start of the range ending at nowMs; for All, the earliest sample (or nowMs when none).
std::int64_t rangeStart(TimeRange range, std::int64_t nowMs, const std::vector<InvocationSample> &samples);

struct MonitorSummary {
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    int invocations = 0;   // every recorded invocation in the range, throttles included
    int coldStarts = 0;
    int errors = 0;        // function errors and timeouts
    int throttles = 0;
    double p50 = 0, p90 = 0, p99 = 0, average = 0, maximum = 0; // duration, ms, of invocations that ran
    double averageInit = 0;
    double successRate = 100; // percent of invocations that ran without error
    // x = epoch ms, y = ms. warm/cold: duration per invocation; init: init duration of cold starts.
    QList<QPointF> warm, cold, init;
    // x = bucket start (epoch ms), y = count per bucket.
    QList<QPointF> invocationsPerBucket, errorsPerBucket, throttlesPerBucket;
    std::int64_t bucketMs = 0;
    bool thinned = false; // some points were merged for drawing (numbers still use every sample)
    // How many invocations in the range each version ran (0 = $LATEST), in version order: an
    // alias's weighted split. Throttled invocations ran none.
    std::vector<std::pair<std::int32_t, int>> executedVersions;
};

// samples in any order. maxPoints bounds each of warm/cold/init.
MonitorSummary summarize(const std::vector<InvocationSample> &samples, std::int64_t fromMs,
                         std::int64_t toMs, int maxPoints = 2000, int buckets = 60);

// The q-quantile (0..1) of values by nearest rank; values is reordered. 0 for no values.
double percentile(std::vector<float> &values, double q);

} // namespace lambdesk::app
