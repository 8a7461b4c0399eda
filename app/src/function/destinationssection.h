#pragma once
// Configuration → Destinations, as the console lists them: where the records of asynchronous
// invocations go, one row per condition (source, condition, destination type, destination).
// Remove acts on the selected one; Add destination opens the form.

#include "function/functioncontroller.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace lambdesk::app {

class Panel;

class DestinationsSection : public QWidget {
    Q_OBJECT
public:
    enum Column { SourceColumn, ConditionColumn, TypeColumn, DestinationColumn };

    explicit DestinationsSection(SharedFunction function, QWidget *parent = nullptr);
    void reload();
    void removeSelected(bool confirm = true);
    void selectCondition(bool onSuccess);

    bool loaded() const { return m_loaded; }
    QTableView *table() const { return m_table; }
    QStandardItemModel *model() const { return m_model; }
    QPushButton *addButton() const { return m_add; }
    QString errorText() const;

signals:
    void addRequested();
    void saved(const QString &message);
    // Every load: one label per destination ("On success: SQS"), for the diagram.
    void destinationsChanged(const QStringList &labels);

private:
    struct Row {
        bool onSuccess = false;
        QString destination;
    };
    void show(const std::optional<engine::EventInvokeConfig> &config);
    void showError(const QString &message);
    void updateButtons();

    SharedFunction m_controller;
    std::vector<Row> m_rows;
    bool m_loaded = false;
    Panel *m_panel;
    QStandardItemModel *m_model;
    QTableView *m_table;
    QLabel *m_empty;
    QLabel *m_error;
    QPushButton *m_remove;
    QPushButton *m_add;
};

// "Lambda function" or "SQS queue", from a destination's ARN.
QString destinationTypeText(const std::string &arn);

} // namespace lambdesk::app
