#include "function/triggerform.h"

#include "errortext.h"
#include "function/folderbucketfield.h"
#include "widgets/ui.h"

#include "lambdesk/engine/eventsourcemapping.h"
#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/schedule.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace lambdesk::app {

namespace {

constexpr std::size_t kPreviewCount = 5;
constexpr int kFieldWidth = 520;

QString utc(std::int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC)
        .toString(QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'UTC'"));
}

struct Page {
    QWidget *form;
    QVBoxLayout *layout;
};

// A source's page, opening with the hint that says what the trigger does.
Page newPage(QWidget *parent, const QString &hint)
{
    auto *form = new QWidget(parent);
    auto *layout = new QVBoxLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    layout->addWidget(hintLabel(hint, form));
    return {form, layout};
}

bool hasEvent(const std::vector<std::string> &events, const char *prefix)
{
    return std::any_of(events.begin(), events.end(),
                       [prefix](const std::string &event) { return event.rfind(prefix, 0) == 0; });
}

engine::Error formError(const QString &message)
{
    return engine::Error{engine::ErrorCode::InvalidParameter, message.toStdString()};
}

} // namespace

TriggerForm::TriggerForm(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("triggerSource"));
    m_source->setMinimumWidth(360);
    m_source->addItems({QStringLiteral("EventBridge (CloudWatch Events)"),
                        QStringLiteral("S3 (local folder)"), QStringLiteral("SQS (local queue)"),
                        QStringLiteral("Function URL")});
    layout->addWidget(fieldRow(QStringLiteral("Select a source"), m_source, this));

    // One page per source, only the chosen one shown: a hidden page takes no room, where a
    // stack would be as tall as its tallest page.
    m_pages = {buildScheduleForm(), buildFolderForm(), buildQueueForm(), buildUrlForm()};
    for (QWidget *page : m_pages)
        layout->addWidget(page);

    connect(m_source, &QComboBox::currentIndexChanged, this, &TriggerForm::fitToSource);
    updatePreview();
    fitToSource();
}

void TriggerForm::fitToSource()
{
    for (std::size_t page = 0; page < m_pages.size(); ++page)
        m_pages[page]->setVisible(int(page) == m_source->currentIndex());
    QTimer::singleShot(0, this, &TriggerForm::remeasure); // once the change is laid out
}

// Layouts keep what they measured with the page shown before until told otherwise.
void TriggerForm::remeasure()
{
    layout()->invalidate();
    updateGeometry();
    emit resized();
}

QWidget *TriggerForm::buildScheduleForm()
{
    const auto [form, layout] = newPage(
        this, QStringLiteral("Create a new rule: it invokes this function on a schedule, with the "
                             "\"Scheduled Event\" EventBridge sends. The function's resource-based "
                             "policy is given the permission the rule needs."));
    m_ruleName = new QLineEdit(form);
    m_ruleName->setObjectName(QStringLiteral("ruleName"));
    m_ruleName->setPlaceholderText(QStringLiteral("Enter a name for your rule"));
    layout->addWidget(fieldRow(QStringLiteral("Rule name"), m_ruleName, form));
    m_description = new QLineEdit(form);
    layout->addWidget(fieldRow(QStringLiteral("Rule description"), m_description, form));
    m_expression = new QLineEdit(form);
    m_expression->setObjectName(QStringLiteral("scheduleExpression"));
    m_expression->setPlaceholderText(
        QStringLiteral("e.g. rate(1 day) or cron(0 17 ? * MON-FRI *)"));
    for (QLineEdit *field : {m_ruleName, m_description, m_expression})
        field->setMinimumWidth(kFieldWidth);
    layout->addWidget(fieldRow(QStringLiteral("Schedule expression"), m_expression, form));
    m_nextFires = new QLabel(form);
    m_nextFires->setObjectName(QStringLiteral("nextFires"));
    m_nextFires->setTextFormat(Qt::PlainText);
    m_nextFires->setWordWrap(true);
    layout->addWidget(m_nextFires);
    connect(m_expression, &QLineEdit::textChanged, this, &TriggerForm::updatePreview);
    return form;
}

QWidget *TriggerForm::buildFolderForm()
{
    const auto [form, layout] = newPage(
        this,
        QStringLiteral("A local folder stands for the bucket, named after it. Files written or "
                       "deleted in it (and its subfolders) invoke this function with the event S3 "
                       "sends; the key is the path inside the folder."));
    m_folderField = new FolderBucketField(QStringLiteral("Folder (bucket)"),
                                          QStringLiteral("/home/you/orders-inbox"), form);
    m_folder = m_folderField->edit();
    m_folder->setObjectName(QStringLiteral("folder"));
    m_bucket = m_folderField->bucket();
    m_bucket->setObjectName(QStringLiteral("bucket"));
    layout->addWidget(m_folderField);
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
        field->setMinimumWidth(kFieldWidth);
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
    return form;
}

QWidget *TriggerForm::buildQueueForm()
{
    const auto [form, layout] = newPage(
        this, QStringLiteral("Lambda polls the queue and invokes this function with batches of "
                             "messages, the event SQS sends. Messages the function handles are "
                             "deleted; a failed batch returns to the queue after its visibility "
                             "timeout."));
    m_queue = new QComboBox(form);
    m_queue->setObjectName(QStringLiteral("queue"));
    m_queue->setEditable(true); // a name that is not a queue yet makes one
    m_queue->setInsertPolicy(QComboBox::NoInsert);
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
    return form;
}

QWidget *TriggerForm::buildUrlForm()
{
    const auto [form, layout] =
        newPage(this, QStringLiteral(
                          "A function URL is an HTTP endpoint for the function, served locally on "
                          "its own port. Configuration → Function URL edits it and its CORS "
                          "settings afterwards."));
    m_urlAuth = new QComboBox(form);
    m_urlAuth->setObjectName(QStringLiteral("urlAuthType"));
    m_urlAuth->addItem(QStringLiteral("NONE - anyone with the URL can call it"),
                       QString::fromLatin1(engine::kUrlAuthNone));
    m_urlAuth->addItem(QStringLiteral("AWS_IAM - only signed requests (SigV4)"),
                       QString::fromLatin1(engine::kUrlAuthIam));
    layout->addWidget(fieldRow(QStringLiteral("Auth type"), m_urlAuth, form));
    layout->addWidget(hintLabel(QStringLiteral("With NONE the function's resource-based policy "
                                               "is given lambda:InvokeFunctionUrl for everyone, "
                                               "as the console does."),
                                form));
    return form;
}

void TriggerForm::setQueueNames(const engine::Result<std::vector<std::string>> &names)
{
    m_queuesLoaded = true;
    if (!names) {
        m_queueHint->setText(engineErrorText(names.error()));
        return;
    }
    const QString typed = m_queue->currentText();
    m_queue->clear();
    for (const std::string &name : *names)
        m_queue->addItem(QString::fromStdString(name));
    m_queue->setCurrentText(typed.isEmpty() && m_queue->count() > 0 ? m_queue->itemText(0) : typed);
    m_queueHint->setText(
        names->empty()
            ? QStringLiteral("No queues yet: type a name and the queue is made with the trigger.")
            : QStringLiteral("The engine's queues. A name that is not one of them makes a new "
                             "queue with the trigger."));
}

void TriggerForm::suggest(const engine::TriggerRequest &request)
{
    const auto text = [](const std::string &value) { return QString::fromStdString(value); };
    switch (request.kind) {
    case engine::TriggerKind::None:
        return;
    case engine::TriggerKind::Schedule:
        m_ruleName->setText(text(request.schedule.name));
        m_description->setText(text(request.schedule.description));
        m_expression->setText(text(request.schedule.scheduleExpression));
        m_source->setCurrentIndex(EventBridge);
        return;
    case engine::TriggerKind::Folder: {
        const bool created = hasEvent(request.folder.events, "s3:ObjectCreated");
        const bool removed = hasEvent(request.folder.events, "s3:ObjectRemoved");
        m_events->setCurrentIndex(created && removed ? 2 : removed ? 1 : 0);
        m_prefix->setText(text(request.folder.prefix));
        m_suffix->setText(text(request.folder.suffix));
        m_source->setCurrentIndex(Folder);
        return;
    }
    case engine::TriggerKind::Queue:
        m_queue->setCurrentText(text(request.queue));
        m_batchSize->setValue(request.mapping.batchSize.value_or(engine::kDefaultSqsBatchSize));
        m_batchWindow->setValue(request.mapping.maximumBatchingWindowSeconds.value_or(0));
        m_reportFailures->setChecked(request.mapping.functionResponseTypes.has_value());
        m_activate->setChecked(request.mapping.enabled.value_or(true));
        m_source->setCurrentIndex(Queue);
        return;
    case engine::TriggerKind::FunctionUrl:
        m_urlAuth->setCurrentIndex(std::max(0, m_urlAuth->findData(text(request.url.authType))));
        m_source->setCurrentIndex(FunctionUrl);
        return;
    }
}

engine::Result<engine::TriggerRequest> TriggerForm::request() const
{
    engine::TriggerRequest request;
    switch (m_source->currentIndex()) {
    case EventBridge:
        request.kind = engine::TriggerKind::Schedule;
        request.schedule.name = m_ruleName->text().trimmed().toStdString();
        request.schedule.description = m_description->text().toStdString();
        request.schedule.scheduleExpression = m_expression->text().trimmed().toStdString();
        if (request.schedule.name.empty())
            return formError(QStringLiteral("Enter a name for the rule."));
        if (request.schedule.scheduleExpression.empty())
            return formError(QStringLiteral(
                "Enter a schedule expression, e.g. rate(5 minutes) or cron(0 12 * * ? *)."));
        if (auto valid = engine::validateScheduleExpression(request.schedule.scheduleExpression);
            !valid)
            return valid.error();
        return request;
    case Folder: {
        request.kind = engine::TriggerKind::Folder;
        request.folder.folder = m_folder->text().trimmed().toStdString();
        const int events = m_events->currentIndex();
        if (events != 1)
            request.folder.events.emplace_back(engine::kS3ObjectCreatedAll);
        if (events != 0)
            request.folder.events.emplace_back(engine::kS3ObjectRemovedAll);
        request.folder.prefix = m_prefix->text().toStdString();
        request.folder.suffix = m_suffix->text().toStdString();
        if (auto valid = engine::validateFolderTrigger(request.folder); !valid)
            return valid.error();
        if (!m_acknowledge->isChecked())
            return formError(
                QStringLiteral("Acknowledge the recursive invocation warning to add the trigger."));
        return request;
    }
    case Queue:
        request.kind = engine::TriggerKind::Queue;
        request.queue = m_queue->currentText().trimmed().toStdString();
        if (request.queue.empty())
            return formError(QStringLiteral("Choose a queue to add the trigger."));
        request.mapping.enabled = m_activate->isChecked();
        request.mapping.batchSize = m_batchSize->value();
        request.mapping.maximumBatchingWindowSeconds = m_batchWindow->value();
        if (m_reportFailures->isChecked())
            request.mapping.functionResponseTypes =
                std::vector<std::string>{engine::kReportBatchItemFailures};
        return request;
    default:
        request.kind = engine::TriggerKind::FunctionUrl;
        request.url.authType = m_urlAuth->currentData().toString().toStdString();
        return request;
    }
}

void TriggerForm::updatePreview()
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
        emit resized();
        return;
    }
    QStringList lines{QStringLiteral("Next %1 trigger dates").arg(kPreviewCount)};
    for (const std::int64_t fire : *fires)
        lines.append(utc(fire));
    if (fires->empty())
        lines.append(QStringLiteral("None: the expression's years are over."));
    m_nextFires->setText(lines.join(QLatin1Char('\n')));
    emit resized(); // five lines where one was: a dialog grows rather than squeezing its form
}

} // namespace lambdesk::app
