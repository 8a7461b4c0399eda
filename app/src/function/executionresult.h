#pragma once
// The green/red "Executing function: succeeded/failed" box with ▸ Details: the response JSON,
// the Summary table and the Log output, as the console's Test tab shows them.

#include "lambdesk/engine/types.h"

#include <QFrame>

class QGridLayout;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QToolButton;

namespace lambdesk::app {

class ExecutionResult : public QFrame {
    Q_OBJECT
public:
    explicit ExecutionResult(QWidget *parent = nullptr);

    void showRunning(const QString &eventName);
    // codeSha256: the code that ran (the function's current package).
    void showResult(const engine::InvokeResult &result, const QString &codeSha256);
    void showError(const QString &message); // the invoke itself failed (throttled, no runtime, ...)

    bool succeeded() const { return m_succeeded; }
    QString title() const;
    QString response() const;
    QString logOutput() const;
    QString summaryValue(const QString &label) const; // "Request ID" -> its value
    void setDetailsVisible(bool visible);

private:
    void setKind(const char *kind);
    QLabel *m_title;
    QToolButton *m_toggle;
    QProgressBar *m_progress;
    QWidget *m_details;
    QPlainTextEdit *m_response;
    QPlainTextEdit *m_log;
    QLabel *m_initDurationTitle = nullptr; // "Restore duration" after a SnapStart restore
    QGridLayout *m_summary;
    QLabel *m_message;
    bool m_succeeded = false;
};

} // namespace lambdesk::app
