#include "function/invocationstats.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

namespace lambdesk::app {
namespace {

// Keeps at most maxPoints points of a time series by splitting the time span into maxPoints/2
// buckets and keeping each bucket's lowest and highest value: spikes and floors stay visible.
QList<QPointF> thin(std::vector<QPointF> &points, std::int64_t fromMs, std::int64_t toMs,
                    int maxPoints, bool *thinned)
{
    QList<QPointF> out;
    if (int(points.size()) <= maxPoints) {
        std::sort(points.begin(), points.end(), [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); });
        out.reserve(qsizetype(points.size()));
        for (const QPointF &p : points)
            out.append(p);
        return out;
    }
    *thinned = true;
    const int buckets = std::max(1, maxPoints / 2);
    const double span = std::max<double>(1.0, double(toMs - fromMs));
    struct MinMax {
        QPointF low{0, INFINITY};
        QPointF high{0, -INFINITY};
    };
    std::vector<MinMax> bucketRanges(static_cast<std::size_t>(buckets));
    for (const QPointF &p : points) {
        const int bucket = std::clamp(int((p.x() - double(fromMs)) / span * buckets), 0, buckets - 1);
        MinMax &slot = bucketRanges[std::size_t(bucket)];
        if (p.y() < slot.low.y())
            slot.low = p;
        if (p.y() > slot.high.y())
            slot.high = p;
    }
    for (const MinMax &slot : bucketRanges) {
        if (!std::isfinite(slot.low.y()))
            continue;
        const QPointF &first = slot.low.x() <= slot.high.x() ? slot.low : slot.high;
        const QPointF &second = slot.low.x() <= slot.high.x() ? slot.high : slot.low;
        out.append(first);
        if (second != first)
            out.append(second);
    }
    return out;
}

} // namespace

InvocationSample toSample(const engine::InvocationRecord &record)
{
    InvocationSample sample;
    sample.timeMs = record.startTimeMs;
    sample.durationMs = float(record.durationMs);
    sample.initDurationMs = float(record.initDurationMs);
    sample.status = record.status;
    sample.coldStart = record.coldStart;
    if (record.version != "$LATEST")
        sample.version = std::int32_t(std::strtol(record.version.c_str(), nullptr, 10));
    return sample;
}

bool InvocationFilter::matches(const engine::InvocationRecord &record) const
{
    return (version.empty() || record.version == version) &&
           (alias.empty() || record.alias == alias);
}

std::int64_t rangeStart(TimeRange range, std::int64_t nowMs, const std::vector<InvocationSample> &samples)
{
    switch (range) {
    case TimeRange::Last5Minutes: return nowMs - 5 * 60 * 1000;
    case TimeRange::LastHour: return nowMs - 3600 * 1000;
    case TimeRange::LastDay: return nowMs - 24 * 3600 * 1000;
    case TimeRange::All: break;
    }
    std::int64_t earliest = nowMs;
    for (const InvocationSample &s : samples)
        earliest = std::min(earliest, s.timeMs);
    return earliest;
}

double percentile(std::vector<float> &values, double q)
{
    if (values.empty())
        return 0;
    const auto rank = std::size_t(std::clamp(std::ceil(q * double(values.size())) - 1.0, 0.0,
                                             double(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(rank), values.end());
    return values[rank];
}

MonitorSummary summarize(const std::vector<InvocationSample> &samples, std::int64_t fromMs,
                         std::int64_t toMs, int maxPoints, int buckets)
{
    MonitorSummary summary;
    summary.fromMs = fromMs;
    summary.toMs = std::max(toMs, fromMs + 1);
    const double span = double(summary.toMs - fromMs);
    summary.bucketMs = std::max<std::int64_t>(1, std::int64_t(std::ceil(span / buckets)));

    std::vector<float> durations;
    std::vector<QPointF> warm, cold, init;
    const auto bucketCount = std::size_t(buckets);
    std::vector<int> perBucket(bucketCount, 0);
    std::vector<int> errorsPerBucket(bucketCount, 0);
    std::vector<int> throttlesPerBucket(bucketCount, 0);
    std::map<std::int32_t, int> perVersion;
    double durationSum = 0, initSum = 0;
    int ran = 0, failed = 0;
    for (const InvocationSample &s : samples) {
        if (s.timeMs < fromMs || s.timeMs >= summary.toMs)
            continue;
        const auto b = std::size_t(std::clamp(int(double(s.timeMs - fromMs) / double(summary.bucketMs)), 0, buckets - 1));
        ++summary.invocations;
        ++perBucket[b];
        if (s.status == engine::InvocationStatus::Throttled) {
            ++summary.throttles;
            ++throttlesPerBucket[b];
            continue;
        }
        ++ran;
        ++perVersion[s.version]; // a throttled invocation ran no version
        if (s.status != engine::InvocationStatus::Succeeded) {
            ++summary.errors;
            ++errorsPerBucket[b];
            ++failed;
        }
        durations.push_back(s.durationMs);
        durationSum += s.durationMs;
        summary.maximum = std::max(summary.maximum, double(s.durationMs));
        const QPointF point(double(s.timeMs), double(s.durationMs));
        if (s.coldStart) {
            ++summary.coldStarts;
            cold.push_back(point);
            init.emplace_back(double(s.timeMs), double(s.initDurationMs));
            initSum += s.initDurationMs;
        } else {
            warm.push_back(point);
        }
    }
    if (ran > 0) {
        summary.average = durationSum / ran;
        summary.successRate = 100.0 * (ran - failed) / ran;
    }
    if (summary.coldStarts > 0)
        summary.averageInit = initSum / summary.coldStarts;
    summary.executedVersions.assign(perVersion.begin(), perVersion.end());
    summary.p50 = percentile(durations, 0.50);
    summary.p90 = percentile(durations, 0.90);
    summary.p99 = percentile(durations, 0.99);

    summary.warm = thin(warm, fromMs, summary.toMs, maxPoints, &summary.thinned);
    summary.cold = thin(cold, fromMs, summary.toMs, maxPoints, &summary.thinned);
    summary.init = thin(init, fromMs, summary.toMs, maxPoints, &summary.thinned);
    for (int b = 0; b < buckets; ++b) {
        const double x = double(fromMs + std::int64_t(b) * summary.bucketMs);
        summary.invocationsPerBucket.append(QPointF(x, perBucket[std::size_t(b)]));
        summary.errorsPerBucket.append(QPointF(x, errorsPerBucket[std::size_t(b)]));
        summary.throttlesPerBucket.append(QPointF(x, throttlesPerBucket[std::size_t(b)]));
    }
    return summary;
}

} // namespace lambdesk::app
