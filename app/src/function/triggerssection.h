#pragma once
// Configuration → Triggers: what invokes the function, as the console lists triggers: schedule
// rules (expression, state, next time), folder buckets (events, prefix, suffix) and queues
// (batch size and window). Enable,
// Disable and Delete act on the selected one, Add trigger opens the form. A trigger the
// function's policy does not let in is flagged: it fires, but the function is not invoked.

#include "function/functioncontroller.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace lambdesk::app {

class Panel;

class TriggersSection : public QWidget {
    Q_OBJECT
public:
    // Rule: a schedule's rule or a folder's bucket; Expression: its schedule or its events.
    enum Column { TriggerColumn, RuleColumn, ExpressionColumn, StateColumn, NextColumn };

    explicit TriggersSection(SharedFunction function, QWidget *parent = nullptr);
    void reload();

    // What the buttons do on the selected row (tests drive these).
    void selectRule(const QString &rule); // a rule's name or a bucket's
    void setSelectedEnabled(bool enabled);
    void deleteSelected(bool confirm = true);

    bool loaded() const { return m_loaded; }
    const std::vector<engine::ScheduleTrigger> &triggers() const { return m_triggers; }
    const std::vector<engine::FolderTrigger> &folders() const { return m_folders; }
    const std::vector<engine::EventSourceMapping> &queues() const { return m_queues; }
    QTableView *table() const { return m_table; }
    QStandardItemModel *model() const { return m_model; }
    QPushButton *addButton() const { return m_add; }
    QString errorText() const;

signals:
    void addRequested();
    void saved(const QString &message);
    // Every load: one label per trigger ("EventBridge (CloudWatch Events)"), for the diagram.
    void triggersChanged(const QStringList &labels);

private:
    enum class Kind { Schedule, Folder, Queue };
    struct Row {
        Kind kind = Kind::Schedule;
        std::string key; // the rule's name, the folder trigger's id, the mapping's UUID
        QString name;
        bool enabled = true;
    };
    void show(FunctionController::Triggers triggers);
    void appendQueueRows(QStringList &labels);
    void appendRow(const QStringList &cells, const QString &tooltip);
    void showError(const QString &message);
    const Row *selected() const;
    void updateButtons();

    SharedFunction m_controller;
    std::vector<engine::ScheduleTrigger> m_triggers;
    std::vector<engine::FolderTrigger> m_folders;
    std::vector<engine::EventSourceMapping> m_queues;
    std::vector<Row> m_rows; // the table's, in its order
    bool m_loaded = false;
    Panel *m_panel;
    QStandardItemModel *m_model;
    QTableView *m_table;
    QLabel *m_empty;
    QLabel *m_policyNote;
    QLabel *m_error;
    QPushButton *m_enable;
    QPushButton *m_disable;
    QPushButton *m_delete;
    QPushButton *m_add;
};

} // namespace lambdesk::app
