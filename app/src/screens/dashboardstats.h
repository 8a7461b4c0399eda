#pragma once
// The Dashboard's figures over every function: counts, duration percentiles and concurrent
// executions per time slot, and the functions with the most errors and the slowest p99.
// Computed off the GUI thread from the engine's invocation records.

#include "lambdesk/engine/types.h"

#include <QList>
#include <QPointF>
#include <QString>

#include <cstdint>
#include <vector>

namespace lambdesk::app {

struct FunctionFigures {
    QString name;
    int invocations = 0;
    int errors = 0;
    double p99 = 0; // ms, of the invocations that ran
};

struct DashboardSummary {
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::int64_t bucketMs = 0;
    int invocations = 0;
    int errors = 0;
    int throttles = 0;
    double p50 = 0, p99 = 0; // ms
    int peakConcurrency = 0; // most invocations running at once
    // x = slot start (epoch ms).
    QList<QPointF> invocationsPerBucket, errorsPerBucket, throttlesPerBucket;
    QList<QPointF> p50PerBucket, p99PerBucket, concurrencyPerBucket;
    std::vector<FunctionFigures> mostErrors; // functions with errors, most first
    std::vector<FunctionFigures> slowest;    // by p99, slowest first
};

// records: any order, any functions. Invocations starting in [fromMs, toMs) count; an invocation
// runs from its start for its init and handler durations, so one that started before fromMs and
// still ran then adds to the concurrency of the first slots.
DashboardSummary summarizeAccount(const std::vector<engine::InvocationRecord> &records,
                                  std::int64_t fromMs, std::int64_t toMs, int buckets = 60,
                                  std::size_t top = 5);

} // namespace lambdesk::app
