#include "function/executionresult.h"

#include "format.h"
#include "jsontext.h"
#include "widgets/ui.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextDocument>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

const QStringList kSummaryLabels{
    QStringLiteral("Code SHA-256"), QStringLiteral("Request ID"),     QStringLiteral("Init duration"),
    QStringLiteral("Duration"),     QStringLiteral("Billed duration"), QStringLiteral("Resources configured"),
    QStringLiteral("Max memory used")};
constexpr int kInitDurationLabel = 2; // "Restore duration" after a SnapStart restore

QPlainTextEdit *monospaceBox(QWidget *parent)
{
    auto *box = new QPlainTextEdit(parent);
    box->setObjectName(QStringLiteral("logText"));
    box->setReadOnly(true);
    box->setLineWrapMode(QPlainTextEdit::NoWrap);
    return box;
}

// REPORT lines separate their fields with tabs; a tab that ends exactly on a tab stop has no
// width and glues two fields together, so show tabs as two spaces, as the web console does.
QString logForDisplay(QString log)
{
    return log.replace(QLatin1Char('\t'), QStringLiteral("  "));
}

// Sizes a read-only text box to its content, within bounds, so short responses stay compact and
// long logs scroll.
void fitToText(QPlainTextEdit *box, int minLines, int maxLines)
{
    const int lines = std::clamp(int(box->document()->blockCount()) + 1, minLines, maxLines);
    const int height = lines * box->fontMetrics().lineSpacing() + 2 * int(box->document()->documentMargin()) + 8 +
                       (box->horizontalScrollBar()->isVisible() ? box->horizontalScrollBar()->height() : 14);
    box->setFixedHeight(height);
}

} // namespace

ExecutionResult::ExecutionResult(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("resultBox"));
    setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 12, 18, 14);
    layout->setSpacing(8);
    auto *titleRow = new QHBoxLayout;
    m_title = styledLabel(QString(), "resultTitle", this);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setFixedWidth(140);
    m_progress->setTextVisible(false);
    titleRow->addWidget(m_title);
    titleRow->addStretch();
    titleRow->addWidget(m_progress);
    layout->addLayout(titleRow);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);

    m_toggle = new QToolButton(this);
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    m_toggle->setStyleSheet(QStringLiteral("QToolButton { border: none; font-weight: bold; color: #16191f; background: transparent; }"));
    layout->addWidget(m_toggle, 0, Qt::AlignLeft);

    m_details = new QWidget(this);
    auto *details = new QVBoxLayout(m_details);
    details->setContentsMargins(18, 0, 0, 0);
    details->setSpacing(6);
    details->addWidget(styledLabel(QStringLiteral("The area below shows the last 4 KB of the execution log."), "hint", m_details));
    m_response = monospaceBox(m_details);
    details->addWidget(m_response);
    details->addWidget(styledLabel(QStringLiteral("Summary"), "sectionHeading", m_details));
    auto *summaryBox = new QWidget(m_details);
    m_summary = new QGridLayout(summaryBox);
    m_summary->setContentsMargins(0, 0, 0, 0);
    m_summary->setHorizontalSpacing(40);
    m_summary->setVerticalSpacing(10);
    for (int i = 0; i < kSummaryLabels.size(); ++i) {
        auto *cell = new QVBoxLayout;
        cell->setSpacing(1);
        QLabel *title = styledLabel(kSummaryLabels[i], "fieldLabel", summaryBox);
        if (i == kInitDurationLabel)
            m_initDurationTitle = title;
        cell->addWidget(title);
        auto *value = new QLabel(QStringLiteral("-"), summaryBox);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setObjectName(QStringLiteral("summaryValue"));
        value->setProperty("summaryLabel", kSummaryLabels[i]);
        cell->addWidget(value);
        m_summary->addLayout(cell, i / 2, i % 2);
    }
    m_summary->setColumnStretch(0, 1);
    m_summary->setColumnStretch(1, 1);
    details->addWidget(summaryBox);
    details->addWidget(styledLabel(QStringLiteral("Log output"), "sectionHeading", m_details));
    m_log = monospaceBox(m_details);
    details->addWidget(m_log);
    layout->addWidget(m_details);

    connect(m_toggle, &QToolButton::toggled, this, &ExecutionResult::setDetailsVisible);
    setDetailsVisible(true);
    hide();
}

void ExecutionResult::setDetailsVisible(bool visible)
{
    m_toggle->setChecked(visible);
    m_toggle->setText(visible ? QStringLiteral("▾ Details") : QStringLiteral("▸ Details"));
    m_details->setVisible(visible && !m_toggle->isHidden());
}

void ExecutionResult::setKind(const char *kind)
{
    setProperty("kind", QLatin1String(kind));
    repolish(this);
}

void ExecutionResult::showRunning(const QString &eventName)
{
    setKind("running");
    m_succeeded = false;
    m_title->setText(eventName.isEmpty() ? QStringLiteral("Executing function...")
                                         : QStringLiteral("Executing function with event %1...").arg(eventName));
    m_progress->show();
    m_message->hide();
    m_toggle->hide();
    m_details->hide();
    show();
}

void ExecutionResult::showResult(const engine::InvokeResult &result, const QString &codeSha256)
{
    const engine::InvocationRecord &record = result.record;
    m_succeeded = !result.functionError.has_value();
    setKind(m_succeeded ? "success" : "error");
    m_title->setText(m_succeeded ? QStringLiteral("✓  Executing function: succeeded (logs)")
                                 : QStringLiteral("⊗  Executing function: failed (logs)"));
    m_progress->hide();
    m_message->hide();
    m_toggle->show();
    m_response->setPlainText(prettyJson(QString::fromStdString(result.payload)));
    fitToText(m_response, 2, 16);

    m_initDurationTitle->setText(record.restored ? QStringLiteral("Restore duration") : kSummaryLabels[kInitDurationLabel]);
    const QStringList values{
        codeSha256,
        QString::fromStdString(record.requestId),
        record.initDurationMs > 0 ? milliseconds(record.initDurationMs) : QStringLiteral("-"),
        milliseconds(record.durationMs),
        QStringLiteral("%1 ms").arg(record.billedDurationMs),
        megabytes(record.memorySizeMb),
        megabytes(record.maxMemoryUsedMb)};
    for (QLabel *label : findChildren<QLabel *>(QStringLiteral("summaryValue"))) {
        const int i = int(kSummaryLabels.indexOf(label->property("summaryLabel").toString()));
        if (i >= 0)
            label->setText(values[i]);
    }
    const std::string &log = record.log.empty() ? result.logTail : record.log;
    m_log->setPlainText(logForDisplay(QString::fromStdString(log)));
    fitToText(m_log, 4, 20);
    setDetailsVisible(m_toggle->isChecked());
    show();
}

void ExecutionResult::showError(const QString &message)
{
    m_succeeded = false;
    setKind("error");
    m_title->setText(QStringLiteral("⊗  Executing function: failed"));
    m_progress->hide();
    m_message->setText(message);
    m_message->show();
    m_toggle->hide();
    m_details->hide();
    show();
}

QString ExecutionResult::title() const
{
    return m_title->text();
}

QString ExecutionResult::response() const
{
    return m_response->toPlainText();
}

QString ExecutionResult::logOutput() const
{
    return m_log->toPlainText();
}

QString ExecutionResult::summaryValue(const QString &label) const
{
    for (QLabel *value : findChildren<QLabel *>(QStringLiteral("summaryValue"))) {
        if (value->property("summaryLabel").toString() == label)
            return value->text();
    }
    return {};
}

} // namespace lambdesk::app
