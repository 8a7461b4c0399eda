#include "widgets/metricchart.h"

#include "widgets/ui.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFrame>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace lambdesk::app {
namespace {

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

void MetricChart::attach(QAbstractSeries *series) const
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

void MetricChart::setTimeRange(std::int64_t fromMs, std::int64_t toMs) const
{
    x->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    x->setFormat(timeFormat(toMs - fromMs));
}

MetricChart makeMetricChart(const QString &title, const QString &yTitle, QWidget *parent)
{
    MetricChart chart;
    const QFont font = parent->font();
    chart.chart = new QChart;
    chart.chart->setTitle(title);
    QFont titleFont = font;
    titleFont.setBold(true);
    titleFont.setPointSizeF(font.pointSizeF() * 1.1);
    chart.chart->setTitleFont(titleFont);
    chart.chart->setBackgroundRoundness(0);
    chart.chart->setMargins(QMargins(4, 4, 4, 4));
    chart.chart->legend()->setAlignment(Qt::AlignBottom);
    chart.chart->legend()->setFont(font);
    chart.chart->setAnimationOptions(QChart::NoAnimation); // redraws arrive live, often
    chart.x = new QDateTimeAxis;
    chart.x->setFormat(QStringLiteral("HH:mm"));
    chart.x->setTickCount(6);
    chart.x->setLabelsFont(font);
    chart.y = new QValueAxis;
    chart.y->setLabelFormat(QStringLiteral("%.0f"));
    chart.y->setTitleText(yTitle);
    chart.y->setLabelsFont(font);
    chart.y->setTitleFont(font);
    chart.y->setMin(0);
    chart.chart->addAxis(chart.x, Qt::AlignBottom);
    chart.chart->addAxis(chart.y, Qt::AlignLeft);
    chart.view = new QChartView(chart.chart, parent); // the view owns the chart
    chart.view->setRenderHint(QPainter::Antialiasing);
    chart.view->setMinimumHeight(250);
    chart.view->setFrameShape(QFrame::StyledPanel);
    chart.view->setStyleSheet(
        QStringLiteral("QChartView { border: 1px solid #d5dbdb; background: white; }"));
    return chart;
}

QLineSeries *metricLine(const QString &name, const QColor &color)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2);
    series->setPen(pen);
    return series;
}

void setNiceRange(QValueAxis *axis, double maximum)
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

QWidget *statCard(const QString &name, const QString &tooltip, QWidget *parent)
{
    auto *card = new QFrame(parent);
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

} // namespace lambdesk::app
