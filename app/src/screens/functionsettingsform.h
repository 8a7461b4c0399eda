#pragma once
// The "Basic information" and "Advanced settings" panels of Create function: name (validated
// live with Lambda's rules), runtime (unavailable ones greyed with the reason), architecture,
// execution role, memory, timeout, ephemeral storage and environment variables.

#include "lambdesk/engine/types.h"

#include <QWidget>
#include <optional>
#include <vector>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QStandardItemModel;
class QToolButton;

namespace lambdesk::app {

class KeyValueEditor;
class KeyValueModel;

class FunctionSettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit FunctionSettingsForm(QWidget *parent = nullptr);

    void setRuntimes(const std::vector<engine::Availability> &runtimes);
    // Selects runtimeId, or the newest available runtime of its family when it cannot run here.
    void selectRuntime(const QString &runtimeId);
    QString runtime() const; // empty when nothing available is selected
    bool hasRuntimes() const { return m_runtimesLoaded; }

    // Checks every field, shows each problem beside its field and returns the config (without
    // handler, description or code) when all is well.
    std::optional<engine::FunctionConfig> buildConfig();
    void reset();

    QLineEdit *nameEdit() const { return m_name; }
    QLabel *nameError() const { return m_nameError; }
    QComboBox *runtimeCombo() const { return m_runtime; }
    QLabel *runtimeHint() const { return m_runtimeHint; }
    QSpinBox *memory() const { return m_memory; }
    KeyValueModel *environment() const { return m_environment; }
    void setAdvancedVisible(bool visible);

signals:
    void runtimeChanged(const QString &runtimeId);

private:
    void updateRuntimeHint();
    QWidget *buildBasicPanel();
    QWidget *buildAdvancedPanel();
    bool validateName(bool showEmpty);

    QLineEdit *m_name;
    QLabel *m_nameError;
    QComboBox *m_runtime;
    QStandardItemModel *m_runtimeItems;
    QLabel *m_runtimeHint;
    int m_unavailableRuntimes = 0;
    QRadioButton *m_x86;
    QRadioButton *m_arm;
    QLineEdit *m_role;
    QWidget *m_roleBox;
    QToolButton *m_advancedToggle;
    QWidget *m_advancedBody;
    QSpinBox *m_memory;
    QSpinBox *m_timeoutMinutes;
    QSpinBox *m_timeoutSeconds;
    QLabel *m_timeoutError;
    QSpinBox *m_storage;
    KeyValueModel *m_environment;
    KeyValueEditor *m_environmentEditor;
    bool m_runtimesLoaded = false;
    bool m_nameTouched = false;
};

} // namespace lambdesk::app
