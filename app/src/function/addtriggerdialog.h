#pragma once
// Add trigger on a function page: the console's trigger form (TriggerForm) and Add, which adds the
// trigger to the function, or to the alias the page is opened on.

#include "function/functioncontroller.h"

#include <QDialog>

class QLabel;
class QPushButton;

namespace lambdesk::app {

class TriggerForm;

class AddTriggerDialog : public QDialog {
    Q_OBJECT
public:
    AddTriggerDialog(SharedFunction function, QWidget *parent = nullptr);

    void add(); // what Add does

    TriggerForm *form() const { return m_form; }
    QPushButton *addButton() const { return m_add; }
    QString errorText() const;

signals:
    void added(const QString &message);
    void functionUrlAdded(); // after `added`: the page shows Configuration → Function URL

private:
    void fail(const QString &message);
    void fit();

    SharedFunction m_controller;
    TriggerForm *m_form;
    QLabel *m_error;
    QPushButton *m_add;
};

} // namespace lambdesk::app
