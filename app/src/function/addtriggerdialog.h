#pragma once
// Add trigger, as the console's form: pick a source, then its settings. EventBridge (CloudWatch
// Events) creates a schedule rule (name, description, schedule expression, with the next five
// times it fires, checked by the engine's own rules as you type) and lets it invoke the function.
// S3 (local folder) watches a folder that stands for a bucket (event types, prefix, suffix, and
// the console's acknowledgement that writing to the same folder recurses). SQS (local queue)
// polls one of the engine's queues (batch size, batching window, batch item failures). Function
// URL hands over to Configuration → Function URL, where that form lives.

#include "function/functioncontroller.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace lambdesk::app {

class AddTriggerDialog : public QDialog {
    Q_OBJECT
public:
    enum Source { EventBridge = 0, Folder = 1, Queue = 2, FunctionUrl = 3 };

    AddTriggerDialog(SharedFunction function, QWidget *parent = nullptr);

    // Runs "Add": the rule is made, or (Function URL) the dialog closes with functionUrlRequested.
    void add();

    QComboBox *source() const { return m_source; }
    QLineEdit *ruleName() const { return m_ruleName; }
    QLineEdit *ruleDescription() const { return m_description; }
    QLineEdit *scheduleExpression() const { return m_expression; }
    QLabel *nextFires() const { return m_nextFires; }
    QPushButton *addButton() const { return m_add; }
    QLineEdit *folder() const { return m_folder; }
    QLabel *bucket() const { return m_bucket; }
    QComboBox *eventTypes() const { return m_events; } // 0 create, 1 delete, 2 both
    QLineEdit *prefix() const { return m_prefix; }
    QLineEdit *suffix() const { return m_suffix; }
    QCheckBox *acknowledge() const { return m_acknowledge; }
    QComboBox *queue() const { return m_queue; }
    QSpinBox *batchSize() const { return m_batchSize; }
    QSpinBox *batchWindow() const { return m_batchWindow; }
    QCheckBox *reportFailures() const { return m_reportFailures; }
    QCheckBox *activate() const { return m_activate; }
    bool queuesLoaded() const { return m_queuesLoaded; }
    QString errorText() const;

signals:
    void added(const QString &message);
    void functionUrlRequested();

private:
    QWidget *buildFolderForm();
    QWidget *buildQueueForm();
    void addQueue();
    void fitToSource();
    void updatePreview();
    void updateBucket();
    void addFolder();

    SharedFunction m_controller;
    QComboBox *m_source;
    QStackedWidget *m_forms;
    QLineEdit *m_ruleName;
    QLineEdit *m_description;
    QLineEdit *m_expression;
    QLabel *m_nextFires;
    QLineEdit *m_folder;
    QLabel *m_bucket;
    QComboBox *m_events;
    QLineEdit *m_prefix;
    QLineEdit *m_suffix;
    QCheckBox *m_acknowledge;
    QComboBox *m_queue;
    QLabel *m_queueHint;
    QSpinBox *m_batchSize;
    QSpinBox *m_batchWindow;
    QCheckBox *m_reportFailures;
    QCheckBox *m_activate;
    bool m_queuesLoaded = false;
    QLabel *m_error;
    QPushButton *m_add;
};

} // namespace lambdesk::app
