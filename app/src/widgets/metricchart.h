#pragma once
// The console's metric charts (a time axis, a value axis with round ticks, a white bordered
// view) and stat cards ("Invocations / 50"), shared by the Monitor tab and the Dashboard.

#include <QColor>
#include <QString>

#include <cstdint>

class QAbstractSeries;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
class QWidget;

namespace lambdesk::app {

namespace chartColor {
inline const QColor kBlue(0x00, 0x73, 0xbb);
inline const QColor kOrange(0xec, 0x72, 0x11);
inline const QColor kPurple(0x84, 0x56, 0xce);
inline const QColor kRed(0xd1, 0x32, 0x12);
inline const QColor kGrey(0x68, 0x70, 0x78);
inline const QColor kGreen(0x1d, 0x81, 0x02);
} // namespace chartColor

struct MetricChart {
    QChart *chart = nullptr;
    QChartView *view = nullptr; // owns the chart; a child of the parent given to makeMetricChart
    QDateTimeAxis *x = nullptr;
    QValueAxis *y = nullptr;

    void attach(QAbstractSeries *series) const; // takes ownership
    void setTimeRange(std::int64_t fromMs, std::int64_t toMs) const;
};

MetricChart makeMetricChart(const QString &title, const QString &yTitle, QWidget *parent);
QLineSeries *metricLine(const QString &name, const QColor &color);
// Round ticks (1, 2, 2.5 or 5 x 10^n) up to at least maximum, with as many decimals as the step
// needs, so that no two labels read the same ("2, 1, 1, 0" for 0..1.9 ms).
void setNiceRange(QValueAxis *axis, double maximum);
// A small panel with a grey name over a bold value; the value label is named "statValue" and
// carries the name in its "statName" property.
QWidget *statCard(const QString &name, const QString &tooltip, QWidget *parent);

} // namespace lambdesk::app
