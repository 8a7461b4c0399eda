#include "function/monitorcharts.h"

#include "format.h"
#include "function/invocationstats.h"
#include "widgets/metricchart.h"
#include "widgets/ui.h"

#include <cmath>

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

QScatterSeries *scatter(const QString &name, const QColor &color, qreal size, QScatterSeries::MarkerShape shape)
{
    auto *series = new QScatterSeries;
    series->setName(name);
    series->setColor(color);
    series->setBorderColor(color);
    series->setMarkerSize(size);
    series->setMarkerShape(shape);
    series->setUseOpenGL(false);
    return series;
}

} // namespace

MonitorCharts::MonitorCharts(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);

    auto *stats = new QHBoxLayout;
    stats->setSpacing(8);
    stats->addWidget(
        statCard(QStringLiteral("Invocations"),
                 QStringLiteral("Recorded invocations in the range, throttles included"), this));
    stats->addWidget(
        statCard(QStringLiteral("Cold starts"),
                 QStringLiteral("Invocations that started a new execution environment"), this));
    stats->addWidget(
        statCard(QStringLiteral("Errors"), QStringLiteral("Function errors and timeouts"), this));
    stats->addWidget(statCard(QStringLiteral("Throttles"),
                              QStringLiteral("Invocations refused by the concurrency limit"),
                              this));
    stats->addWidget(statCard(QStringLiteral("Success rate"),
                              QStringLiteral("Invocations that ran without error"), this));
    stats->addWidget(statCard(QStringLiteral("p50"), QStringLiteral("Median duration"), this));
    stats->addWidget(
        statCard(QStringLiteral("p90"), QStringLiteral("90th percentile duration"), this));
    stats->addWidget(
        statCard(QStringLiteral("p99"), QStringLiteral("99th percentile duration"), this));
    stats->addWidget(statCard(QStringLiteral("Avg init"),
                              QStringLiteral("Average init duration of cold starts"), this));
    layout->addLayout(stats);

    m_duration = makeMetricChart(QStringLiteral("Duration"), QStringLiteral("ms"), this);
    m_warm =
        scatter(QStringLiteral("Warm"), chartColor::kBlue, 6, QScatterSeries::MarkerShapeCircle);
    m_cold = scatter(QStringLiteral("Cold start"), chartColor::kOrange, 10,
                     QScatterSeries::MarkerShapeRectangle);
    m_init =
        makeMetricChart(QStringLiteral("Init duration (cold starts)"), QStringLiteral("ms"), this);
    m_initPoints = scatter(QStringLiteral("Init duration"), chartColor::kPurple, 9,
                           QScatterSeries::MarkerShapeRectangle);
    m_invocations = makeMetricChart(QStringLiteral("Invocations"), QStringLiteral("count"), this);
    m_invocationCounts = metricLine(QStringLiteral("Invocations"), chartColor::kBlue);
    m_errors =
        makeMetricChart(QStringLiteral("Error count and throttles"), QStringLiteral("count"), this);
    m_errorCounts = metricLine(QStringLiteral("Errors"), chartColor::kRed);
    m_throttleCounts = metricLine(QStringLiteral("Throttles"), chartColor::kGrey);

    m_duration.attach(m_warm);
    m_duration.attach(m_cold);
    m_init.attach(m_initPoints);
    m_invocations.attach(m_invocationCounts);
    m_errors.attach(m_errorCounts);
    m_errors.attach(m_throttleCounts);

    m_versions = styledLabel(QString(), "hint", this);
    m_versions->setToolTip(QStringLiteral("Which version ran each invocation in the range: through "
                                          "a weighted alias, its split"));
    layout->addWidget(m_versions);
    auto *grid = new QGridLayout;
    grid->setSpacing(10);
    grid->addWidget(m_duration.view, 0, 0);
    grid->addWidget(m_init.view, 0, 1);
    grid->addWidget(m_invocations.view, 1, 0);
    grid->addWidget(m_errors.view, 1, 1);
    layout->addLayout(grid);
    m_note = styledLabel(QString(), "hint", this);
    layout->addWidget(m_note);
}

QStringList MonitorCharts::durationAxisLabels() const
{
    QStringList labels;
    const QString format = m_duration.y->labelFormat();
    const int ticks = m_duration.y->tickCount();
    const double step = (m_duration.y->max() - m_duration.y->min()) / (ticks - 1);
    for (int i = 0; i < ticks; ++i)
        labels << QString::asprintf(format.toLatin1().constData(), m_duration.y->min() + i * step);
    return labels;
}

void MonitorCharts::setSummary(const MonitorSummary &summary)
{
    for (const MetricChart *chart : {&m_duration, &m_init, &m_invocations, &m_errors})
        chart->setTimeRange(summary.fromMs, summary.toMs);
    m_warm->replace(summary.warm);
    m_cold->replace(summary.cold);
    m_initPoints->replace(summary.init);
    m_invocationCounts->replace(summary.invocationsPerBucket);
    m_errorCounts->replace(summary.errorsPerBucket);
    m_throttleCounts->replace(summary.throttlesPerBucket);

    double maxDuration = 0, maxInit = 0, maxCount = 0, maxErrors = 0;
    for (const QPointF &p : summary.warm)
        maxDuration = std::max(maxDuration, p.y());
    for (const QPointF &p : summary.cold)
        maxDuration = std::max(maxDuration, p.y());
    for (const QPointF &p : summary.init)
        maxInit = std::max(maxInit, p.y());
    for (const QPointF &p : summary.invocationsPerBucket)
        maxCount = std::max(maxCount, p.y());
    for (const QPointF &p : summary.errorsPerBucket)
        maxErrors = std::max(maxErrors, p.y());
    for (const QPointF &p : summary.throttlesPerBucket)
        maxErrors = std::max(maxErrors, p.y());
    setNiceRange(m_duration.y, maxDuration);
    setNiceRange(m_init.y, maxInit);
    setNiceRange(m_invocations.y, std::max(4.0, maxCount));
    setNiceRange(m_errors.y, std::max(4.0, maxErrors));

    const bool ran = summary.invocations > summary.throttles;
    const QHash<QString, QString> values{
        {QStringLiteral("Invocations"), QString::number(summary.invocations)},
        {QStringLiteral("Cold starts"), QString::number(summary.coldStarts)},
        {QStringLiteral("Errors"), QString::number(summary.errors)},
        {QStringLiteral("Throttles"), QString::number(summary.throttles)},
        {QStringLiteral("Success rate"), ran ? QStringLiteral("%1 %").arg(summary.successRate, 0, 'f', 1) : QStringLiteral("-")},
        {QStringLiteral("p50"), ran ? milliseconds(summary.p50) : QStringLiteral("-")},
        {QStringLiteral("p90"), ran ? milliseconds(summary.p90) : QStringLiteral("-")},
        {QStringLiteral("p99"), ran ? milliseconds(summary.p99) : QStringLiteral("-")},
        {QStringLiteral("Avg init"), summary.coldStarts > 0 ? milliseconds(summary.averageInit) : QStringLiteral("-")}};
    for (QLabel *label : findChildren<QLabel *>(QStringLiteral("statValue")))
        label->setText(values.value(label->property("statName").toString(), QStringLiteral("-")));
    int executed = 0;
    for (const auto &[version, count] : summary.executedVersions)
        executed += count;
    QStringList versions;
    for (const auto &[version, count] : summary.executedVersions)
        versions << QStringLiteral("%1: %2 (%3%)")
                        .arg(version == 0 ? QStringLiteral("$LATEST") : QString::number(version))
                        .arg(count)
                        .arg(QString::number(100.0 * count / executed, 'f', 0));
    m_versions->setText(versions.isEmpty() ? QString()
                                           : QStringLiteral("Executed versions: ") +
                                                 versions.join(QStringLiteral(" · ")));
    m_versions->setVisible(!versions.isEmpty());
    m_note->setText(summary.thinned
                        ? QStringLiteral("Many invocations in this range: the charts draw each time slot's fastest and "
                                         "slowest; the numbers above use every invocation.")
                        : QString());
}

QString MonitorCharts::executedVersionsText() const
{
    return m_versions->text();
}

int MonitorCharts::warmPointCount() const
{
    return int(m_warm->count());
}

int MonitorCharts::coldPointCount() const
{
    return int(m_cold->count());
}

QString MonitorCharts::statText(const QString &name) const
{
    for (QLabel *label : findChildren<QLabel *>(QStringLiteral("statValue"))) {
        if (label->property("statName").toString() == name)
            return label->text();
    }
    return {};
}

} // namespace lambdesk::app
