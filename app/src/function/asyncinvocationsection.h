#pragma once
// Configuration → Asynchronous invocation, as the console's panel: Maximum age of event, Retry
// attempts and the Dead-letter queue (one of the engine's queues). The first two are the event
// invoke config (its destinations are kept; Configuration → Destinations edits those), the
// queue is the function's DeadLetterConfig.

#include "function/configsection.h"

#include <optional>

class QComboBox;
class QSpinBox;

namespace lambdesk::app {

class AsyncInvocationSection : public ConfigSection {
    Q_OBJECT
public:
    AsyncInvocationSection(SharedFunction function, QWidget *parent = nullptr);
    QSpinBox *maximumAge() const { return m_age; }
    QSpinBox *retryAttempts() const { return m_retries; }
    QComboBox *deadLetterQueue() const { return m_deadLetter; } // data: the queue's ARN, "" none
    QString shownValues() const;                                // the view page's text, for tests
    bool loaded() const { return m_loaded; }

protected:
    void showValues(const engine::FunctionInfo &info) override;
    void fillForm(const engine::FunctionInfo &info) override;
    bool startSave(const engine::FunctionInfo &info) override;

private:
    void showSettings();

    QLabel *m_ageView;
    QLabel *m_retriesView;
    QLabel *m_deadLetterView;
    QSpinBox *m_age;
    QSpinBox *m_retries;
    QComboBox *m_deadLetter;
    std::optional<engine::EventInvokeConfig> m_config;
    std::string m_deadLetterArn;
    bool m_loaded = false;
};

} // namespace lambdesk::app
