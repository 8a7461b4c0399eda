#pragma once
// Configuration → Concurrency: unreserved account concurrency, or a reserved number
// (PutFunctionConcurrency; 0 throttles every invoke).

#include "function/configsection.h"

class QRadioButton;
class QSpinBox;

namespace lambdesk::app {

class ConcurrencySection : public ConfigSection {
    Q_OBJECT
public:
    ConcurrencySection(SharedFunction function, QWidget *parent = nullptr);
    QRadioButton *reserveRadio() const { return m_reserve; }
    QSpinBox *reserved() const { return m_reserved; }

protected:
    void showValues(const engine::FunctionInfo &info) override;
    void fillForm(const engine::FunctionInfo &info) override;
    bool startSave(const engine::FunctionInfo &info) override;

private:
    QLabel *m_view;
    QRadioButton *m_unreserved;
    QRadioButton *m_reserve;
    QSpinBox *m_reserved;
};

} // namespace lambdesk::app
