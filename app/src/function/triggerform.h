#pragma once
// The console's trigger configuration form: pick a source, then its settings. Shared by Add
// trigger on a function page and by the Create function wizard (where a blueprint's suggestion
// fills it in). EventBridge (CloudWatch Events) makes a schedule rule (name, description,
// expression, with the next five times it fires, checked by the engine's rules as you type). S3
// (local folder) watches a folder that stands for a bucket (event types, prefix, suffix, and the
// console's acknowledgement that writing to the same folder recurses). SQS (local queue) polls one
// of the engine's queues (a new name makes the queue). Function URL makes an HTTP endpoint.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/trigger.h"

#include <QWidget>

#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace lambdesk::app {

class FolderBucketField;

class TriggerForm : public QWidget {
    Q_OBJECT
public:
    enum Source { EventBridge = 0, Folder = 1, Queue = 2, FunctionUrl = 3 };

    explicit TriggerForm(QWidget *parent = nullptr);

    // Fills the form in from a suggestion (a blueprint's); the folder is left for the user.
    void suggest(const engine::TriggerRequest &request);
    // The queues the queue source offers (a name typed in that is not one of them is made).
    void setQueueNames(const engine::Result<std::vector<std::string>> &names);
    // What the fields ask for, or why they do not ask for a trigger yet, in the console's words.
    engine::Result<engine::TriggerRequest> request() const;

    QComboBox *source() const { return m_source; }
    QLineEdit *ruleName() const { return m_ruleName; }
    QLineEdit *ruleDescription() const { return m_description; }
    QLineEdit *scheduleExpression() const { return m_expression; }
    QLabel *nextFires() const { return m_nextFires; }
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
    QComboBox *urlAuthType() const { return m_urlAuth; }
    bool queuesLoaded() const { return m_queuesLoaded; }

signals:
    void resized(); // the form grew or shrank: a dialog around it fits itself again

private:
    QWidget *buildScheduleForm();
    QWidget *buildFolderForm();
    QWidget *buildQueueForm();
    QWidget *buildUrlForm();
    void fitToSource();
    void remeasure();
    void updatePreview();

    QComboBox *m_source;
    std::vector<QWidget *> m_pages; // one per Source, only the chosen one shown
    QLineEdit *m_ruleName;
    QLineEdit *m_description;
    QLineEdit *m_expression;
    QLabel *m_nextFires;
    FolderBucketField *m_folderField;
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
    QComboBox *m_urlAuth;
    bool m_queuesLoaded = false;
};

} // namespace lambdesk::app
