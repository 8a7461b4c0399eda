#include "widgets/guestimagebanner.h"

#include "guestimagebuilder.h"
#include "widgets/ui.h"

#include <QDir>
#include <QTextDocument>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace lambdesk::app {
namespace {

QString hintFor(QString cacheDir)
{
    const QString home = QDir::homePath();
    if (cacheDir.startsWith(home + QLatin1Char('/')))
        cacheDir = QStringLiteral("~") + cacheDir.mid(home.size());
    return QStringLiteral("Needed once for the microvm sandbox: Lambdesk builds a small guest kernel and a read-only "
                          "root image with the runtimes from this machine's Debian packages, and caches them%1. "
                          "Later starts reuse them and rebuild only when an input changes.")
        .arg(cacheDir.isEmpty() ? QString() : QStringLiteral(" in %1").arg(cacheDir));
}

} // namespace

GuestImageBanner::GuestImageBanner(GuestImageController *controller, QWidget *parent)
    : QFrame(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("resultBox"));
    setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 12, 18, 14);
    layout->setSpacing(8);

    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(10);
    m_title = styledLabel(QString(), "resultTitle", this);
    m_title->setWordWrap(true);
    m_cancel = secondaryButton(QStringLiteral("Cancel"), this);
    m_retry = secondaryButton(QStringLiteral("Retry"), this);
    m_dismiss = linkButton(QStringLiteral("Dismiss"), this);
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_dismiss);
    titleRow->addWidget(m_retry);
    titleRow->addWidget(m_cancel);
    layout->addLayout(titleRow);

    m_step = new QLabel(this);
    m_step->setWordWrap(true);
    m_step->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_step);
    auto *barRow = new QHBoxLayout;
    barRow->setSpacing(10);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 100);
    m_bar->setTextVisible(false);
    m_percent = styledLabel(QString(), "fieldLabel", this);
    m_percent->setMinimumWidth(m_percent->fontMetrics().horizontalAdvance(QStringLiteral("100%")) + 4);
    m_percent->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    barRow->addWidget(m_bar, 1);
    barRow->addWidget(m_percent);
    layout->addLayout(barRow);
    m_hint = styledLabel(hintFor(QString()), "hint", this);
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("logText"));
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    // Sized to the whole tail in showOutcome(); QPlainTextEdit would still offer to scroll by
    // a line, which reads as "there is more".
    m_log->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(m_log);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_controller->cancel();
        if (m_controller->state() == GuestImageController::State::Building) {
            // Stopping lets the build's cleanup finish first, which can take a few seconds.
            m_cancel->setEnabled(false);
            m_step->setText(QStringLiteral("Stopping the build and removing its work files…"));
        }
    });
    connect(m_retry, &QPushButton::clicked, m_controller, &GuestImageController::rebuild);
    connect(m_dismiss, &QPushButton::clicked, this, &GuestImageBanner::dismiss);
    connect(m_controller, &GuestImageController::stateChanged, this, &GuestImageBanner::stateChanged);
    connect(m_controller, &GuestImageController::progress, this, &GuestImageBanner::showProgress);

    hide();
    if (m_controller->isBusy())
        stateChanged(m_controller->state());
}

void GuestImageBanner::setActive(bool active)
{
    m_active = active;
    if (!active)
        hide();
    else if (m_controller->isBusy())
        stateChanged(m_controller->state());
}

void GuestImageBanner::dismiss()
{
    m_following = false;
    hide();
}

QString GuestImageBanner::title() const
{
    return m_title->text();
}

QString GuestImageBanner::stepText() const
{
    return m_step->text();
}

QString GuestImageBanner::log() const
{
    return m_log->isHidden() ? QString() : m_log->toPlainText();
}

void GuestImageBanner::stateChanged(GuestImageController::State state)
{
    using State = GuestImageController::State;
    if (state == State::Building || state == State::Probing) {
        m_following = true;
        setProperty("kind", QStringLiteral("running"));
        const bool probing = state == State::Probing;
        m_title->setText(probing ? QStringLiteral("Checking the microvm sandbox")
                                 : QStringLiteral("Building the microVM guest image"));
        m_cancel->setVisible(!probing);
        m_cancel->setEnabled(!m_controller->builder()->wasCancelled() || !m_controller->builder()->isRunning());
        m_retry->hide();
        m_dismiss->hide();
        m_bar->show();
        m_step->show();
        m_percent->setVisible(!probing);
        m_hint->setText(hintFor(m_controller->cacheDir()));
        m_hint->show();
        m_log->hide();
        if (probing) {
            m_bar->setRange(0, 0); // the engine's probe says nothing until it is done
            m_step->setText(QStringLiteral("Starting a test microVM with the new image…"));
        } else {
            m_bar->setRange(0, 100);
            showProgress(m_controller->percent(), m_controller->step());
        }
        repolish(this);
        setVisible(m_active && m_controller->isNoticeable());
        return;
    }
    if (!m_following || state == State::Idle) {
        hide();
        return;
    }
    if (state == State::Ready) {
        const std::optional<engine::Availability> microvm = m_controller->microvm();
        if (microvm && !microvm->available) {
            showOutcome(QStringLiteral("error"),
                        QStringLiteral("The guest image is ready, but the microvm sandbox does not work here"),
                        QStringLiteral("Functions can use the process or gvisor sandbox instead."),
                        QString::fromStdString(microvm->detail));
        } else if (m_controller->isNoticeable()) {
            showOutcome(QStringLiteral("success"), QStringLiteral("The microVM guest image is ready"),
                        microvm ? QStringLiteral("microvm sandbox: %1").arg(QString::fromStdString(microvm->detail))
                                : QString(),
                        QString());
        } else {
            hide(); // a quick refresh: nothing changed, nothing to say
        }
        return;
    }
    if (state == State::Cancelled) {
        showOutcome(QStringLiteral("error"), QStringLiteral("Building the microVM guest image was cancelled"),
                    QStringLiteral("Nothing new was recorded. Choose Retry to start again."), QString());
        return;
    }
    showOutcome(QStringLiteral("error"), QStringLiteral("Building the microVM guest image failed"),
                QStringLiteral("The microvm sandbox needs this image. The last lines of the build's output:"),
                m_controller->errorText());
}

void GuestImageBanner::showProgress(int percent, const QString &step)
{
    if (!m_cancel->isEnabled())
        return; // stopping: keep saying so
    m_bar->setValue(percent);
    m_percent->setText(QStringLiteral("%1%").arg(percent));
    m_step->setText(step.isEmpty() ? QString() : step.at(0).toUpper() + step.mid(1) + QStringLiteral("…"));
}

void GuestImageBanner::showOutcome(const QString &kind, const QString &title, const QString &text, const QString &log)
{
    setProperty("kind", kind);
    m_title->setText(title);
    m_step->setText(text);
    m_step->setVisible(!text.isEmpty());
    m_percent->hide();
    m_bar->hide();
    m_hint->hide();
    m_cancel->hide();
    m_retry->setVisible(kind == QLatin1String("error") && m_controller->state() != GuestImageController::State::Ready);
    m_dismiss->show();
    m_log->setPlainText(log);
    m_log->setVisible(!log.isEmpty());
    // As tall as the output (at most GuestImageBuilder::kTailLines and a heading), plus room for
    // a horizontal scroll bar when a compiler line is wide.
    m_log->ensurePolished(); // the monospace font comes from the stylesheet
    const int lines = std::clamp(int(m_log->document()->blockCount()) + 1, 3, 18);
    m_log->setFixedHeight(lines * m_log->fontMetrics().lineSpacing() + 2 * int(m_log->document()->documentMargin()) + 20);
    repolish(this);
    for (QWidget *child : findChildren<QWidget *>())
        repolish(child);
    setVisible(m_active);
}

} // namespace lambdesk::app
