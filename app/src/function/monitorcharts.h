#pragma once
// The Monitor tab's metric grid: Duration (warm and cold starts as separate series), Init
// duration, Invocations, and Error count and throttles, plus the numbers for the range.

#include "widgets/metricchart.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QLineSeries;
class QScatterSeries;

namespace lambdesk::app {

struct MonitorSummary;

class MonitorCharts : public QWidget {
    Q_OBJECT
public:
    explicit MonitorCharts(QWidget *parent = nullptr);
    void setSummary(const MonitorSummary &summary);

    // For tests: points currently drawn.
    int warmPointCount() const;
    int coldPointCount() const;
    QString statText(const QString &name) const; // "Invocations", "p99", ...
    QStringList durationAxisLabels() const;      // the Duration chart's y labels, bottom up
    QString executedVersionsText() const;        // "Executed versions: 1: 36 (80%) · 2: 9 (20%)"

private:
    MetricChart m_duration, m_init, m_invocations, m_errors;
    QScatterSeries *m_warm;
    QScatterSeries *m_cold;
    QScatterSeries *m_initPoints;
    QLineSeries *m_invocationCounts;
    QLineSeries *m_errorCounts;
    QLineSeries *m_throttleCounts;
    QLabel *m_note;
    QLabel *m_versions;
};

} // namespace lambdesk::app
