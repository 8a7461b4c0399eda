#include "function/triggerssection.h"

#include "errortext.h"
#include "widgets/confirmdialog.h"
#include "widgets/consoletable.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/schedule.h"

#include <QDateTime>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace lambdesk::app {

namespace {

const QString kEventBridge = QStringLiteral("EventBridge (CloudWatch Events)");
const QString kFolderBucket = QStringLiteral("S3 (local folder)");
const QString kQueue = QStringLiteral("SQS (local queue)");

QString eventsText(const engine::FolderTrigger &trigger)
{
    QStringList parts;
    for (const std::string &event : trigger.events)
        parts.append(QString::fromStdString(event));
    QString text = parts.join(QStringLiteral(", "));
    if (!trigger.prefix.empty())
        text += QStringLiteral(" · prefix %1").arg(QString::fromStdString(trigger.prefix));
    if (!trigger.suffix.empty())
        text += QStringLiteral(" · suffix %1").arg(QString::fromStdString(trigger.suffix));
    return text;
}

QString nextFire(const engine::ScheduleRule &rule)
{
    if (rule.state != engine::kRuleEnabled)
        return QStringLiteral("-");
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    const auto fires = engine::nextScheduleFires(rule.scheduleExpression, now, rule.anchorMs, 1);
    if (!fires || fires->empty())
        return QStringLiteral("never");
    return QDateTime::fromMSecsSinceEpoch(fires->front(), Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

} // namespace

TriggersSection::TriggersSection(SharedFunction function, QWidget *parent)
    : QWidget(parent), m_controller(std::move(function))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_panel = new Panel(QStringLiteral("Triggers"), this);
    m_enable = secondaryButton(QStringLiteral("Enable"), m_panel);
    m_disable = secondaryButton(QStringLiteral("Disable"), m_panel);
    m_delete = secondaryButton(QStringLiteral("Delete"), m_panel);
    m_add = secondaryButton(QStringLiteral("Add trigger"), m_panel);
    for (QPushButton *button : {m_enable, m_disable, m_delete, m_add})
        m_panel->addHeaderWidget(button);

    m_model = new QStandardItemModel(0, 5, this);
    m_model->setHorizontalHeaderLabels({QStringLiteral("Trigger"), QStringLiteral("Rule or bucket"),
                                        QStringLiteral("Schedule or events"),
                                        QStringLiteral("State"),
                                        QStringLiteral("Next invocation")});
    m_table = consoleTable(m_model, m_panel);
    m_table->setObjectName(QStringLiteral("triggersTable"));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_panel->bodyLayout()->addWidget(m_table);
    m_empty = hintLabel(QStringLiteral("No triggers. Add trigger invokes this function on a "
                                       "schedule, when files change in a folder or when "
                                       "messages reach a queue; a function URL is under "
                                       "Function URL."),
                        m_panel);
    m_panel->bodyLayout()->addWidget(m_empty);
    m_policyNote = hintLabel({}, m_panel);
    m_policyNote->setObjectName(QStringLiteral("policyNote"));
    m_policyNote->hide();
    m_panel->bodyLayout()->addWidget(m_policyNote);
    m_error = inlineErrorLabel(m_panel);
    m_panel->bodyLayout()->addWidget(m_error);
    layout->addWidget(m_panel);
    layout->addStretch();

    connect(m_add, &QPushButton::clicked, this, &TriggersSection::addRequested);
    connect(m_enable, &QPushButton::clicked, this, [this] { setSelectedEnabled(true); });
    connect(m_disable, &QPushButton::clicked, this, [this] { setSelectedEnabled(false); });
    connect(m_delete, &QPushButton::clicked, this, [this] { deleteSelected(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TriggersSection::updateButtons);
    updateButtons();
}

void TriggersSection::reload()
{
    m_controller->triggers(this, [this](engine::Result<FunctionController::Triggers> triggers) {
        m_loaded = true;
        if (!triggers) {
            showError(QStringLiteral("Loading the triggers failed: %1")
                          .arg(engineErrorText(triggers.error())));
            return;
        }
        showError({});
        show(std::move(*triggers));
    });
}

void TriggersSection::appendRow(const QStringList &cells, const QString &tooltip)
{
    QList<QStandardItem *> row;
    for (const QString &text : cells) {
        auto *item = new QStandardItem(text);
        item->setEditable(false);
        row.append(item);
    }
    row[RuleColumn]->setToolTip(tooltip);
    m_model->appendRow(row);
}

void TriggersSection::show(FunctionController::Triggers triggers)
{
    const QString wasSelected = selected() ? selected()->name : QString();
    m_triggers = std::move(triggers.schedules);
    m_folders = std::move(triggers.folders);
    m_queues = std::move(triggers.queues);
    m_rows.clear();
    m_model->removeRows(0, m_model->rowCount());
    QStringList labels;
    QStringList unpermitted;
    const auto state = [&unpermitted](bool enabled, bool permitted, const QString &name) {
        QString text = enabled ? QStringLiteral("ENABLED") : QStringLiteral("DISABLED");
        if (!permitted) {
            text += QStringLiteral(" (not permitted)");
            unpermitted.append(name);
        }
        return text;
    };
    for (const engine::ScheduleTrigger &trigger : m_triggers) {
        const engine::ScheduleRule &rule = trigger.rule;
        const QString name = QString::fromStdString(rule.name);
        const bool enabled = rule.state == engine::kRuleEnabled;
        appendRow({kEventBridge.section(QStringLiteral(" ("), 0, 0), name,
                   QString::fromStdString(rule.scheduleExpression),
                   state(enabled, trigger.permitted, name), nextFire(rule)},
                  QString::fromStdString(rule.arn));
        m_rows.push_back({Kind::Schedule, rule.name, name, enabled});
        labels.append(kEventBridge);
    }
    for (const engine::FolderTrigger &trigger : m_folders) {
        const QString name = QString::fromStdString(trigger.bucket);
        appendRow({QStringLiteral("S3"), name, eventsText(trigger),
                   state(trigger.enabled, trigger.permitted, name), QStringLiteral("on change")},
                  QString::fromStdString(trigger.folder));
        m_rows.push_back({Kind::Folder, trigger.id, name, trigger.enabled});
        labels.append(kFolderBucket);
    }
    appendQueueRows(labels);
    // A name is what tells triggers apart: never elided. The last column keeps stretching.
    for (const int column : {TriggerColumn, RuleColumn, ExpressionColumn, StateColumn})
        m_table->resizeColumnToContents(column);
    m_panel->setCount(QStringLiteral("(%1)").arg(m_rows.size()));
    m_table->setVisible(!m_rows.empty());
    m_empty->setVisible(m_rows.empty());
    m_policyNote->setText(
        QStringLiteral("%1: the function's resource-based policy does not let the trigger invoke "
                       "it (events.amazonaws.com for a rule, s3.amazonaws.com for a bucket, with "
                       "its ARN as the source). Add that permission under Permissions, or delete "
                       "and add the trigger again.")
            .arg(unpermitted.join(QStringLiteral(", "))));
    m_policyNote->setVisible(!unpermitted.isEmpty());
    if (!wasSelected.isEmpty())
        selectRule(wasSelected);
    updateButtons();
    emit triggersChanged(labels);
}

// A queue needs no permission: Lambda polls it with the function's own role.
void TriggersSection::appendQueueRows(QStringList &labels)
{
    for (const engine::EventSourceMapping &mapping : m_queues) {
        const QString queue =
            QString::fromStdString(mapping.eventSourceArn).section(QLatin1Char(':'), -1);
        QString batching = QStringLiteral("batch size %1").arg(mapping.batchSize);
        if (mapping.maximumBatchingWindowSeconds > 0)
            batching += QStringLiteral(" · window %1 s").arg(mapping.maximumBatchingWindowSeconds);
        if (!mapping.functionResponseTypes.empty())
            batching += QStringLiteral(" · batch item failures");
        appendRow({QStringLiteral("SQS"), queue, batching,
                   mapping.enabled ? QStringLiteral("ENABLED") : QStringLiteral("DISABLED"),
                   QStringLiteral("on message")},
                  QString::fromStdString(mapping.eventSourceArn));
        m_rows.push_back({Kind::Queue, mapping.uuid, queue, mapping.enabled});
        labels.append(kQueue);
    }
}

void TriggersSection::selectRule(const QString &rule)
{
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->item(row, RuleColumn)->text() == rule)
            m_table->selectRow(row);
}

const TriggersSection::Row *TriggersSection::selected() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.front().row() >= int(m_rows.size()))
        return nullptr;
    return &m_rows[std::size_t(rows.front().row())];
}

void TriggersSection::updateButtons()
{
    const Row *row = selected();
    m_enable->setEnabled(row && !row->enabled);
    m_disable->setEnabled(row && row->enabled);
    m_delete->setEnabled(row != nullptr);
}

void TriggersSection::setSelectedEnabled(bool enabled)
{
    const Row *row = selected();
    if (!row)
        return;
    const QString name = row->name;
    const auto done = [this, name, enabled](const engine::Error *error) {
        if (error) {
            showError(engineErrorText(*error));
            return;
        }
        reload();
        emit saved(
            QStringLiteral("%1 was %2.")
                .arg(name, enabled ? QStringLiteral("enabled") : QStringLiteral("disabled")));
    };
    if (row->kind == Kind::Folder)
        m_controller->setFolderTriggerEnabled(
            this, row->key, enabled, [done](const engine::Result<engine::FolderTrigger> &result) {
                done(result ? nullptr : &result.error());
            });
    else if (row->kind == Kind::Queue)
        m_controller->setQueueTriggerEnabled(
            this, row->key, enabled,
            [done](const engine::Result<engine::EventSourceMapping> &result) {
                done(result ? nullptr : &result.error());
            });
    else
        m_controller->setScheduleRuleEnabled(
            this, row->key, enabled, [done](const engine::Result<engine::ScheduleRule> &result) {
                done(result ? nullptr : &result.error());
            });
}

void TriggersSection::deleteSelected(bool confirm)
{
    const Row *row = selected();
    if (!row)
        return;
    // Copied before the dialog: a reload while it is open replaces the rows.
    const Row chosen = *row;
    if (confirm &&
        !ConfirmDialog::ask(this, QStringLiteral("Delete trigger %1?").arg(chosen.name),
                            chosen.kind == Kind::Folder
                                ? QStringLiteral("Changes in the folder stop invoking this "
                                                 "function and its permission is removed.")
                            : chosen.kind == Kind::Queue
                                ? QStringLiteral("The queue stops being polled for this function. "
                                                 "The queue and its messages stay.")
                                : QStringLiteral("The rule stops invoking this function and its "
                                                 "permission is removed. The rule itself stays."),
                            QStringLiteral("Delete")))
        return;
    const auto done = [this, name = chosen.name](const engine::Result<void> &result) {
        if (!result) {
            showError(engineErrorText(result.error()));
            return;
        }
        reload();
        emit saved(QStringLiteral("The trigger %1 was removed.").arg(name));
    };
    if (chosen.kind == Kind::Folder)
        m_controller->removeFolderTrigger(this, chosen.key, done);
    else if (chosen.kind == Kind::Queue)
        m_controller->removeQueueTrigger(
            this, chosen.key, [done](const engine::Result<engine::EventSourceMapping> &result) {
                done(result ? engine::Result<void>() : engine::Result<void>(result.error()));
            });
    else
        m_controller->removeScheduleTrigger(this, chosen.key, done);
}

void TriggersSection::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString TriggersSection::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
