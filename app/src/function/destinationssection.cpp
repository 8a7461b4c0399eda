#include "function/destinationssection.h"

#include "errortext.h"
#include "widgets/confirmdialog.h"
#include "widgets/consoletable.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/asyncinvoke.h"

#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace lambdesk::app {

QString destinationTypeText(const std::string &arn)
{
    return engine::destinationKind(arn) == engine::DestinationKind::Function
               ? QStringLiteral("Lambda function")
               : QStringLiteral("SQS queue");
}

DestinationsSection::DestinationsSection(SharedFunction function, QWidget *parent)
    : QWidget(parent), m_controller(std::move(function))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_panel = new Panel(QStringLiteral("Destinations"), this);
    m_remove = secondaryButton(QStringLiteral("Remove"), m_panel);
    m_add = secondaryButton(QStringLiteral("Add destination"), m_panel);
    for (QPushButton *button : {m_remove, m_add})
        m_panel->addHeaderWidget(button);
    m_model = new QStandardItemModel(0, 4, this);
    m_model->setHorizontalHeaderLabels({QStringLiteral("Source"), QStringLiteral("Condition"),
                                        QStringLiteral("Destination type"),
                                        QStringLiteral("Destination")});
    m_table = consoleTable(m_model, m_panel);
    m_table->setObjectName(QStringLiteral("destinationsTable"));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_panel->bodyLayout()->addWidget(m_table);
    m_empty = hintLabel(QStringLiteral("No destinations. Add destination sends a record of each "
                                       "asynchronous invocation that succeeds, or that fails "
                                       "every attempt, to another function or to a queue."),
                        m_panel);
    m_panel->bodyLayout()->addWidget(m_empty);
    m_error = inlineErrorLabel(m_panel);
    m_panel->bodyLayout()->addWidget(m_error);
    layout->addWidget(m_panel);
    layout->addStretch();

    connect(m_add, &QPushButton::clicked, this, &DestinationsSection::addRequested);
    connect(m_remove, &QPushButton::clicked, this, [this] { removeSelected(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DestinationsSection::updateButtons);
    updateButtons();
}

void DestinationsSection::reload()
{
    m_controller->eventInvokeConfig(
        this, [this](engine::Result<std::optional<engine::EventInvokeConfig>> config) {
            m_loaded = true;
            if (!config) {
                showError(QStringLiteral("Loading the destinations failed: %1")
                              .arg(engineErrorText(config.error())));
                return;
            }
            showError({});
            show(*config);
        });
}

void DestinationsSection::show(const std::optional<engine::EventInvokeConfig> &config)
{
    m_rows.clear();
    m_model->removeRows(0, m_model->rowCount());
    QStringList labels;
    for (const bool onSuccess : {true, false}) {
        const std::string arn = !config     ? std::string()
                                : onSuccess ? config->onSuccess
                                            : config->onFailure;
        if (arn.empty())
            continue;
        const QString condition =
            onSuccess ? QStringLiteral("On success") : QStringLiteral("On failure");
        QList<QStandardItem *> row;
        for (const QString &text : {QStringLiteral("Asynchronous invocation"), condition,
                                    destinationTypeText(arn), QString::fromStdString(arn)}) {
            auto *item = new QStandardItem(text);
            item->setEditable(false);
            row.append(item);
        }
        m_model->appendRow(row);
        m_rows.push_back({onSuccess, QString::fromStdString(arn)});
        // Short enough for the diagram's narrow column: the service, as the console's icon says.
        labels.append(condition + QStringLiteral(": ") +
                      (engine::destinationKind(arn) == engine::DestinationKind::Function
                           ? QStringLiteral("Lambda")
                           : QStringLiteral("SQS")));
    }
    for (const int column : {SourceColumn, ConditionColumn, TypeColumn})
        m_table->resizeColumnToContents(column);
    m_panel->setCount(QStringLiteral("(%1)").arg(m_rows.size()));
    m_table->setVisible(!m_rows.empty());
    m_empty->setVisible(m_rows.empty());
    updateButtons();
    emit destinationsChanged(labels);
}

void DestinationsSection::selectCondition(bool onSuccess)
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].onSuccess == onSuccess)
            m_table->selectRow(int(i));
}

void DestinationsSection::updateButtons()
{
    m_remove->setEnabled(m_table->selectionModel()->hasSelection());
}

void DestinationsSection::removeSelected(bool confirm)
{
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    if (selected.isEmpty() || selected.front().row() >= int(m_rows.size()))
        return;
    const Row row = m_rows[std::size_t(selected.front().row())];
    const QString condition =
        row.onSuccess ? QStringLiteral("on success") : QStringLiteral("on failure");
    if (confirm &&
        !ConfirmDialog::ask(this, QStringLiteral("Remove the %1 destination?").arg(condition),
                            QStringLiteral("Records of asynchronous invocations stop going to %1.")
                                .arg(row.destination),
                            QStringLiteral("Remove")))
        return;
    m_controller->setDestination(
        this, row.onSuccess, {},
        [this, condition](const engine::Result<engine::EventInvokeConfig> &result) {
            if (!result) {
                showError(engineErrorText(result.error()));
                return;
            }
            reload();
            emit saved(QStringLiteral("The %1 destination was removed.").arg(condition));
        });
}

void DestinationsSection::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString DestinationsSection::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
