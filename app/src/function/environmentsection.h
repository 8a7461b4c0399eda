#pragma once
// Configuration → Environment variables: a key/value table; Edit adds and removes rows, names
// are checked live with engine::validateEnvironmentVariableName.

#include "function/configsection.h"

class QTableView;

namespace lambdesk::app {

class KeyValueEditor;
class KeyValueModel;

class EnvironmentSection : public ConfigSection {
    Q_OBJECT
public:
    EnvironmentSection(SharedFunction function, QWidget *parent = nullptr);
    KeyValueModel *formModel() const { return m_formModel; }
    KeyValueEditor *editor() const { return m_editor; }

protected:
    void showValues(const engine::FunctionInfo &info) override;
    void fillForm(const engine::FunctionInfo &info) override;
    bool startSave(const engine::FunctionInfo &info) override;

private:
    KeyValueModel *m_viewModel;
    QTableView *m_viewTable;
    QLabel *m_empty;
    KeyValueModel *m_formModel;
    KeyValueEditor *m_editor;
};

} // namespace lambdesk::app
