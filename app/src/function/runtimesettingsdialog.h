#pragma once
// "Edit runtime settings": runtime and handler, saved with UpdateFunctionConfiguration.

#include "lambdesk/engine/types.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class RuntimeSettingsDialog : public QDialog {
    Q_OBJECT
public:
    RuntimeSettingsDialog(engine::Engine &engine, const engine::FunctionInfo &info, QWidget *parent = nullptr);

signals:
    void saved(const lambdesk::engine::FunctionInfo &info);

private:
    void save();
    engine::Engine &m_engine;
    engine::FunctionInfo m_info;
    QComboBox *m_runtime;
    QLineEdit *m_handler;
    QLabel *m_error;
    QPushButton *m_save;
};

} // namespace lambdesk::app
