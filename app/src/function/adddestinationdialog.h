#pragma once
// Add destination, as the console's form: the source (asynchronous invocation), the condition
// (On failure / On success), the destination type (Lambda function or SQS queue, this engine's
// own) and the destination itself, picked from what exists. Save sets it on the event invoke
// config, keeping the rest.

#include "function/functioncontroller.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPushButton;
class QRadioButton;

namespace lambdesk::app {

class AddDestinationDialog : public QDialog {
    Q_OBJECT
public:
    enum Type { Function = 0, Queue = 1 };

    AddDestinationDialog(SharedFunction function, QWidget *parent = nullptr);
    void save();

    QRadioButton *onFailure() const { return m_onFailure; }
    QRadioButton *onSuccess() const { return m_onSuccess; }
    QComboBox *destinationType() const { return m_type; }
    QComboBox *destination() const { return m_destination; } // data: the ARN
    QPushButton *saveButton() const { return m_save; }
    bool targetsLoaded() const { return m_loaded; }
    QString errorText() const;

signals:
    void added(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void fillDestinations();

    SharedFunction m_controller;
    FunctionController::DestinationTargets m_targets;
    bool m_loaded = false;
    QRadioButton *m_onFailure;
    QRadioButton *m_onSuccess;
    QComboBox *m_type;
    QComboBox *m_destination;
    QLabel *m_error;
    QPushButton *m_save;
};

} // namespace lambdesk::app
