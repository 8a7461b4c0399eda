#pragma once
// Add trigger, as the console's form: pick a source, then its settings. EventBridge (CloudWatch
// Events) creates a schedule rule (name, description, schedule expression, with the next five
// times it fires, checked by the engine's own rules as you type) and lets it invoke the function.
// Function URL hands over to Configuration → Function URL, where that form lives.

#include "function/functioncontroller.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace lambdesk::app {

class AddTriggerDialog : public QDialog {
    Q_OBJECT
public:
    enum Source { EventBridge = 0, FunctionUrl = 1 };

    AddTriggerDialog(SharedFunction function, QWidget *parent = nullptr);

    // Runs "Add": the rule is made, or (Function URL) the dialog closes with functionUrlRequested.
    void add();

    QComboBox *source() const { return m_source; }
    QLineEdit *ruleName() const { return m_ruleName; }
    QLineEdit *ruleDescription() const { return m_description; }
    QLineEdit *scheduleExpression() const { return m_expression; }
    QLabel *nextFires() const { return m_nextFires; }
    QPushButton *addButton() const { return m_add; }
    QString errorText() const;

signals:
    void added(const QString &message);
    void functionUrlRequested();

private:
    void updatePreview();

    SharedFunction m_controller;
    QComboBox *m_source;
    QStackedWidget *m_forms;
    QLineEdit *m_ruleName;
    QLineEdit *m_description;
    QLineEdit *m_expression;
    QLabel *m_nextFires;
    QLabel *m_error;
    QPushButton *m_add;
};

} // namespace lambdesk::app
