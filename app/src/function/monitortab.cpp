#include "function/monitortab.h"

#include "async.h"
#include "function/loadrunner.h"
#include "function/monitorcharts.h"
#include "models/invocationmodel.h"
#include "widgets/consoletable.h"
#include "widgets/flashbar.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <set>

namespace lambdesk::app {
namespace {

// Live updates redraw at most this often; a load run records hundreds of invocations a second.
constexpr int kRedrawIntervalMs = 500;
// Relative ranges ("last 5 minutes") slide even when nothing new arrives.
constexpr int kSlideIntervalMs = 5000;

} // namespace

MonitorTab::MonitorTab(SharedFunction function, QWidget *parent) : FunctionTab(function, parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 14, 0, 0);
    layout->setSpacing(10);
    layout->addWidget(buildToolbar());

    m_subTabs = new QTabWidget(this);
    m_subTabs->setDocumentMode(true);
    auto *metrics = new QWidget(m_subTabs);
    auto *metricsLayout = new QVBoxLayout(metrics);
    metricsLayout->setContentsMargins(0, 10, 0, 0);
    m_charts = new MonitorCharts(metrics);
    metricsLayout->addWidget(m_charts);
    m_subTabs->addTab(metrics, QStringLiteral("Metrics"));
    m_subTabs->addTab(buildLogs(), QStringLiteral("Logs"));
    layout->addWidget(m_subTabs, 1);

    m_runner = new LoadRunner(m_controller, this);
    connect(m_runner, &LoadRunner::progress, this, [this](int completed, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(completed);
        m_loadState->setText(QStringLiteral("%1 of %2 done").arg(completed).arg(total));
    });
    connect(m_runner, &LoadRunner::finished, this, [this](int completed, int failed, bool stopped) {
        m_run->setEnabled(true);
        m_stop->setEnabled(false);
        m_loadState->setText(QStringLiteral("%1 %2 invocations, %3 failed")
                                 .arg(stopped ? QStringLiteral("Stopped after") : QStringLiteral("Finished"))
                                 .arg(completed)
                                 .arg(failed));
    });

    m_redrawTimer = new QTimer(this);
    m_redrawTimer->setInterval(kRedrawIntervalMs);
    connect(m_redrawTimer, &QTimer::timeout, this, [this] {
        const bool sliding = TimeRange(m_range->currentIndex()) != TimeRange::All &&
                             m_sinceRedraw.isValid() && m_sinceRedraw.elapsed() > kSlideIntervalMs;
        if ((m_dirty || sliding) && isVisible())
            redraw();
    });
    m_redrawTimer->start();
}

QWidget *MonitorTab::buildToolbar()
{
    auto *bar = new Panel(QStringLiteral("Monitor"), this);
    bar->setDescription(
        QStringLiteral("Every invocation the engine recorded for this function, from the Test tab, "
                       "the API, the CLI, a load run or a trigger (Source)."));
    m_range = new QComboBox(bar);
    m_range->addItems({QStringLiteral("Last 5 minutes"), QStringLiteral("Last hour"), QStringLiteral("Last day"),
                       QStringLiteral("All")});
    m_range->setCurrentIndex(int(TimeRange::LastHour));
    m_qualifier = new QComboBox(bar);
    m_qualifier->setAccessibleName(QStringLiteral("Versions and aliases"));
    m_qualifier->setToolTip(QStringLiteral("Show the invocations of one version, or those made "
                                           "through one alias"));
    m_qualifier->addItem(QStringLiteral("All versions and aliases"), QString());
    m_qualifier->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    bar->addHeaderWidget(m_qualifier);
    auto *refresh = secondaryButton(QStringLiteral("⟳"), bar);
    refresh->setToolTip(QStringLiteral("Reload from the engine's history"));
    bar->addHeaderWidget(m_range);
    bar->addHeaderWidget(refresh);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        m_dirty = true;
        redraw();
    });
    connect(refresh, &QPushButton::clicked, this, [this] {
        loadQualifiers();
        reload();
    });
    connect(m_qualifier, &QComboBox::currentIndexChanged, this, &MonitorTab::applyQualifier);

    auto *load = new QHBoxLayout;
    load->setSpacing(6);
    load->addWidget(new QLabel(QStringLiteral("Run"), bar));
    m_count = new QSpinBox(bar);
    m_count->setRange(1, 100000);
    m_count->setValue(100);
    load->addWidget(m_count);
    load->addWidget(new QLabel(QStringLiteral("invocations,"), bar));
    m_concurrency = new QSpinBox(bar);
    m_concurrency->setRange(1, 16);
    m_concurrency->setValue(4);
    load->addWidget(m_concurrency);
    load->addWidget(new QLabel(QStringLiteral("concurrent"), bar));
    m_run = secondaryButton(QStringLiteral("Run load"), bar);
    m_run->setToolTip(QStringLiteral("Invoke the function with the Test tab's event to watch cold and warm starts"));
    m_stop = secondaryButton(QStringLiteral("Stop"), bar);
    m_stop->setEnabled(false);
    load->addWidget(m_run);
    load->addWidget(m_stop);
    m_progress = new QProgressBar(bar);
    m_progress->setMinimumWidth(80); // narrower in a narrow window
    m_progress->setMaximumWidth(180);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    load->addWidget(m_progress, 1);
    m_loadState = hintLabel(QString(), bar); // wraps rather than widen the page
    load->addWidget(m_loadState);
    load->addStretch(1);
    bar->bodyLayout()->addLayout(load);
    connect(m_run, &QPushButton::clicked, this, [this] { runLoad(m_count->value(), m_concurrency->value()); });
    connect(m_stop, &QPushButton::clicked, this, [this] { m_runner->stop(); });
    return bar;
}

QWidget *MonitorTab::buildLogs()
{
    auto *page = new QSplitter(Qt::Vertical, this);
    m_model = new InvocationModel(500, this);
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(InvocationModel::SortRole);
    m_table = consoleTable(proxy, page);
    m_table->sortByColumn(int(InvocationModel::Column::Timestamp), Qt::DescendingOrder);
    m_table->horizontalHeader()->resizeSection(int(InvocationModel::Column::Timestamp), 150);
    m_table->horizontalHeader()->resizeSection(int(InvocationModel::Column::RequestId), 280);
    m_log = new QPlainTextEdit(page);
    m_log->setObjectName(QStringLiteral("logText"));
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setPlaceholderText(QStringLiteral("Select an invocation to see its log."));
    page->addWidget(m_table);
    page->addWidget(m_log);
    page->setStretchFactor(0, 3);
    page->setStretchFactor(1, 1);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                // Tabs as two spaces: see ExecutionResult (a tab on a tab stop has no width).
                m_log->setPlainText(current.isValid()
                                        ? current.data(InvocationModel::LogRole).toString().replace(QLatin1Char('\t'), QStringLiteral("  "))
                                        : QString());
            });
    return page;
}

void MonitorTab::setFunction(const engine::FunctionInfo &info)
{
    const bool first = m_function.config.name.empty();
    m_function = info;
    if (first) {
        loadQualifiers();
        reload();
    }
}

void MonitorTab::loadQualifiers()
{
    const int generation = ++m_qualifierGeneration;
    m_controller->listVersions(
        this, [this, generation](engine::Result<std::vector<engine::FunctionInfo>> versions) {
            m_controller->listAliases(
                this, [this, generation, versions = std::move(versions)](
                          engine::Result<std::vector<engine::AliasInfo>> aliases) {
                    if (generation != m_qualifierGeneration)
                        return; // a newer list is on its way
                    const QString wanted =
                        m_pendingQualifier.isNull() ? qualifierFilter() : m_pendingQualifier;
                    const QSignalBlocker blocker(m_qualifier);
                    m_qualifier->clear();
                    m_qualifier->addItem(QStringLiteral("All versions and aliases"), QString());
                    if (versions) {
                        for (const engine::FunctionInfo &version : *versions) {
                            const QString number = QString::fromStdString(version.version);
                            m_qualifier->addItem(number == QLatin1String("$LATEST")
                                                     ? number
                                                     : QStringLiteral("Version %1").arg(number),
                                                 number);
                        }
                    }
                    if (aliases) {
                        for (const engine::AliasInfo &alias : *aliases) {
                            const QString name = QString::fromStdString(alias.config.name);
                            m_qualifier->addItem(QStringLiteral("Alias: %1").arg(name),
                                                 QStringLiteral("alias:") + name);
                        }
                    }
                    m_qualifier->setCurrentIndex(std::max(m_qualifier->findData(wanted), 0));
                    m_pendingQualifier = QString();
                    applyQualifier(); // nothing when unchanged; all when the choice is gone
                });
        });
}

void MonitorTab::setQualifierFilter(const QString &choice)
{
    const int index = m_qualifier->findData(choice);
    if (index >= 0) {
        m_qualifier->setCurrentIndex(index);
        return;
    }
    // Not listed yet: chosen when the list arrives, and filtered right away.
    m_pendingQualifier = choice;
    m_qualifier->addItem(choice.startsWith(QLatin1String("alias:"))
                             ? QStringLiteral("Alias: %1").arg(choice.mid(6))
                             : choice,
                         choice);
    m_qualifier->setCurrentIndex(m_qualifier->count() - 1);
}

QString MonitorTab::qualifierFilter() const
{
    return m_qualifier->currentData().toString();
}

void MonitorTab::applyQualifier()
{
    const QString choice = qualifierFilter();
    if (choice != m_pendingQualifier)
        m_pendingQualifier = QString(); // the user chose after asking: theirs stands
    InvocationFilter filter;
    if (choice.startsWith(QLatin1String("alias:")))
        filter.alias = choice.mid(6).toStdString();
    else
        filter.version = choice.toStdString();
    if (filter.version == m_filter.version && filter.alias == m_filter.alias)
        return;
    m_filter = std::move(filter);
    m_samplesLoaded = false; // the other filter's samples go; live records wait for the history
    reload();
}

void MonitorTab::reload()
{
    const int generation = ++m_historyGeneration;
    m_arrivedWhileLoading.clear();
    m_loadingHistory = true;
    m_controller->loadHistory(
        this, 200, m_filter, [this, generation](FunctionController::History history) {
            if (generation != m_historyGeneration)
                return; // a newer filter's history is on its way
            m_loadingHistory = false;
            m_samples = std::move(history.samples);
            m_model->setRecords(history.recent);
            m_samplesLoaded = true;
            // A record that arrived while the engine was read may or may not be in the
            // history: the newest ones it returned tell which.
            std::set<std::string> known;
            for (const engine::InvocationRecord &record : history.recent)
                known.insert(record.requestId);
            std::vector<engine::InvocationRecord> arrived = std::move(m_arrivedWhileLoading);
            m_arrivedWhileLoading.clear();
            std::erase_if(arrived, [&](const engine::InvocationRecord &record) {
                return known.contains(record.requestId);
            });
            addRecords(arrived);
            m_dirty = true;
            redraw();
        });
}

void MonitorTab::addRecord(const engine::InvocationRecord &record)
{
    if (!m_filter.matches(record))
        return;
    if (m_loadingHistory) {
        m_arrivedWhileLoading.push_back(record); // sorted out when the history is in
        return;
    }
    if (!m_samplesLoaded)
        return;
    m_samples.push_back(toSample(record));
    m_model->addRecord(record);
    m_dirty = true;
}

void MonitorTab::addRecords(const std::vector<engine::InvocationRecord> &records)
{
    if (m_loadingHistory) {
        for (const engine::InvocationRecord &record : records) {
            if (m_filter.matches(record))
                m_arrivedWhileLoading.push_back(record);
        }
        return;
    }
    if (!m_samplesLoaded)
        return;
    std::vector<const engine::InvocationRecord *> matching;
    matching.reserve(records.size());
    for (const engine::InvocationRecord &record : records) {
        if (m_filter.matches(record))
            matching.push_back(&record);
    }
    m_samples.reserve(m_samples.size() + matching.size());
    for (const engine::InvocationRecord *record : matching)
        m_samples.push_back(toSample(*record));
    const std::size_t shown =
        std::min<std::size_t>(matching.size(), std::size_t(m_model->capacity()));
    for (std::size_t i = matching.size() - shown; i < matching.size(); ++i)
        m_model->addRecord(*matching[i]);
    m_dirty = true;
}

void MonitorTab::setRange(TimeRange range)
{
    m_range->setCurrentIndex(int(range));
}

void MonitorTab::showEvent(QShowEvent *event)
{
    FunctionTab::showEvent(event);
    if (m_dirty && m_samplesLoaded)
        redraw();
}

void MonitorTab::redraw()
{
    if (!m_samplesLoaded || m_computing)
        return;
    m_computing = true;
    m_dirty = false;
    m_sinceRedraw.start();
    const TimeRange range = TimeRange(m_range->currentIndex());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // A copy of compact samples (24 bytes each) is cheap; the sorting and thinning is not.
    runAsync(this,
             [samples = m_samples, range, now] {
                 // Start the time axis at the first invocation in the range (the counts are the
                 // same: nothing happened before it), so a burst does not hide at the right edge.
                 const std::int64_t start = rangeStart(range, now, samples);
                 std::int64_t first = now;
                 for (const InvocationSample &s : samples) {
                     if (s.timeMs >= start)
                         first = std::min(first, s.timeMs);
                 }
                 const std::int64_t pad = std::max<std::int64_t>(5000, (now - first) / 20);
                 const std::int64_t from = std::max(start, first - pad);
                 return summarize(samples, from, now + 1000);
             },
             [this](MonitorSummary summary) {
                 m_charts->setSummary(summary);
                 m_computing = false;
                 ++m_redraws;
                 emit redrawn();
                 markLoaded();
             });
}

void MonitorTab::runLoad(int count, int concurrency)
{
    if (m_runner->isRunning())
        return;
    m_run->setEnabled(false);
    m_stop->setEnabled(true);
    m_progress->setRange(0, count);
    m_progress->setValue(0);
    const QString payload = m_payload ? m_payload() : QStringLiteral("{}");
    m_runner->start(payload.toStdString(), count, concurrency);
}

} // namespace lambdesk::app
