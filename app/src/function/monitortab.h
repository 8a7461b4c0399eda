#pragma once
// Monitor tab: Metrics (charts of every recorded invocation, numbers for the range) and Logs
// (recent invocations with their log), updated live, plus a load button to watch cold and warm
// starts. Samples are kept compact; percentiles and thinning run off the GUI thread.

#include "function/functiontab.h"
#include "function/invocationstats.h"

#include <QElapsedTimer>
#include <functional>
#include <vector>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTabWidget;
class QTimer;

namespace lambdesk::app {

class InvocationModel;
class LoadRunner;
class MonitorCharts;

class MonitorTab : public FunctionTab {
    Q_OBJECT
public:
    MonitorTab(SharedFunction function, QWidget *parent = nullptr);

    void setFunction(const engine::FunctionInfo &info) override;
    // A recorded invocation of this function (from the InvocationFeed), on the GUI thread.
    void addRecord(const engine::InvocationRecord &record);
    // Many at once (oldest first): every one is counted, only the newest reach the Logs table.
    void addRecords(const std::vector<engine::InvocationRecord> &records);
    void setPayloadProvider(std::function<QString()> provider) { m_payload = std::move(provider); }
    void setRange(TimeRange range);
    // Shows only one version's invocations ("$LATEST", "3"), or an alias's ("alias:live");
    // "" shows all. The choice is offered in the toolbar once the versions and aliases load.
    void setQualifierFilter(const QString &choice);
    QString qualifierFilter() const;
    QComboBox *qualifierBox() const { return m_qualifier; }
    // Lists the versions and aliases again (after one was published or created).
    void loadQualifiers();
    void reload();
    void runLoad(int count, int concurrency);

    MonitorCharts *charts() const { return m_charts; }
    InvocationModel *invocations() const { return m_model; }
    LoadRunner *loadRunner() const { return m_runner; }
    std::size_t sampleCount() const { return m_samples.size(); }
    int redrawCount() const { return m_redraws; }

signals:
    void redrawn();

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildToolbar();
    QWidget *buildLogs();
    void redraw();
    void applyQualifier();

    MonitorCharts *m_charts;
    QTabWidget *m_subTabs;
    QComboBox *m_range;
    QComboBox *m_qualifier;
    QString m_pendingQualifier; // asked for before the list that offers it arrived
    int m_historyGeneration = 0;
    int m_qualifierGeneration = 0;
    bool m_loadingHistory = false;
    std::vector<engine::InvocationRecord> m_arrivedWhileLoading;
    InvocationFilter m_filter;
    QSpinBox *m_count;
    QSpinBox *m_concurrency;
    QPushButton *m_run;
    QPushButton *m_stop;
    QProgressBar *m_progress;
    QLabel *m_loadState;
    InvocationModel *m_model;
    QTableView *m_table;
    QPlainTextEdit *m_log;
    QTimer *m_redrawTimer;
    LoadRunner *m_runner;
    std::function<QString()> m_payload;
    std::vector<InvocationSample> m_samples;
    QElapsedTimer m_sinceRedraw;
    bool m_samplesLoaded = false;
    bool m_dirty = true;
    bool m_computing = false;
    int m_redraws = 0;
};

} // namespace lambdesk::app
