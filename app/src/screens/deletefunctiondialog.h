#pragma once
// "Delete function": asks the user to type the function's name before Delete is enabled.

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace lambdesk::app {

class DeleteFunctionDialog : public QDialog {
    Q_OBJECT
public:
    DeleteFunctionDialog(const QString &functionName, QWidget *parent = nullptr);
    QLineEdit *confirmation() const { return m_confirmation; }
    QPushButton *deleteButton() const { return m_delete; }

private:
    QLineEdit *m_confirmation;
    QPushButton *m_delete;
};

} // namespace lambdesk::app
