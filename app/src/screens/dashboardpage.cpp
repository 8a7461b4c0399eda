#include "screens/dashboardpage.h"

#include "async.h"
#include "format.h"
#include "function/invocationstats.h"
#include "invocationfeed.h"
#include "widgets/consoletable.h"
#include "widgets/metricchart.h"
#include "widgets/pagebody.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/validation.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

// Live updates redraw at most this often; relative ranges slide even when nothing arrives.
constexpr int kTickMs = 1000;
constexpr int kSlideMs = 5000;

struct Loaded {
    engine::AccountSettings settings;
    DashboardSummary summary;
};

QString percentOf(std::int64_t used, std::int64_t limit)
{
    return QString::number(limit > 0 ? 100.0 * double(used) / double(limit) : 0.0, 'f', 1) +
           QStringLiteral("%");
}

double highest(const QList<QPointF> &points, double floor = 0)
{
    double top = floor;
    for (const QPointF &point : points)
        top = std::max(top, point.y());
    return top;
}

} // namespace

DashboardPage::DashboardPage(engine::Engine &engine, InvocationFeed *feed, QWidget *parent)
    : QWidget(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("page"));
    PageBody *body = PageBody::install(this); // scrolls: the charts keep their height
    QVBoxLayout *layout = body->layout();
    layout->addWidget(styledLabel(QStringLiteral("Lambda Dashboard"), "pageTitle", body));
    layout->addWidget(buildResources());
    layout->addWidget(buildMetrics());
    layout->addWidget(buildTopFunctions());
    layout->addStretch();

    m_timer = new QTimer(this);
    m_timer->setInterval(kTickMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        const bool sliding = TimeRange(m_range->currentIndex()) != TimeRange::All &&
                             QDateTime::currentMSecsSinceEpoch() - m_lastRefreshMs > kSlideMs;
        if ((m_dirty || sliding) && isVisible())
            refresh();
    });
    m_timer->start();
    if (feed) {
        connect(feed, &InvocationFeed::invocationRecorded, this, [this] { m_dirty = true; });
    }
}

DashboardPage::~DashboardPage() = default;

QWidget *DashboardPage::buildResources()
{
    auto *panel = new Panel(QStringLiteral("Resources for this engine"), this);
    panel->setDescription(QStringLiteral("What GetAccountSettings reports: Lambda's quotas and "
                                         "what this engine's functions use of them."));
    auto *row = new QHBoxLayout;
    row->setSpacing(8);
    row->addWidget(statCard(QStringLiteral("Lambda function(s)"),
                            QStringLiteral("Functions in this engine"), panel));
    row->addWidget(statCard(QStringLiteral("Code storage"),
                            QStringLiteral("The functions' deployment packages, of the 75 GB "
                                           "Lambda allows an account"),
                            panel));
    row->addWidget(statCard(QStringLiteral("Full account concurrency"),
                            QStringLiteral("Invocations that may run at once across all functions "
                                           "(lambdesk-engine --account-concurrency)"),
                            panel));
    row->addWidget(
        statCard(QStringLiteral("Unreserved account concurrency"),
                 QStringLiteral("What reserved concurrency leaves to the other functions"), panel));
    panel->bodyLayout()->addLayout(row);
    return panel;
}

QWidget *DashboardPage::buildMetrics()
{
    auto *panel = new Panel(QStringLiteral("Account-level metrics"), this);
    panel->setDescription(QStringLiteral("Every invocation of every function the engine recorded, "
                                         "updated as they happen."));
    m_range = new QComboBox(panel);
    m_range->addItems({QStringLiteral("Last 5 minutes"), QStringLiteral("Last hour"),
                       QStringLiteral("Last day"), QStringLiteral("All")});
    m_range->setCurrentIndex(int(TimeRange::LastHour));
    auto *reload = secondaryButton(QStringLiteral("⟳"), panel);
    reload->setToolTip(QStringLiteral("Reload"));
    panel->addHeaderWidget(m_range);
    panel->addHeaderWidget(reload);
    connect(m_range, &QComboBox::currentIndexChanged, this, &DashboardPage::refresh);
    connect(reload, &QPushButton::clicked, this, &DashboardPage::refresh);

    auto *stats = new QHBoxLayout;
    stats->setSpacing(8);
    stats->addWidget(
        statCard(QStringLiteral("Invocations"),
                 QStringLiteral("Recorded invocations in the range, throttles included"), panel));
    stats->addWidget(
        statCard(QStringLiteral("Errors"), QStringLiteral("Function errors and timeouts"), panel));
    stats->addWidget(statCard(QStringLiteral("Throttles"),
                              QStringLiteral("Invocations refused by a concurrency limit"), panel));
    stats->addWidget(statCard(QStringLiteral("p50"), QStringLiteral("Median duration"), panel));
    stats->addWidget(
        statCard(QStringLiteral("p99"), QStringLiteral("99th percentile duration"), panel));
    stats->addWidget(statCard(QStringLiteral("Peak concurrency"),
                              QStringLiteral("The most invocations running at once"), panel));
    panel->bodyLayout()->addLayout(stats);

    m_invocations = std::make_unique<MetricChart>(
        makeMetricChart(QStringLiteral("Invocations"), QStringLiteral("count"), panel));
    m_invocations->attach(metricLine(QStringLiteral("Invocations"), chartColor::kBlue));
    m_errors = std::make_unique<MetricChart>(makeMetricChart(
        QStringLiteral("Error count and throttles"), QStringLiteral("count"), panel));
    m_errors->attach(metricLine(QStringLiteral("Errors"), chartColor::kRed));
    m_errors->attach(metricLine(QStringLiteral("Throttles"), chartColor::kGrey));
    m_duration = std::make_unique<MetricChart>(
        makeMetricChart(QStringLiteral("Duration"), QStringLiteral("ms"), panel));
    for (auto [name, color] : {std::pair{QStringLiteral("p50"), chartColor::kBlue},
                               std::pair{QStringLiteral("p99"), chartColor::kOrange}}) {
        QLineSeries *series = metricLine(name, color);
        series->setPointsVisible(true); // a slot alone between empty ones is a point, not a line
        m_duration->attach(series);
    }
    m_concurrency = std::make_unique<MetricChart>(
        makeMetricChart(QStringLiteral("Concurrent executions"), QStringLiteral("count"), panel));
    m_concurrency->attach(metricLine(QStringLiteral("Concurrent executions"), chartColor::kPurple));
    auto *grid = new QGridLayout;
    grid->setSpacing(10);
    grid->addWidget(m_invocations->view, 0, 0);
    grid->addWidget(m_errors->view, 0, 1);
    grid->addWidget(m_duration->view, 1, 0);
    grid->addWidget(m_concurrency->view, 1, 1);
    panel->bodyLayout()->addLayout(grid);
    return panel;
}

QTableView *DashboardPage::topTable(QStandardItemModel *model, QWidget *parent)
{
    QTableView *table = consoleTable(model, parent);
    table->setSortingEnabled(false);
    table->setMinimumHeight(120);
    table->setMaximumHeight(220); // five rows
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->resizeSection(0, 220);
    connect(table, &QTableView::activated, this, [this, model](const QModelIndex &index) {
        emit functionActivated(model->item(index.row(), 0)->text());
    });
    return table;
}

QWidget *DashboardPage::buildTopFunctions()
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);
    auto *errorsPanel = new Panel(QStringLiteral("Most errors"), row);
    errorsPanel->setDescription(QStringLiteral("Functions whose invocations failed in the range"));
    m_mostErrors = new QStandardItemModel(0, 3, this);
    m_mostErrors->setHorizontalHeaderLabels(
        {QStringLiteral("Function"), QStringLiteral("Errors"), QStringLiteral("Invocations")});
    errorsPanel->bodyLayout()->addWidget(topTable(m_mostErrors, errorsPanel));
    auto *slowPanel = new Panel(QStringLiteral("Slowest"), row);
    slowPanel->setDescription(QStringLiteral("Functions by p99 duration in the range"));
    m_slowest = new QStandardItemModel(0, 3, this);
    m_slowest->setHorizontalHeaderLabels(
        {QStringLiteral("Function"), QStringLiteral("p99"), QStringLiteral("Invocations")});
    slowPanel->bodyLayout()->addWidget(topTable(m_slowest, slowPanel));
    layout->addWidget(errorsPanel);
    layout->addWidget(slowPanel);
    return row;
}

void DashboardPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void DashboardPage::refresh()
{
    if (m_loading) {
        m_dirty = true; // once more when this one is in
        return;
    }
    m_loading = true;
    m_dirty = false;
    const TimeRange range = TimeRange(m_range->currentIndex());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_lastRefreshMs = now;
    runAsync(
        this,
        [engine = &m_engine, range, now] {
            Loaded loaded;
            loaded.settings = engine->accountSettings();
            std::int64_t from = now - 3600 * 1000;
            switch (range) {
            case TimeRange::Last5Minutes:
                from = now - 5 * 60 * 1000;
                break;
            case TimeRange::LastHour:
                break;
            case TimeRange::LastDay:
                from = now - 24 * 3600 * 1000;
                break;
            case TimeRange::All:
                from = 0;
                break;
            }
            // Only the range, and the longest timeout before it: what still ran at its start.
            engine::InvocationQuery query;
            query.sinceMs =
                std::max<std::int64_t>(0, from - std::int64_t(engine::kMaxTimeoutSeconds) * 1000);
            const std::vector<engine::InvocationRecord> records = engine->listInvocations(query);
            if (range == TimeRange::All)
                from = records.empty() ? now - 3600 * 1000 : records.front().startTimeMs;
            loaded.summary = summarizeAccount(records, from, now + 1000);
            return loaded;
        },
        [this](Loaded result) {
            m_loading = false;
            const engine::AccountSettings &s = result.settings;
            setStat(QStringLiteral("Lambda function(s)"), QString::number(s.functionCount));
            setStat(QStringLiteral("Code storage"),
                    QStringLiteral("%1 (%2 of %3)")
                        .arg(byteSize(s.totalCodeSize),
                             percentOf(s.totalCodeSize, s.totalCodeSizeLimit),
                             byteSize(s.totalCodeSizeLimit)));
            setStat(QStringLiteral("Full account concurrency"),
                    QString::number(s.concurrentExecutions));
            setStat(QStringLiteral("Unreserved account concurrency"),
                    QString::number(s.unreservedConcurrentExecutions));
            show(result.summary);
            if (!m_loaded) {
                m_loaded = true;
                emit loaded();
            }
            emit refreshed();
        });
}

void DashboardPage::show(const DashboardSummary &summary)
{
    m_summary = summary;
    const bool ran = summary.invocations > summary.throttles;
    setStat(QStringLiteral("Invocations"), QString::number(summary.invocations));
    setStat(QStringLiteral("Errors"), QString::number(summary.errors));
    setStat(QStringLiteral("Throttles"), QString::number(summary.throttles));
    setStat(QStringLiteral("p50"), ran ? milliseconds(summary.p50) : QStringLiteral("-"));
    setStat(QStringLiteral("p99"), ran ? milliseconds(summary.p99) : QStringLiteral("-"));
    setStat(QStringLiteral("Peak concurrency"), QString::number(summary.peakConcurrency));

    auto series = [](const MetricChart &chart, int index) {
        return static_cast<QLineSeries *>(chart.chart->series().at(index));
    };
    for (const MetricChart *chart :
         {m_invocations.get(), m_errors.get(), m_duration.get(), m_concurrency.get()})
        chart->setTimeRange(summary.fromMs, summary.toMs);
    series(*m_invocations, 0)->replace(summary.invocationsPerBucket);
    series(*m_errors, 0)->replace(summary.errorsPerBucket);
    series(*m_errors, 1)->replace(summary.throttlesPerBucket);
    series(*m_duration, 0)->replace(summary.p50PerBucket);
    series(*m_duration, 1)->replace(summary.p99PerBucket);
    series(*m_concurrency, 0)->replace(summary.concurrencyPerBucket);
    setNiceRange(m_invocations->y, highest(summary.invocationsPerBucket, 4));
    setNiceRange(m_errors->y, std::max(highest(summary.errorsPerBucket, 4),
                                       highest(summary.throttlesPerBucket)));
    setNiceRange(m_duration->y, highest(summary.p99PerBucket));
    setNiceRange(m_concurrency->y, highest(summary.concurrencyPerBucket, 4));

    m_mostErrors->setRowCount(0);
    for (const FunctionFigures &f : summary.mostErrors)
        m_mostErrors->appendRow({new QStandardItem(f.name),
                                 new QStandardItem(QString::number(f.errors)),
                                 new QStandardItem(QString::number(f.invocations))});
    m_slowest->setRowCount(0);
    for (const FunctionFigures &f : summary.slowest)
        m_slowest->appendRow({new QStandardItem(f.name), new QStandardItem(milliseconds(f.p99)),
                              new QStandardItem(QString::number(f.invocations))});
}

void DashboardPage::setStat(const QString &name, const QString &value)
{
    for (QLabel *label : findChildren<QLabel *>(QStringLiteral("statValue"))) {
        if (label->property("statName").toString() == name)
            label->setText(value);
    }
}

QString DashboardPage::statText(const QString &name) const
{
    for (QLabel *label : findChildren<QLabel *>(QStringLiteral("statValue"))) {
        if (label->property("statName").toString() == name)
            return label->text();
    }
    return {};
}

} // namespace lambdesk::app
