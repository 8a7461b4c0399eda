#pragma once
// Configuration → General configuration: Description, Memory, Ephemeral storage, Timeout, SnapStart.

#include "function/configsection.h"

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace lambdesk::app {

class GeneralConfigSection : public ConfigSection {
    Q_OBJECT
public:
    GeneralConfigSection(SharedFunction function, QWidget *parent = nullptr);

    QLineEdit *description() const { return m_description; }
    QSpinBox *memory() const { return m_memory; }
    QSpinBox *timeoutSeconds() const { return m_seconds; }
    QComboBox *snapStart() const { return m_snapStart; }

protected:
    void showValues(const engine::FunctionInfo &info) override;
    void fillForm(const engine::FunctionInfo &info) override;
    bool startSave(const engine::FunctionInfo &info) override;

private:
    QLabel *m_viewDescription;
    QLabel *m_viewMemory;
    QLabel *m_viewStorage;
    QLabel *m_viewTimeout;
    QLabel *m_viewSnapStart;
    QLineEdit *m_description;
    QSpinBox *m_memory;
    QSpinBox *m_storage;
    QSpinBox *m_minutes;
    QSpinBox *m_seconds;
    QComboBox *m_snapStart;
};

} // namespace lambdesk::app
