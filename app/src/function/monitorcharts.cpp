#include "function/monitorcharts.h"

#include "format.h"
#include "function/invocationstats.h"
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

const QColor kBlue(0x00, 0x73, 0xbb);
const QColor kOrange(0xec, 0x72, 0x11);
const QColor kPurple(0x84, 0x56, 0xce);
const QColor kRed(0xd1, 0x32, 0x12);
const QColor kGrey(0x68, 0x70, 0x78);

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

QLineSeries *line(const QString &name, const QColor &color)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2);
    series->setPen(pen);
    return series;
}

// Upper bound for a y axis: a little headroom and never zero, so empty charts still draw.
constexpr int kValueTicks = 5;

QString timeFormat(std::int64_t spanMs)
{
    if (spanMs <= 10 * 60 * 1000)
        return QStringLiteral("HH:mm:ss");
    if (spanMs <= 24 * 3600 * 1000)
        return QStringLiteral("HH:mm");
    return QStringLiteral("MM-dd HH:mm");
}

} // namespace

MonitorCharts::MonitorCharts(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);

    auto *stats = new QHBoxLayout;
    stats->setSpacing(8);
    stats->addWidget(statCard(QStringLiteral("Invocations"), QStringLiteral("Recorded invocations in the range, throttles included")));
    stats->addWidget(statCard(QStringLiteral("Cold starts"), QStringLiteral("Invocations that started a new execution environment")));
    stats->addWidget(statCard(QStringLiteral("Errors"), QStringLiteral("Function errors and timeouts")));
    stats->addWidget(statCard(QStringLiteral("Throttles"), QStringLiteral("Invocations refused by the concurrency limit")));
    stats->addWidget(statCard(QStringLiteral("Success rate"), QStringLiteral("Invocations that ran without error")));
    stats->addWidget(statCard(QStringLiteral("p50"), QStringLiteral("Median duration")));
    stats->addWidget(statCard(QStringLiteral("p90"), QStringLiteral("90th percentile duration")));
    stats->addWidget(statCard(QStringLiteral("p99"), QStringLiteral("99th percentile duration")));
    stats->addWidget(statCard(QStringLiteral("Avg init"), QStringLiteral("Average init duration of cold starts")));
    layout->addLayout(stats);

    m_duration = makeChart(QStringLiteral("Duration"), QStringLiteral("ms"));
    m_warm = scatter(QStringLiteral("Warm"), kBlue, 6, QScatterSeries::MarkerShapeCircle);
    m_cold = scatter(QStringLiteral("Cold start"), kOrange, 10, QScatterSeries::MarkerShapeRectangle);
    m_init = makeChart(QStringLiteral("Init duration (cold starts)"), QStringLiteral("ms"));
    m_initPoints = scatter(QStringLiteral("Init duration"), kPurple, 9, QScatterSeries::MarkerShapeRectangle);
    m_invocations = makeChart(QStringLiteral("Invocations"), QStringLiteral("count"));
    m_invocationCounts = line(QStringLiteral("Invocations"), kBlue);
    m_errors = makeChart(QStringLiteral("Error count and throttles"), QStringLiteral("count"));
    m_errorCounts = line(QStringLiteral("Errors"), kRed);
    m_throttleCounts = line(QStringLiteral("Throttles"), kGrey);

    const auto attach = [](Chart &chart, QAbstractSeries *series) {
        chart.chart->addSeries(series);
        series->attachAxis(chart.x);
        series->attachAxis(chart.y);
    };
    attach(m_duration, m_warm);
    attach(m_duration, m_cold);
    attach(m_init, m_initPoints);
    attach(m_invocations, m_invocationCounts);
    attach(m_errors, m_errorCounts);
    attach(m_errors, m_throttleCounts);

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

void MonitorCharts::setNiceRange(QValueAxis *axis, double maximum)
{
    const double target = maximum > 0 ? maximum * 1.05 : 1.0; // a little headroom over the top
    const double rough = target / (kValueTicks - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = 10 * magnitude;
    for (const double factor : {1.0, 2.0, 2.5, 5.0}) {
        if (factor * magnitude >= rough) {
            step = factor * magnitude;
            break;
        }
    }
    // Decimals the step needs: 0.5 -> 1, 0.25 -> 2, 5 -> 0.
    int decimals = 0;
    while (decimals < 6 && std::abs(step * std::pow(10.0, decimals) -
                                    std::round(step * std::pow(10.0, decimals))) > 1e-6)
        ++decimals;
    axis->setLabelFormat(QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f"));
    axis->setTickCount(kValueTicks);
    axis->setRange(0, step * (kValueTicks - 1));
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

MonitorCharts::Chart MonitorCharts::makeChart(const QString &title, const QString &yTitle)
{
    Chart chart;
    chart.chart = new QChart;
    chart.chart->setTitle(title);
    QFont titleFont = font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(font().pointSizeF() * 1.1);
    chart.chart->setTitleFont(titleFont);
    chart.chart->setBackgroundRoundness(0);
    chart.chart->setMargins(QMargins(4, 4, 4, 4));
    chart.chart->legend()->setAlignment(Qt::AlignBottom);
    chart.chart->legend()->setFont(font());
    chart.chart->setAnimationOptions(QChart::NoAnimation); // redraws arrive live, often
    chart.x = new QDateTimeAxis;
    chart.x->setFormat(QStringLiteral("HH:mm"));
    chart.x->setTickCount(6);
    chart.x->setLabelsFont(font());
    chart.y = new QValueAxis;
    chart.y->setLabelFormat(QStringLiteral("%.0f"));
    chart.y->setTitleText(yTitle);
    chart.y->setLabelsFont(font());
    chart.y->setTitleFont(font());
    chart.y->setMin(0);
    chart.chart->addAxis(chart.x, Qt::AlignBottom);
    chart.chart->addAxis(chart.y, Qt::AlignLeft);
    chart.view = new QChartView(chart.chart, this); // the view owns the chart
    chart.view->setRenderHint(QPainter::Antialiasing);
    chart.view->setMinimumHeight(250);
    chart.view->setFrameShape(QFrame::StyledPanel);
    chart.view->setStyleSheet(QStringLiteral("QChartView { border: 1px solid #d5dbdb; background: white; }"));
    return chart;
}

QWidget *MonitorCharts::statCard(const QString &name, const QString &tooltip)
{
    auto *card = new QFrame(this);
    card->setObjectName(QStringLiteral("panel"));
    card->setAttribute(Qt::WA_StyledBackground);
    card->setToolTip(tooltip);
    // A card is as wide as its value ("100.0 %") when there is room, but a narrow window may
    // squeeze it: the page still fits 1024 px without a horizontal scrollbar.
    card->setMinimumWidth(64);
    auto *layout = new QVBoxLayout(card);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(0);
    layout->addWidget(styledLabel(name, "hint", card));
    auto *value = styledLabel(QStringLiteral("-"), "statValue", card);
    value->setProperty("statName", name);
    layout->addWidget(value);
    return card;
}

void MonitorCharts::setSummary(const MonitorSummary &summary)
{
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(summary.fromMs);
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(summary.toMs);
    for (Chart *chart : {&m_duration, &m_init, &m_invocations, &m_errors}) {
        chart->x->setRange(from, to);
        chart->x->setFormat(timeFormat(summary.toMs - summary.fromMs));
    }
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
    QStringList versions;
    for (const auto &[version, count] : summary.executedVersions)
        versions << QStringLiteral("%1: %2 (%3%)")
                        .arg(version == 0 ? QStringLiteral("$LATEST") : QString::number(version))
                        .arg(count)
                        .arg(QString::number(100.0 * count / summary.invocations, 'f', 0));
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
