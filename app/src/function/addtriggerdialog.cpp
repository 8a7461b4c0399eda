#include "function/addtriggerdialog.h"

#include "errortext.h"
#include "widgets/ui.h"

#include "lambdesk/engine/schedule.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace lambdesk::app {

namespace {

constexpr std::size_t kPreviewCount = 5;

QString utc(std::int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC)
        .toString(QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'UTC'"));
}

} // namespace

AddTriggerDialog::AddTriggerDialog(SharedFunction function, QWidget *parent)
    : QDialog(parent), m_controller(std::move(function))
{
    setWindowTitle(QStringLiteral("Add trigger"));
    setMinimumWidth(600);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(12);
    layout->addWidget(styledLabel(QStringLiteral("Add trigger"), "panelTitle", this));
    layout->addWidget(hintLabel(QStringLiteral("Trigger configuration"), this));
    m_source = new QComboBox(this);
    m_source->setMinimumWidth(360);
    m_source->addItems(
        {QStringLiteral("EventBridge (CloudWatch Events)"), QStringLiteral("Function URL")});
    layout->addWidget(fieldRow(QStringLiteral("Select a source"), m_source, this));

    m_forms = new QStackedWidget(this);
    auto *schedule = new QWidget(m_forms);
    auto *scheduleLayout = new QVBoxLayout(schedule);
    scheduleLayout->setContentsMargins(0, 0, 0, 0);
    scheduleLayout->setSpacing(10);
    scheduleLayout->addWidget(hintLabel(
        QStringLiteral("Create a new rule: it invokes this function on a schedule, with the "
                       "\"Scheduled Event\" EventBridge sends. The function's resource-based "
                       "policy is given the permission the rule needs."),
        schedule));
    m_ruleName = new QLineEdit(schedule);
    m_ruleName->setObjectName(QStringLiteral("ruleName"));
    m_ruleName->setPlaceholderText(QStringLiteral("Enter a name for your rule"));
    scheduleLayout->addWidget(fieldRow(QStringLiteral("Rule name"), m_ruleName, schedule));
    m_description = new QLineEdit(schedule);
    scheduleLayout->addWidget(
        fieldRow(QStringLiteral("Rule description"), m_description, schedule));
    m_expression = new QLineEdit(schedule);
    m_expression->setObjectName(QStringLiteral("scheduleExpression"));
    m_expression->setPlaceholderText(
        QStringLiteral("e.g. rate(1 day) or cron(0 17 ? * MON-FRI *)"));
    for (QLineEdit *field : {m_ruleName, m_description, m_expression})
        field->setMinimumWidth(520);
    scheduleLayout->addWidget(
        fieldRow(QStringLiteral("Schedule expression"), m_expression, schedule));
    m_nextFires = new QLabel(schedule);
    m_nextFires->setObjectName(QStringLiteral("nextFires"));
    m_nextFires->setTextFormat(Qt::PlainText);
    m_nextFires->setWordWrap(true);
    scheduleLayout->addWidget(m_nextFires);
    m_forms->addWidget(schedule);

    auto *url = new QWidget(m_forms);
    auto *urlLayout = new QVBoxLayout(url);
    urlLayout->setContentsMargins(0, 0, 0, 0);
    urlLayout->addWidget(hintLabel(
        QStringLiteral("A function URL is an HTTPS endpoint for the function, served locally on "
                       "its own port. Add opens Configuration → Function URL to create it."),
        url));
    urlLayout->addStretch();
    m_forms->addWidget(url);
    layout->addWidget(m_forms);

    m_error = inlineErrorLabel(this);
    layout->addWidget(m_error);
    const FormButtons buttons = formButtons(QStringLiteral("Add"), this);
    m_add = buttons.confirm;
    m_add->setDefault(true); // Enter adds; the Cancel link must not take it
    layout->addLayout(buttons.row);
    connect(buttons.cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, &AddTriggerDialog::add);
    connect(m_source, &QComboBox::currentIndexChanged, m_forms, &QStackedWidget::setCurrentIndex);
    connect(m_expression, &QLineEdit::textChanged, this, &AddTriggerDialog::updatePreview);
    updatePreview();
}

void AddTriggerDialog::updatePreview()
{
    const std::string expression = m_expression->text().trimmed().toStdString();
    if (expression.empty()) {
        m_nextFires->setText(
            QStringLiteral("The next %1 times it fires appear here.").arg(kPreviewCount));
        setInvalid(m_expression, false);
        return;
    }
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    const auto fires = engine::nextScheduleFires(expression, now, now, kPreviewCount);
    setInvalid(m_expression, !fires);
    // The engine's refusal reads in red, as a form's error does.
    m_nextFires->setObjectName(fires ? QStringLiteral("nextFires") : QStringLiteral("inlineError"));
    repolish(m_nextFires);
    if (!fires) {
        m_nextFires->setText(QString::fromStdString(fires.error().message));
        adjustSize();
        return;
    }
    QStringList lines{QStringLiteral("Next %1 trigger dates").arg(kPreviewCount)};
    for (const std::int64_t fire : *fires)
        lines.append(utc(fire));
    if (fires->empty())
        lines.append(QStringLiteral("None: the expression's years are over."));
    m_nextFires->setText(lines.join(QLatin1Char('\n')));
    adjustSize(); // five lines where one was: the dialog grows rather than squeezing its form
}

void AddTriggerDialog::add()
{
    m_error->hide();
    if (m_source->currentIndex() == FunctionUrl) {
        emit functionUrlRequested();
        accept();
        return;
    }
    engine::ScheduleRuleInput rule;
    rule.name = m_ruleName->text().trimmed().toStdString();
    rule.description = m_description->text().toStdString();
    rule.scheduleExpression = m_expression->text().trimmed().toStdString();
    m_add->setEnabled(false);
    m_controller->addScheduleTrigger(
        this, rule, [this](engine::Result<engine::ScheduleTrigger> trigger) {
            m_add->setEnabled(true);
            if (!trigger) {
                m_error->setText(QStringLiteral("Adding the trigger failed: %1")
                                     .arg(engineErrorText(trigger.error())));
                m_error->show();
                adjustSize();
                return;
            }
            emit added(QStringLiteral("The trigger %1 was successfully added to function %2. The "
                                      "function is now receiving events from the trigger.")
                           .arg(QString::fromStdString(trigger->rule.name),
                                QString::fromStdString(m_controller->name())));
            accept();
        });
}

QString AddTriggerDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
