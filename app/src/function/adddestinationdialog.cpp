#include "function/adddestinationdialog.h"

#include "errortext.h"
#include "widgets/ui.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>
#include <QVBoxLayout>

namespace lambdesk::app {

AddDestinationDialog::AddDestinationDialog(SharedFunction function, QWidget *parent)
    : QDialog(parent), m_controller(std::move(function))
{
    setWindowTitle(QStringLiteral("Add destination"));
    setMinimumWidth(560);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(12);
    layout->addWidget(styledLabel(QStringLiteral("Add destination"), "panelTitle", this));
    layout->addWidget(hintLabel(QStringLiteral("Destination configuration"), this));

    auto *source = new QLabel(QStringLiteral("Asynchronous invocation"), this);
    layout->addWidget(fieldRow(QStringLiteral("Source"), source, this));
    layout->addWidget(hintLabel(
        QStringLiteral("Records of invocations made with InvocationType Event, by a client or by "
                       "a trigger (schedule, folder)."),
        this));

    auto *conditions = new QWidget(this);
    auto *conditionRow = new QHBoxLayout(conditions);
    conditionRow->setContentsMargins(0, 0, 0, 0);
    m_onFailure = new QRadioButton(QStringLiteral("On failure"), conditions);
    m_onSuccess = new QRadioButton(QStringLiteral("On success"), conditions);
    auto *group = new QButtonGroup(this);
    group->addButton(m_onFailure);
    group->addButton(m_onSuccess);
    m_onFailure->setChecked(true);
    conditionRow->addWidget(m_onFailure);
    conditionRow->addWidget(m_onSuccess);
    conditionRow->addStretch();
    layout->addWidget(fieldRow(QStringLiteral("Condition"), conditions, this));

    m_type = new QComboBox(this);
    m_type->addItems({QStringLiteral("Lambda function"), QStringLiteral("SQS queue")});
    m_type->setMinimumWidth(320);
    layout->addWidget(fieldRow(QStringLiteral("Destination type"), m_type, this));
    m_destination = new QComboBox(this);
    m_destination->setObjectName(QStringLiteral("destination"));
    m_destination->setMinimumWidth(420);
    layout->addWidget(fieldRow(QStringLiteral("Destination"), m_destination, this));
    layout->addWidget(hintLabel(
        QStringLiteral("The record carries the request and the function's response, as Lambda "
                       "sends it: a function is invoked with it asynchronously, a queue receives "
                       "it as a message."),
        this));

    m_error = inlineErrorLabel(this);
    layout->addWidget(m_error);
    const FormButtons buttons = formButtons(QStringLiteral("Save"), this);
    m_save = buttons.confirm;
    m_save->setDefault(true);
    m_save->setEnabled(false); // until the destinations are known
    layout->addLayout(buttons.row);
    connect(buttons.cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &AddDestinationDialog::save);
    connect(m_type, &QComboBox::currentIndexChanged, this, &AddDestinationDialog::fillDestinations);

    m_controller->destinationTargets(
        this, [this](engine::Result<FunctionController::DestinationTargets> targets) {
            m_loaded = true;
            if (!targets) {
                m_error->setText(QStringLiteral("Loading functions and queues failed: %1")
                                     .arg(engineErrorText(targets.error())));
                m_error->show();
                return;
            }
            m_targets = std::move(*targets);
            fillDestinations();
        });
}

void AddDestinationDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    // The wrapped hints know the lines they need only once laid out at the dialog's width.
    QTimer::singleShot(0, this, [this] { adjustSize(); });
}

void AddDestinationDialog::fillDestinations()
{
    m_destination->clear();
    const auto &choices =
        m_type->currentIndex() == Function ? m_targets.functions : m_targets.queues;
    for (const auto &[name, arn] : choices)
        m_destination->addItem(QString::fromStdString(name), QString::fromStdString(arn));
    m_destination->setPlaceholderText(m_type->currentIndex() == Function
                                          ? QStringLiteral("No other function yet")
                                          : QStringLiteral("No queue yet"));
    // With a placeholder, a combo box selects nothing by itself.
    m_destination->setCurrentIndex(choices.empty() ? -1 : 0);
    m_save->setEnabled(m_loaded && !choices.empty());
}

void AddDestinationDialog::save()
{
    const QString arn = m_destination->currentData().toString();
    if (arn.isEmpty())
        return;
    const bool onSuccess = m_onSuccess->isChecked();
    m_save->setEnabled(false);
    m_controller->setDestination(
        this, onSuccess, arn.toStdString(),
        [this, onSuccess](const engine::Result<engine::EventInvokeConfig> &result) {
            m_save->setEnabled(true);
            if (!result) {
                m_error->setText(engineErrorText(result.error()));
                m_error->show();
                return;
            }
            emit added(
                QStringLiteral("The %1 destination %2 was added.")
                    .arg(onSuccess ? QStringLiteral("on success") : QStringLiteral("on failure"),
                         m_destination->currentText()));
            accept();
        });
}

QString AddDestinationDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
