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
    m_model->setHorizontalHeaderLabels(
        {QStringLiteral("Trigger"), QStringLiteral("Rule"), QStringLiteral("Schedule expression"),
         QStringLiteral("State"), QStringLiteral("Next invocation")});
    m_table = consoleTable(m_model, m_panel);
    m_table->setObjectName(QStringLiteral("triggersTable"));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_panel->bodyLayout()->addWidget(m_table);
    m_empty = hintLabel(QStringLiteral("No triggers. Add trigger invokes this function on a "
                                       "schedule; a function URL is under Function URL."),
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
    m_controller->scheduleTriggers(
        this, [this](engine::Result<std::vector<engine::ScheduleTrigger>> triggers) {
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

void TriggersSection::show(std::vector<engine::ScheduleTrigger> triggers)
{
    const QString wasSelected =
        selected() ? QString::fromStdString(selected()->rule.name) : QString();
    m_triggers = std::move(triggers);
    m_model->removeRows(0, m_model->rowCount());
    QStringList labels;
    QStringList unpermitted;
    for (const engine::ScheduleTrigger &trigger : m_triggers) {
        const engine::ScheduleRule &rule = trigger.rule;
        QString state = QString::fromStdString(rule.state);
        if (!trigger.permitted) {
            state += QStringLiteral(" (not permitted)");
            unpermitted.append(QString::fromStdString(rule.name));
        }
        QList<QStandardItem *> row;
        for (const QString &text :
             {kEventBridge, QString::fromStdString(rule.name),
              QString::fromStdString(rule.scheduleExpression), state, nextFire(rule)}) {
            auto *item = new QStandardItem(text);
            item->setEditable(false);
            row.append(item);
        }
        row[TriggerColumn]->setText(kEventBridge.section(QStringLiteral(" ("), 0, 0));
        row[TriggerColumn]->setToolTip(kEventBridge);
        row[RuleColumn]->setToolTip(QString::fromStdString(rule.arn));
        m_model->appendRow(row);
        labels.append(kEventBridge);
    }
    // A rule's name is what tells triggers apart: never elided. The last column keeps stretching.
    for (const int column : {TriggerColumn, RuleColumn, ExpressionColumn, StateColumn})
        m_table->resizeColumnToContents(column);
    m_panel->setCount(QStringLiteral("(%1)").arg(m_triggers.size()));
    m_table->setVisible(!m_triggers.empty());
    m_empty->setVisible(m_triggers.empty());
    m_policyNote->setText(
        QStringLiteral("%1: the function's resource-based policy does not let the rule invoke "
                       "it (principal events.amazonaws.com, source ARN the rule's). Add that "
                       "permission under Permissions, or delete and add the trigger again.")
            .arg(unpermitted.join(QStringLiteral(", "))));
    m_policyNote->setVisible(!unpermitted.isEmpty());
    if (!wasSelected.isEmpty())
        selectRule(wasSelected);
    updateButtons();
    emit triggersChanged(labels);
}

void TriggersSection::selectRule(const QString &rule)
{
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->item(row, RuleColumn)->text() == rule)
            m_table->selectRow(row);
}

const engine::ScheduleTrigger *TriggersSection::selected() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || rows.front().row() >= int(m_triggers.size()))
        return nullptr;
    return &m_triggers[std::size_t(rows.front().row())];
}

void TriggersSection::updateButtons()
{
    const engine::ScheduleTrigger *trigger = selected();
    const bool enabled = trigger && trigger->rule.state == engine::kRuleEnabled;
    m_enable->setEnabled(trigger && !enabled);
    m_disable->setEnabled(enabled);
    m_delete->setEnabled(trigger != nullptr);
}

void TriggersSection::setSelectedEnabled(bool enabled)
{
    const engine::ScheduleTrigger *trigger = selected();
    if (!trigger)
        return;
    const QString rule = QString::fromStdString(trigger->rule.name);
    m_controller->setScheduleRuleEnabled(
        this, trigger->rule.name, enabled,
        [this, rule, enabled](const engine::Result<engine::ScheduleRule> &done) {
            if (!done) {
                showError(engineErrorText(done.error()));
                return;
            }
            reload();
            emit saved(
                QStringLiteral("Rule %1 was %2.")
                    .arg(rule, enabled ? QStringLiteral("enabled") : QStringLiteral("disabled")));
        });
}

void TriggersSection::deleteSelected(bool confirm)
{
    const engine::ScheduleTrigger *trigger = selected();
    if (!trigger)
        return;
    const QString rule = QString::fromStdString(trigger->rule.name);
    if (confirm &&
        !ConfirmDialog::ask(this, QStringLiteral("Delete trigger %1?").arg(rule),
                            QStringLiteral("The rule stops invoking this function and its "
                                           "permission is removed. The rule itself stays."),
                            QStringLiteral("Delete")))
        return;
    m_controller->removeScheduleTrigger(
        this, trigger->rule.name, [this, rule](const engine::Result<void> &done) {
            if (!done) {
                showError(engineErrorText(done.error()));
                return;
            }
            reload();
            emit saved(QStringLiteral("The trigger %1 was removed.").arg(rule));
        });
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
