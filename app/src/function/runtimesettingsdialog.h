#pragma once
// "Edit runtime settings": runtime and handler, saved with UpdateFunctionConfiguration.

#include "function/functioncontroller.h"
#include "lambdesk/engine/types.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace lambdesk::app {

class RuntimeSettingsDialog : public QDialog {
    Q_OBJECT
public:
    RuntimeSettingsDialog(SharedFunction function, const engine::FunctionInfo &info,
                          QWidget *parent = nullptr);

signals:
    void saved(const lambdesk::engine::FunctionInfo &info);

private:
    void save();
    SharedFunction m_controller;
    engine::FunctionInfo m_info;
    QComboBox *m_runtime;
    QLineEdit *m_handler;
    QLabel *m_error;
    QPushButton *m_save;
};

} // namespace lambdesk::app
