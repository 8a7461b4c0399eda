#include "function/addtriggerdialog.h"

#include "errortext.h"
#include "widgets/ui.h"

#include "lambdesk/engine/eventsourcemapping.h"
#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/schedule.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
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
    m_source->addItems({QStringLiteral("EventBridge (CloudWatch Events)"),
                        QStringLiteral("S3 (local folder)"), QStringLiteral("SQS (local queue)"),
                        QStringLiteral("Function URL")});
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
    m_forms->addWidget(buildFolderForm());
    m_forms->addWidget(buildQueueForm());

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
    connect(m_source, &QComboBox::currentIndexChanged, this, &AddTriggerDialog::fitToSource);
    connect(m_expression, &QLineEdit::textChanged, this, &AddTriggerDialog::updatePreview);
    updatePreview();
    fitToSource();
}

// A stack is as large as its largest page; the dialog should fit the form on show.
void AddTriggerDialog::fitToSource()
{
    m_error->hide();
    for (int page = 0; page < m_forms->count(); ++page)
        m_forms->widget(page)->setSizePolicy(
            page == m_forms->currentIndex() ? QSizePolicy::Preferred : QSizePolicy::Ignored,
            page == m_forms->currentIndex() ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_forms->adjustSize();
    adjustSize();
}

QWidget *AddTriggerDialog::buildFolderForm()
{
    auto *form = new QWidget(m_forms);
    auto *layout = new QVBoxLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    layout->addWidget(hintLabel(
        QStringLiteral("A local folder stands for the bucket, named after it. Files written or "
                       "deleted in it (and its subfolders) invoke this function with the event S3 "
                       "sends; the key is the path inside the folder."),
        form));
    auto *pick = new QWidget(form);
    auto *pickRow = new QHBoxLayout(pick);
    pickRow->setContentsMargins(0, 0, 0, 0);
    m_folder = new QLineEdit(pick);
    m_folder->setObjectName(QStringLiteral("folder"));
    m_folder->setPlaceholderText(QStringLiteral("/home/you/orders-inbox"));
    m_folder->setMinimumWidth(420);
    auto *browse = secondaryButton(QStringLiteral("Browse…"), pick);
    pickRow->addWidget(m_folder, 1);
    pickRow->addWidget(browse);
    layout->addWidget(fieldRow(QStringLiteral("Folder (bucket)"), pick, form));
    m_bucket = new QLabel(form);
    m_bucket->setObjectName(QStringLiteral("bucket"));
    m_bucket->setWordWrap(true);
    layout->addWidget(m_bucket);
    m_events = new QComboBox(form);
    m_events->addItems({QStringLiteral("All object create events"),
                        QStringLiteral("All object delete events"),
                        QStringLiteral("All object create and delete events")});
    layout->addWidget(fieldRow(QStringLiteral("Event types"), m_events, form));
    m_prefix = new QLineEdit(form);
    m_prefix->setPlaceholderText(QStringLiteral("e.g. images/"));
    m_suffix = new QLineEdit(form);
    m_suffix->setPlaceholderText(QStringLiteral("e.g. .jpg"));
    for (QLineEdit *field : {m_prefix, m_suffix})
        field->setMinimumWidth(520);
    layout->addWidget(fieldRow(QStringLiteral("Prefix - optional"), m_prefix, form));
    layout->addWidget(fieldRow(QStringLiteral("Suffix - optional"), m_suffix, form));
    layout->addWidget(styledLabel(QStringLiteral("Recursive invocation"), "fieldLabel", form));
    layout->addWidget(hintLabel(
        QStringLiteral("If the function writes into the folder it is triggered by, each write "
                       "invokes it again. Using the same folder for input and output is not "
                       "recommended: it can cause recursive invocations and increased Lambda "
                       "usage."),
        form));
    // A checkbox does not wrap its text: the warning above, a short acknowledgement here.
    m_acknowledge =
        new QCheckBox(QStringLiteral("I acknowledge the risk of recursive invocations."), form);
    m_acknowledge->setObjectName(QStringLiteral("acknowledgeRecursion"));
    layout->addWidget(m_acknowledge);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen =
            QFileDialog::getExistingDirectory(this, QStringLiteral("Folder"), m_folder->text());
        if (!chosen.isEmpty())
            m_folder->setText(chosen);
    });
    connect(m_folder, &QLineEdit::textChanged, this, &AddTriggerDialog::updateBucket);
    updateBucket();
    return form;
}

void AddTriggerDialog::updateBucket()
{
    const QString folder = m_folder->text().trimmed();
    if (folder.isEmpty()) {
        m_bucket->setText(QStringLiteral("The bucket is named after the folder."));
        return;
    }
    const auto bucket = engine::folderBucketName(folder.toStdString());
    m_bucket->setText(
        bucket ? QStringLiteral("Bucket: %1 (arn:aws:s3:::%1)").arg(QString::fromStdString(*bucket))
               : QString::fromStdString(bucket.error().message));
    setInvalid(m_folder, !bucket);
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
    if (m_source->currentIndex() == Folder)
        return addFolder();
    if (m_source->currentIndex() == Queue)
        return addQueue();
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

void AddTriggerDialog::addFolder()
{
    const auto fail = [this](const QString &message) {
        m_error->setText(message);
        m_error->show();
        adjustSize();
    };
    if (!m_acknowledge->isChecked())
        return fail(
            QStringLiteral("Acknowledge the recursive invocation warning to add the trigger."));
    engine::FolderTriggerInput input;
    input.folder = m_folder->text().trimmed().toStdString();
    const int events = m_events->currentIndex();
    if (events != 1)
        input.events.emplace_back(engine::kS3ObjectCreatedAll);
    if (events != 0)
        input.events.emplace_back(engine::kS3ObjectRemovedAll);
    input.prefix = m_prefix->text().toStdString();
    input.suffix = m_suffix->text().toStdString();
    m_add->setEnabled(false);
    m_controller->addFolderTrigger(
        this, input, [this, fail](const engine::Result<engine::FolderTrigger> &trigger) {
            m_add->setEnabled(true);
            if (!trigger)
                return fail(QStringLiteral("Adding the trigger failed: %1")
                                .arg(engineErrorText(trigger.error())));
            emit added(QStringLiteral("The trigger %1 was successfully added to function %2. The "
                                      "function is now receiving events from the trigger.")
                           .arg(QString::fromStdString(trigger->bucket),
                                QString::fromStdString(m_controller->name())));
            accept();
        });
}

QWidget *AddTriggerDialog::buildQueueForm()
{
    auto *form = new QWidget(m_forms);
    auto *layout = new QVBoxLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    layout->addWidget(hintLabel(
        QStringLiteral("Lambda polls the queue and invokes this function with batches of "
                       "messages, the event SQS sends. Messages the function handles are "
                       "deleted; a failed batch returns to the queue after its visibility "
                       "timeout."),
        form));
    m_queue = new QComboBox(form);
    m_queue->setObjectName(QStringLiteral("queue"));
    m_queue->setMinimumWidth(420);
    layout->addWidget(fieldRow(QStringLiteral("SQS queue"), m_queue, form));
    m_queueHint = hintLabel(QStringLiteral("Loading the queues…"), form);
    layout->addWidget(m_queueHint);
    m_activate = new QCheckBox(QStringLiteral("Activate trigger"), form);
    m_activate->setChecked(true);
    layout->addWidget(m_activate);
    m_batchSize = new QSpinBox(form);
    m_batchSize->setRange(1, engine::kMaxSqsBatchSize);
    m_batchSize->setValue(engine::kDefaultSqsBatchSize);
    layout->addWidget(fieldRow(QStringLiteral("Batch size"), m_batchSize, form));
    m_batchWindow = new QSpinBox(form);
    m_batchWindow->setRange(0, engine::kMaxBatchingWindowSeconds);
    m_batchWindow->setSuffix(QStringLiteral(" s"));
    layout->addWidget(fieldRow(QStringLiteral("Batch window - optional"), m_batchWindow, form));
    layout->addWidget(hintLabel(QStringLiteral("The maximum time to gather records before "
                                               "invoking the function. Batches over 10 "
                                               "messages need a window of at least 1 s."),
                                form));
    m_reportFailures = new QCheckBox(QStringLiteral("Report batch item failures"), form);
    layout->addWidget(m_reportFailures);
    m_controller->queueNames(this, [this](engine::Result<std::vector<std::string>> names) {
        m_queuesLoaded = true;
        if (!names) {
            m_queueHint->setText(engineErrorText(names.error()));
            return;
        }
        for (const std::string &name : *names)
            m_queue->addItem(QString::fromStdString(name));
        m_queueHint->setText(
            names->empty() ? QStringLiteral("No queues yet. Create one with aws sqs create-queue "
                                            "(or any SQS client) against the engine's API.")
                           : QStringLiteral("The engine's queues; aws sqs create-queue against "
                                            "its API adds more."));
    });
    return form;
}

void AddTriggerDialog::addQueue()
{
    const auto fail = [this](const QString &message) {
        m_error->setText(message);
        m_error->show();
        adjustSize();
    };
    if (m_queue->currentText().isEmpty())
        return fail(QStringLiteral("Choose a queue to add the trigger."));
    engine::EventSourceMappingInput input;
    input.enabled = m_activate->isChecked();
    input.batchSize = m_batchSize->value();
    input.maximumBatchingWindowSeconds = m_batchWindow->value();
    if (m_reportFailures->isChecked())
        input.functionResponseTypes = std::vector<std::string>{engine::kReportBatchItemFailures};
    m_add->setEnabled(false);
    m_controller->addQueueTrigger(
        this, m_queue->currentText().toStdString(), input,
        [this, fail](const engine::Result<engine::EventSourceMapping> &mapping) {
            m_add->setEnabled(true);
            if (!mapping)
                return fail(QStringLiteral("Adding the trigger failed: %1")
                                .arg(engineErrorText(mapping.error())));
            emit added(
                QStringLiteral("The trigger %1 was successfully added to function %2. The "
                               "function is now receiving events from the trigger.")
                    .arg(m_queue->currentText(), QString::fromStdString(m_controller->name())));
            accept();
        });
}

QString AddTriggerDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
