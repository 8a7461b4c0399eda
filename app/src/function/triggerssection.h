#pragma once
// Configuration → Triggers: the schedule rules that invoke the function, with their expression,
// state and next time, as the console lists triggers; Enable, Disable and Delete act on the
// selected one, Add trigger opens the form. A rule the function's policy does not let in is
// flagged: it fires, but the function is not invoked.

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
    enum Column { TriggerColumn, RuleColumn, ExpressionColumn, StateColumn, NextColumn };

    explicit TriggersSection(SharedFunction function, QWidget *parent = nullptr);
    void reload();

    // What the buttons do on the selected row (tests drive these).
    void selectRule(const QString &rule);
    void setSelectedEnabled(bool enabled);
    void deleteSelected(bool confirm = true);

    bool loaded() const { return m_loaded; }
    const std::vector<engine::ScheduleTrigger> &triggers() const { return m_triggers; }
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
    void show(std::vector<engine::ScheduleTrigger> triggers);
    void showError(const QString &message);
    const engine::ScheduleTrigger *selected() const;
    void updateButtons();

    SharedFunction m_controller;
    std::vector<engine::ScheduleTrigger> m_triggers;
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
