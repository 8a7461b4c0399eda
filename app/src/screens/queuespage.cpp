#include "screens/queuespage.h"

#include "async.h"
#include "errortext.h"
#include "widgets/confirmdialog.h"
#include "widgets/consoletable.h"
#include "widgets/flashbar.h"
#include "widgets/pagebody.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/engine.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace lambdesk::app {
namespace {

const std::vector<std::string> kCountAttributes = {
    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed", "RedrivePolicy"};

struct Listing {
    std::vector<engine::QueueInfo> queues;
    std::vector<engine::QueueAttributes> counts; // kCountAttributes of each, in order
};

QString attribute(const engine::QueueAttributes &attributes, const std::string &name)
{
    const auto found = attributes.find(name);
    return found == attributes.end() ? QString() : QString::fromStdString(found->second);
}

// The queue a RedrivePolicy sends messages to, by name; "" without one.
QString deadLetterName(const engine::QueueAttributes &attributes)
{
    const QJsonObject policy =
        QJsonDocument::fromJson(attribute(attributes, "RedrivePolicy").toUtf8()).object();
    return policy.value(QStringLiteral("deadLetterTargetArn"))
        .toString()
        .section(QLatin1Char(':'), -1);
}

QStandardItem *cell(const QString &text)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    return item;
}

} // namespace

QueuesPage::QueuesPage(engine::Engine &engine, QWidget *parent) : QWidget(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("page"));
    // Scrolls: two tables do not fit a short window, and the window must fit an 800x600 screen.
    QVBoxLayout *layout = PageBody::install(this)->layout();
    m_flash = new Flashbar(this);
    layout->addWidget(m_flash);
    layout->addWidget(buildQueues(), 1);
    layout->addWidget(buildMessages(), 1);
    updateButtons();
}

QWidget *QueuesPage::buildQueues()
{
    m_queuesPanel = new Panel(QStringLiteral("Queues"), this);
    m_queuesPanel->setDescription(QStringLiteral(
        "The engine's SQS queues, on the Lambda API's endpoint: triggers poll them, "
        "destinations and dead-letter queues fill them, and the AWS CLI and SDKs use them "
        "unchanged."));
    auto *refresh = secondaryButton(QStringLiteral("⟳"), m_queuesPanel);
    refresh->setToolTip(QStringLiteral("Refresh"));
    m_delete = secondaryButton(QStringLiteral("Delete"), m_queuesPanel);
    m_purge = secondaryButton(QStringLiteral("Purge"), m_queuesPanel);
    auto *create = primaryButton(QStringLiteral("Create queue"), m_queuesPanel);
    for (QPushButton *button : {refresh, m_delete, m_purge, create})
        m_queuesPanel->addHeaderWidget(button);
    m_queuesModel = new QStandardItemModel(0, 5, this);
    m_queuesModel->setHorizontalHeaderLabels(
        {QStringLiteral("Name"), QStringLiteral("Messages available"),
         QStringLiteral("Messages in flight"), QStringLiteral("Messages delayed"),
         QStringLiteral("Dead-letter queue")});
    m_queuesTable = consoleTable(m_queuesModel, m_queuesPanel);
    m_queuesTable->setObjectName(QStringLiteral("queuesTable"));
    m_queuesTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_queuesTable->setMinimumHeight(120);
    m_queuesTable->horizontalHeader()->setSectionResizeMode(DeadLetterColumn, QHeaderView::Stretch);
    m_queuesPanel->bodyLayout()->addWidget(m_queuesTable, 1);
    m_queuesEmpty = hintLabel(QStringLiteral("No queues. Create queue makes one; so does "
                                             "aws sqs create-queue against the engine."),
                              m_queuesPanel);
    m_queuesEmpty->hide();
    m_queuesPanel->bodyLayout()->addWidget(m_queuesEmpty);

    connect(refresh, &QPushButton::clicked, this, &QueuesPage::reload);
    connect(create, &QPushButton::clicked, this, &QueuesPage::openCreateDialog);
    connect(m_purge, &QPushButton::clicked, this, [this] {
        if (ConfirmDialog::ask(this, QStringLiteral("Purge %1?").arg(selectedQueue()),
                               QStringLiteral("Every message in the queue is deleted. A queue "
                                              "can be purged once a minute."),
                               QStringLiteral("Purge")))
            purgeSelected();
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        if (ConfirmDialog::ask(this, QStringLiteral("Delete %1?").arg(selectedQueue()),
                               QStringLiteral("The queue and its messages are deleted; triggers "
                                              "that poll it stop."),
                               QStringLiteral("Delete")))
            deleteSelected();
    });
    connect(m_queuesTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        peekSelected();
    });
    return m_queuesPanel;
}

QWidget *QueuesPage::buildMessages()
{
    m_messagesPanel = new Panel(QStringLiteral("Messages"), this);
    m_messagesPanel->setDescription(QStringLiteral(
        "The selected queue's oldest messages as they stand: looking receives nothing, so "
        "nothing becomes invisible or counts as a receive."));
    m_send = secondaryButton(QStringLiteral("Send message"), m_messagesPanel);
    m_messagesPanel->addHeaderWidget(m_send);
    connect(m_send, &QPushButton::clicked, this, &QueuesPage::openSendDialog);
    m_redrive = secondaryButton(QStringLiteral("Start DLQ redrive"), m_messagesPanel);
    m_redrive->setToolTip(QStringLiteral("Move this dead-letter queue's messages back to the "
                                         "queues they came from"));
    m_messagesPanel->addHeaderWidget(m_redrive);
    m_messagesModel = new QStandardItemModel(0, 5, this);
    m_messagesModel->setHorizontalHeaderLabels(
        {QStringLiteral("Message ID"), QStringLiteral("Body"), QStringLiteral("Sent"),
         QStringLiteral("Receive count"), QStringLiteral("State")});
    m_messagesTable = consoleTable(m_messagesModel, m_messagesPanel);
    m_messagesTable->setObjectName(QStringLiteral("messagesTable"));
    m_messagesTable->setMinimumHeight(120);
    m_messagesTable->setTextElideMode(Qt::ElideRight);
    m_messagesTable->setSortingEnabled(false); // oldest first, as the queue holds them
    // The body takes what the other columns leave.
    m_messagesTable->horizontalHeader()->setStretchLastSection(false);
    m_messagesTable->horizontalHeader()->setSectionResizeMode(BodyColumn, QHeaderView::Stretch);
    m_messagesTable->horizontalHeader()->moveSection(BodyColumn, StateColumn);
    m_messagesPanel->bodyLayout()->addWidget(m_messagesTable, 1);
    connect(m_redrive, &QPushButton::clicked, this, &QueuesPage::redriveSelected);
    return m_messagesPanel;
}

void QueuesPage::reload()
{
    runAsync(
        this,
        [engine = &m_engine]() -> engine::Result<Listing> {
            auto queues = engine->listQueues();
            if (!queues)
                return queues.error();
            Listing listing{std::move(*queues), {}};
            for (const engine::QueueInfo &queue : listing.queues) {
                auto counts = engine->getQueueAttributes(queue.name, kCountAttributes);
                listing.counts.push_back(counts ? std::move(*counts) : engine::QueueAttributes{});
            }
            return listing;
        },
        [this](engine::Result<Listing> listing) {
            m_loaded = true;
            if (!listing) {
                showFlash(int(Flashbar::Kind::Error),
                          QStringLiteral("Loading the queues failed: %1")
                              .arg(engineErrorText(listing.error())));
                return;
            }
            fillQueues(listing->queues, listing->counts);
            emit loaded();
        });
}

void QueuesPage::fillQueues(const std::vector<engine::QueueInfo> &queues,
                            const std::vector<engine::QueueAttributes> &counts)
{
    const QString wasSelected = selectedQueue();
    m_queuesModel->removeRows(0, m_queuesModel->rowCount());
    m_deadLetterQueues.clear();
    for (std::size_t i = 0; i < queues.size(); ++i) {
        const engine::QueueAttributes &values = counts[i];
        const QString deadLetter = deadLetterName(values);
        m_queuesModel->appendRow({cell(QString::fromStdString(queues[i].name)),
                                  cell(attribute(values, "ApproximateNumberOfMessages")),
                                  cell(attribute(values, "ApproximateNumberOfMessagesNotVisible")),
                                  cell(attribute(values, "ApproximateNumberOfMessagesDelayed")),
                                  cell(deadLetter.isEmpty() ? QStringLiteral("-") : deadLetter)});
        m_queuesModel->item(int(i), NameColumn)->setToolTip(QString::fromStdString(queues[i].arn));
        if (!deadLetter.isEmpty())
            m_deadLetterQueues.push_back(deadLetter.toStdString());
    }
    m_queuesTable->resizeColumnsToContents();
    m_queuesPanel->setCount(QStringLiteral("(%1)").arg(queues.size()));
    m_queuesTable->setVisible(!queues.empty());
    m_queuesEmpty->setVisible(queues.empty());
    const QString select = m_selectAfterLoad.isEmpty() ? wasSelected : m_selectAfterLoad;
    m_selectAfterLoad.clear();
    if (!select.isEmpty())
        selectQueue(select);
    else if (!queues.empty())
        m_queuesTable->selectRow(0);
    updateButtons();
    peekSelected();
}

void QueuesPage::selectQueue(const QString &name)
{
    for (int row = 0; row < m_queuesModel->rowCount(); ++row)
        if (m_queuesModel->item(row, NameColumn)->text() == name)
            m_queuesTable->selectRow(row);
}

QString QueuesPage::selectedQueue() const
{
    const QModelIndexList rows = m_queuesTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_queuesModel->item(rows.front().row(), NameColumn)->text();
}

void QueuesPage::updateButtons()
{
    const QString queue = selectedQueue();
    for (QPushButton *button : {m_send, m_purge, m_delete})
        button->setEnabled(!queue.isEmpty());
    m_redrive->setEnabled(std::find(m_deadLetterQueues.begin(), m_deadLetterQueues.end(),
                                    queue.toStdString()) != m_deadLetterQueues.end());
    m_messagesPanel->setTitle(queue.isEmpty() ? QStringLiteral("Messages")
                                              : QStringLiteral("Messages in %1").arg(queue));
}

void QueuesPage::peekSelected()
{
    const std::string queue = selectedQueue().toStdString();
    if (queue.empty()) {
        m_messagesModel->removeRows(0, m_messagesModel->rowCount());
        return;
    }
    runAsync(
        this, [engine = &m_engine, queue] { return engine->peekMessages(queue, 50); },
        [this, queue](engine::Result<std::vector<engine::PeekedMessage>> messages) {
            if (selectedQueue().toStdString() != queue)
                return; // another queue was chosen meanwhile
            m_messagesModel->removeRows(0, m_messagesModel->rowCount());
            if (!messages)
                return;
            for (const engine::PeekedMessage &message : *messages)
                m_messagesModel->appendRow(
                    {cell(QString::fromStdString(message.messageId)),
                     cell(QString::fromStdString(message.body).simplified()),
                     cell(QDateTime::fromMSecsSinceEpoch(message.sentMs)
                              .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))),
                     cell(QString::number(message.receiveCount)),
                     cell(QString::fromStdString(message.state))});
            for (const int column : {IdColumn, SentColumn, ReceivesColumn, StateColumn})
                m_messagesTable->resizeColumnToContents(column);
            m_messagesPanel->setCount(QStringLiteral("(%1)").arg(messages->size()));
        });
}

void QueuesPage::act(
    std::function<engine::Result<QString>(engine::Engine &, const std::string &)> call)
{
    runAsync(
        this,
        [engine = &m_engine, queue = selectedQueue().toStdString(), call = std::move(call)] {
            return call(*engine, queue);
        },
        [this](const engine::Result<QString> &done) {
            if (!done) {
                showFlash(int(Flashbar::Kind::Error), engineErrorText(done.error()));
                return;
            }
            showFlash(int(Flashbar::Kind::Success), *done);
            reload();
        });
}

void QueuesPage::createQueue(const QString &name, int visibilityTimeout,
                             const QString &deadLetterQueue, int maxReceiveCount)
{
    engine::QueueAttributes attributes{{"VisibilityTimeout", std::to_string(visibilityTimeout)}};
    // Before the call: its answer (and the reload after it) can arrive before act() returns.
    m_selectAfterLoad = name;
    act([name = name.toStdString(), attributes, deadLetter = deadLetterQueue.toStdString(),
         maxReceiveCount](engine::Engine &engine,
                          const std::string &) mutable -> engine::Result<QString> {
        if (!deadLetter.empty())
            attributes["RedrivePolicy"] =
                "{\"deadLetterTargetArn\":\"" + engine.queueArn(deadLetter) +
                "\",\"maxReceiveCount\":" + std::to_string(maxReceiveCount) + "}";
        auto created = engine.createQueue(name, attributes);
        if (!created)
            return created.error();
        return QStringLiteral("Queue %1 created.").arg(QString::fromStdString(name));
    });
}

void QueuesPage::sendMessage(const QString &body)
{
    act([body = body.toStdString()](engine::Engine &engine,
                                    const std::string &queue) -> engine::Result<QString> {
        engine::QueueMessageInput message;
        message.body = body;
        auto sent = engine.sendMessage(queue, message);
        if (!sent)
            return sent.error();
        return QStringLiteral("Message %1 sent.").arg(QString::fromStdString(sent->messageId));
    });
}

void QueuesPage::purgeSelected()
{
    act([](engine::Engine &engine, const std::string &queue) -> engine::Result<QString> {
        if (auto purged = engine.purgeQueue(queue); !purged)
            return purged.error();
        return QStringLiteral("Queue %1 purged.").arg(QString::fromStdString(queue));
    });
}

void QueuesPage::deleteSelected()
{
    act([](engine::Engine &engine, const std::string &queue) -> engine::Result<QString> {
        if (auto deleted = engine.deleteQueue(queue); !deleted)
            return deleted.error();
        return QStringLiteral("Queue %1 deleted.").arg(QString::fromStdString(queue));
    });
}

void QueuesPage::redriveSelected()
{
    act([](engine::Engine &engine, const std::string &queue) -> engine::Result<QString> {
        auto moved = engine.redriveDeadLetters(queue);
        if (!moved)
            return moved.error();
        return QStringLiteral("%1 message(s) moved back from %2 to their source queues.")
            .arg(*moved)
            .arg(QString::fromStdString(queue));
    });
}

void QueuesPage::openCreateDialog()
{
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QStringLiteral("Create queue"));
    dialog->setMinimumWidth(480);
    auto *layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->addWidget(styledLabel(QStringLiteral("Create queue"), "panelTitle", dialog));
    auto *name = new QLineEdit(dialog);
    name->setObjectName(QStringLiteral("queueName"));
    name->setPlaceholderText(QStringLiteral("1-80 of letters, digits, - and _"));
    layout->addWidget(fieldRow(QStringLiteral("Name"), name, dialog));
    auto *visibility = new QSpinBox(dialog);
    visibility->setRange(0, engine::kMaxVisibilityTimeoutSeconds);
    visibility->setValue(30);
    visibility->setSuffix(QStringLiteral(" sec"));
    layout->addWidget(fieldRow(QStringLiteral("Visibility timeout"), visibility, dialog));
    auto *deadLetter = new QComboBox(dialog);
    deadLetter->addItem(QStringLiteral("None"), QString());
    for (int row = 0; row < m_queuesModel->rowCount(); ++row)
        deadLetter->addItem(m_queuesModel->item(row, NameColumn)->text(),
                            m_queuesModel->item(row, NameColumn)->text());
    layout->addWidget(fieldRow(QStringLiteral("Dead-letter queue"), deadLetter, dialog));
    auto *receives = new QSpinBox(dialog);
    receives->setRange(1, 1000);
    receives->setValue(3);
    layout->addWidget(fieldRow(QStringLiteral("Maximum receives"), receives, dialog));
    const FormButtons buttons = formButtons(QStringLiteral("Create queue"), dialog);
    layout->addLayout(buttons.row);
    connect(buttons.cancel, &QPushButton::clicked, dialog, &QDialog::reject);
    connect(buttons.confirm, &QPushButton::clicked, dialog, [=, this] {
        createQueue(name->text().trimmed(), visibility->value(),
                    deadLetter->currentData().toString(), receives->value());
        dialog->accept();
    });
    dialog->open();
}

void QueuesPage::openSendDialog()
{
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QStringLiteral("Send message"));
    dialog->setMinimumWidth(520);
    auto *layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->addWidget(styledLabel(QStringLiteral("Send message to %1").arg(selectedQueue()),
                                  "panelTitle", dialog));
    auto *body = new QPlainTextEdit(dialog);
    body->setObjectName(QStringLiteral("messageBody"));
    body->setPlaceholderText(QStringLiteral("{\"id\": 1}"));
    body->setMinimumWidth(460);
    layout->addWidget(fieldRow(QStringLiteral("Message body"), body, dialog));
    const FormButtons buttons = formButtons(QStringLiteral("Send message"), dialog);
    layout->addLayout(buttons.row);
    connect(buttons.cancel, &QPushButton::clicked, dialog, &QDialog::reject);
    connect(buttons.confirm, &QPushButton::clicked, dialog, [=, this] {
        sendMessage(body->toPlainText());
        dialog->accept();
    });
    dialog->open();
}

void QueuesPage::showFlash(int kind, const QString &text)
{
    m_flash->showMessage(Flashbar::Kind(kind), text);
}

} // namespace lambdesk::app
