#pragma once
// Lambda > Dashboard: the account's resources (functions, code storage, full and unreserved
// concurrency, as GetAccountSettings reports them), account-level metrics over every function
// (invocations, errors and throttles, duration p50/p99, concurrent executions) for a time range,
// updated live, and the functions with the most errors and the slowest.

#include "screens/dashboardstats.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QStandardItemModel;
class QTableView;
class QTimer;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class InvocationFeed;
struct MetricChart;

class DashboardPage : public QWidget {
    Q_OBJECT
public:
    DashboardPage(engine::Engine &engine, InvocationFeed *feed, QWidget *parent = nullptr);
    ~DashboardPage() override;

    void refresh(); // reads the figures and records again
    bool isLoaded() const { return m_loaded; }
    QString statText(const QString &name) const; // a card's value: "Lambda function(s)", "p99"...
    QStandardItemModel *mostErrors() const { return m_mostErrors; }
    QStandardItemModel *slowest() const { return m_slowest; }
    const DashboardSummary &summary() const { return m_summary; }
    QComboBox *rangeBox() const { return m_range; }

signals:
    void loaded();
    void refreshed();
    void functionActivated(const QString &name);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildResources();
    QWidget *buildMetrics();
    QWidget *buildTopFunctions();
    QTableView *topTable(QStandardItemModel *model, QWidget *parent);
    void setStat(const QString &name, const QString &value);
    void show(const DashboardSummary &summary);

    engine::Engine &m_engine;
    QComboBox *m_range;
    std::unique_ptr<MetricChart> m_invocations, m_errors, m_duration, m_concurrency;
    QStandardItemModel *m_mostErrors;
    QStandardItemModel *m_slowest;
    QTimer *m_timer;
    DashboardSummary m_summary;
    bool m_dirty = true;
    bool m_loading = false;
    bool m_loaded = false;
    qint64 m_lastRefreshMs = 0;
};

} // namespace lambdesk::app
