#pragma once
// The Monitor tab's metric grid: Duration (warm and cold starts as separate series), Init
// duration, Invocations, and Error count and throttles, plus the numbers for the range.

#include <QStringList>
#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

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
    struct Chart {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QDateTimeAxis *x = nullptr;
        QValueAxis *y = nullptr;
    };
    Chart makeChart(const QString &title, const QString &yTitle);
    // Round ticks (1, 2, 2.5 or 5 x 10^n) up to at least maximum, with as many decimals as the
    // step needs, so that no two labels read the same ("2, 1, 1, 0" for 0..1.9 ms).
    static void setNiceRange(QValueAxis *axis, double maximum);
    QWidget *statCard(const QString &name, const QString &tooltip);

    Chart m_duration, m_init, m_invocations, m_errors;
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
