#pragma once
// The box that shows a GuestImageController's build: a blue box with the step, a progress bar
// and Cancel while it runs; green when the image is ready; red with the last lines of output
// (and Retry) when it failed or was cancelled. It follows the builds that run while it exists and
// stays hidden for a quick refresh with unchanged inputs.

#include "guestimagecontroller.h"

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace lambdesk::app {

class GuestImageBanner : public QFrame {
    Q_OBJECT
public:
    explicit GuestImageBanner(GuestImageController *controller, QWidget *parent = nullptr);

    // An inactive banner stays hidden whatever the build does (the window's banner is active
    // only when the app itself started a build).
    void setActive(bool active);
    void dismiss();

    QString title() const;
    QString stepText() const;
    QString log() const;
    QProgressBar *progressBar() const { return m_bar; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *retryButton() const { return m_retry; }

private:
    void stateChanged(GuestImageController::State state);
    void showProgress(int percent, const QString &step);
    void showOutcome(const QString &kind, const QString &title, const QString &text, const QString &log);

    GuestImageController *m_controller;
    QLabel *m_title;
    QLabel *m_step;
    QLabel *m_percent;
    QProgressBar *m_bar;
    QLabel *m_hint;
    QPlainTextEdit *m_log;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_dismiss;
    bool m_active = true;
    bool m_following = false; // a build ran while this banner existed
};

} // namespace lambdesk::app
