#include "screens/functionlistpage.h"

#include "async.h"
#include "errortext.h"
#include "models/functionlistmodel.h"
#include "screens/deletefunctiondialog.h"
#include "widgets/consoletable.h"
#include "widgets/flashbar.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/engine.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

namespace lambdesk::app {

FunctionListPage::FunctionListPage(engine::Engine &engine, QWidget *parent)
    : QWidget(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("page"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 8, 24, 16);
    layout->setSpacing(14);
    m_flash = new Flashbar(this);
    layout->addWidget(m_flash);

    m_panel = new Panel(QStringLiteral("Functions"), this);
    m_panel->setCount(QStringLiteral("(0)"));
    m_panel->setDescription(QStringLiteral("Functions on this machine's engine. The Lambda API, AWS CLI "
                                           "and SDKs see the same list."));
    auto *refresh = secondaryButton(QStringLiteral("⟳"), m_panel);
    refresh->setToolTip(QStringLiteral("Refresh"));
    auto *actions = new QMenu;
    m_openAction = actions->addAction(QStringLiteral("View function"));
    m_deleteAction = actions->addAction(QStringLiteral("Delete"));
    m_openAction->setEnabled(false);
    m_deleteAction->setEnabled(false);
    auto *create = primaryButton(QStringLiteral("Create function"), m_panel);
    m_panel->addHeaderWidget(refresh);
    m_panel->addHeaderWidget(menuButton(QStringLiteral("Actions"), actions, m_panel));
    m_panel->addHeaderWidget(create);

    m_filter = new QLineEdit(m_panel);
    m_filter->setPlaceholderText(QStringLiteral("Filter by tags and attributes or search by keyword"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(520);
    m_panel->bodyLayout()->addWidget(m_filter);

    m_model = new FunctionListModel(this);
    m_proxy = new FunctionFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_table = consoleTable(m_proxy, m_panel);
    m_table->sortByColumn(int(FunctionListModel::Column::Name), Qt::AscendingOrder);
    m_table->verticalHeader()->setDefaultSectionSize(34);
    m_table->setFrameShape(QFrame::NoFrame);
    m_table->setMinimumHeight(300);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(80);
    // Description takes what is left, so the table never needs a horizontal scroll bar.
    header->setSectionResizeMode(int(FunctionListModel::Column::Description), QHeaderView::Stretch);
    header->resizeSection(int(FunctionListModel::Column::Name), 240);
    header->resizeSection(int(FunctionListModel::Column::PackageType), 110);
    header->resizeSection(int(FunctionListModel::Column::Runtime), 130);
    header->resizeSection(int(FunctionListModel::Column::CodeSize), 100);
    header->resizeSection(int(FunctionListModel::Column::Memory), 90);
    header->resizeSection(int(FunctionListModel::Column::LastModified), 130);
    m_panel->bodyLayout()->addWidget(m_table, 1);
    m_empty = styledLabel(QStringLiteral("<b>No functions</b><br>Create a function, or use the Lambda API / AWS CLI "
                                         "against this engine."), "hint", m_table->viewport());
    m_empty->setAlignment(Qt::AlignCenter);
    m_table->viewport()->installEventFilter(this);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->hide();
    layout->addWidget(m_panel, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setSearchText(text);
        updateCount();
    });
    connect(refresh, &QPushButton::clicked, this, &FunctionListPage::refresh);
    connect(create, &QPushButton::clicked, this, &FunctionListPage::createRequested);
    // The name is a link, as in the console: one click opens the function.
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex &index) {
        if (index.column() == int(FunctionListModel::Column::Name))
            emit functionActivated(index.data(FunctionListModel::NameRole).toString());
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        emit functionActivated(index.data(FunctionListModel::NameRole).toString());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const bool selected = !selectedName().isEmpty();
        m_deleteAction->setEnabled(selected);
        m_openAction->setEnabled(selected);
    });
    connect(m_openAction, &QAction::triggered, this, [this] { emit functionActivated(selectedName()); });
    connect(m_deleteAction, &QAction::triggered, this, &FunctionListPage::confirmDelete);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &FunctionListPage::updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &FunctionListPage::updateCount);

    // "3 minutes ago" ages while the list is open.
    auto *ticker = new QTimer(this);
    ticker->setInterval(30'000);
    connect(ticker, &QTimer::timeout, m_model, &FunctionListModel::refreshRelativeTimes);
    ticker->start();
}

void FunctionListPage::refresh()
{
    if (m_refreshing) {
        // The list in flight may predate what this refresh is for: one more follows it.
        m_refreshAgain = true;
        return;
    }
    m_refreshing = true;
    engine::Engine *engine = &m_engine;
    runAsync(this, [engine] { return engine->listFunctions(); },
             [this](std::vector<engine::FunctionInfo> functions) {
                 m_refreshing = false;
                 m_loaded = true;
                 m_model->setFunctions(functions);
                 updateCount();
                 emit loaded();
                 if (std::exchange(m_refreshAgain, false))
                     refresh();
             });
}

void FunctionListPage::showFlash(int kind, const QString &text)
{
    m_flash->showMessage(Flashbar::Kind(kind), text);
}

void FunctionListPage::updateCount()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_empty->setText(total == 0 ? QStringLiteral("<b>No functions</b><br>Create a function, or use the Lambda API "
                                                 "or the AWS CLI against this engine.")
                                : QStringLiteral("<b>No matches</b><br>No function matches the filter."));
    m_empty->setVisible(m_loaded && shown == 0);
    m_empty->setGeometry(0, 24, m_table->viewport()->width(), 60);
    m_panel->setCount(shown == total ? QStringLiteral("(%1)").arg(total)
                                     : QStringLiteral("(%1 of %2)").arg(shown).arg(total));
}

QString FunctionListPage::selectedName() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(FunctionListModel::NameRole).toString();
}

void FunctionListPage::confirmDelete()
{
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    auto *dialog = new DeleteFunctionDialog(name, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, name] { deleteFunction(name); });
    dialog->open();
}

void FunctionListPage::deleteFunction(const QString &name)
{
    engine::Engine *engine = &m_engine;
    runAsync(this, [engine, n = name.toStdString()] { return engine->deleteFunction(n); },
             [this, name](engine::Result<void> result) {
                 if (result)
                     m_flash->showMessage(Flashbar::Kind::Success,
                                          QStringLiteral("Successfully deleted function %1.").arg(name));
                 else
                     m_flash->showMessage(Flashbar::Kind::Error,
                                          QStringLiteral("Deleting function %1 failed: %2")
                                              .arg(name, engineErrorText(result.error())));
                 refresh();
             });
}

} // namespace lambdesk::app

namespace lambdesk::app {

bool FunctionListPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        m_empty->setGeometry(0, 24, m_table->viewport()->width(), 60);
    return QWidget::eventFilter(watched, event);
}

} // namespace lambdesk::app
