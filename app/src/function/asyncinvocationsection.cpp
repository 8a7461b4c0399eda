#include "function/asyncinvocationsection.h"

#include "errortext.h"
#include "widgets/ui.h"

#include "lambdesk/engine/asyncinvoke.h"

#include <QComboBox>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lambdesk::app {

namespace {

// "6h 0min 0sec", as the console writes the maximum age.
QString ageText(int seconds)
{
    return QStringLiteral("%1h %2min %3sec")
        .arg(seconds / 3600)
        .arg(seconds % 3600 / 60)
        .arg(seconds % 60);
}

QString queueName(const std::string &arn)
{
    return QString::fromStdString(arn).section(QLatin1Char(':'), -1);
}

QLabel *valueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

AsyncInvocationSection::AsyncInvocationSection(SharedFunction function, QWidget *parent)
    : ConfigSection(std::move(function), QStringLiteral("Asynchronous invocation"), parent)
{
    m_ageView = valueLabel(this);
    m_retriesView = valueLabel(this);
    m_deadLetterView = valueLabel(this);
    viewLayout()->addWidget(fieldRow(QStringLiteral("Maximum age of event"), m_ageView, this));
    viewLayout()->addWidget(fieldRow(QStringLiteral("Retry attempts"), m_retriesView, this));
    viewLayout()->addWidget(fieldRow(QStringLiteral("Dead-letter queue"), m_deadLetterView, this));

    m_age = new QSpinBox(this);
    m_age->setObjectName(QStringLiteral("maximumEventAge"));
    m_age->setRange(engine::kMinEventAgeSeconds, engine::kMaxEventAgeSeconds);
    m_age->setSuffix(QStringLiteral(" sec"));
    m_age->setMinimumWidth(160);
    formLayout()->addWidget(fieldRow(QStringLiteral("Maximum age of event"), m_age, this));
    formLayout()->addWidget(hintLabel(
        QStringLiteral("How long an event may wait to be processed: 1 minute to 6 hours."), this));
    m_retries = new QSpinBox(this);
    m_retries->setObjectName(QStringLiteral("retryAttempts"));
    m_retries->setRange(engine::kMinRetryAttempts, engine::kMaxRetryAttempts);
    m_retries->setMinimumWidth(160);
    formLayout()->addWidget(fieldRow(QStringLiteral("Retry attempts"), m_retries, this));
    formLayout()->addWidget(hintLabel(
        QStringLiteral("Times to retry when the function returns an error: 0 to 2. Lambda waits "
                       "1 minute before the first retry and 2 before the second."),
        this));
    m_deadLetter = new QComboBox(this);
    m_deadLetter->setObjectName(QStringLiteral("deadLetterQueue"));
    m_deadLetter->setMinimumWidth(320);
    formLayout()->addWidget(fieldRow(QStringLiteral("Dead-letter queue"), m_deadLetter, this));
    formLayout()->addWidget(hintLabel(
        QStringLiteral("A queue that receives the events the function failed to process, with "
                       "the error in the message's attributes."),
        this));
}

void AsyncInvocationSection::showValues(const engine::FunctionInfo &info)
{
    m_deadLetterArn = info.config.deadLetterTargetArn;
    showSettings();
    m_controller->eventInvokeConfig(
        this, [this](engine::Result<std::optional<engine::EventInvokeConfig>> config) {
            m_loaded = true;
            if (!config) {
                showError(QStringLiteral("Loading the asynchronous invocation settings failed: %1")
                              .arg(engineErrorText(config.error())));
                return;
            }
            m_config = std::move(*config);
            showSettings();
        });
}

void AsyncInvocationSection::showSettings()
{
    const int age = m_config && m_config->maximumEventAgeInSeconds
                        ? *m_config->maximumEventAgeInSeconds
                        : engine::kDefaultEventAgeSeconds;
    const int retries = m_config && m_config->maximumRetryAttempts ? *m_config->maximumRetryAttempts
                                                                   : engine::kDefaultRetryAttempts;
    m_ageView->setText(ageText(age));
    m_retriesView->setText(QString::number(retries));
    m_deadLetterView->setText(m_deadLetterArn.empty() ? QStringLiteral("None")
                                                      : queueName(m_deadLetterArn));
    m_deadLetterView->setToolTip(QString::fromStdString(m_deadLetterArn));
}

QString AsyncInvocationSection::shownValues() const
{
    return QStringList{m_ageView->text(), m_retriesView->text(), m_deadLetterView->text()}.join(
        QLatin1Char('\n'));
}

void AsyncInvocationSection::fillForm(const engine::FunctionInfo &info)
{
    m_age->setValue(m_config && m_config->maximumEventAgeInSeconds
                        ? *m_config->maximumEventAgeInSeconds
                        : engine::kDefaultEventAgeSeconds);
    m_retries->setValue(m_config && m_config->maximumRetryAttempts ? *m_config->maximumRetryAttempts
                                                                   : engine::kDefaultRetryAttempts);
    m_deadLetter->clear();
    m_deadLetter->addItem(QStringLiteral("None"), QString());
    const std::string current = info.config.deadLetterTargetArn;
    if (!current.empty())
        m_deadLetter->addItem(queueName(current), QString::fromStdString(current));
    m_deadLetter->setCurrentIndex(m_deadLetter->count() - 1);
    m_controller->destinationTargets(
        this, [this, current](engine::Result<FunctionController::DestinationTargets> targets) {
            if (!targets)
                return; // the queue that is set stays offered; None too
            for (const auto &[name, arn] : targets->queues)
                if (arn != current)
                    m_deadLetter->addItem(QString::fromStdString(name),
                                          QString::fromStdString(arn));
        });
}

bool AsyncInvocationSection::startSave(const engine::FunctionInfo &)
{
    m_controller->saveAsyncInvocation(
        this, m_retries->value(), m_age->value(),
        m_deadLetter->currentData().toString().toStdString(),
        [this](const engine::Result<engine::FunctionInfo> &result) { finishSave(result); });
    return true;
}

} // namespace lambdesk::app
