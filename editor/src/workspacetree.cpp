// CodeWorkspace's layout, the Environment tree's context menu and its dialogs.

#include "lambdesk/editor/codeworkspace.h"

#include "filetreemodel.h"
#include "workspaceimpl.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTabBar>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace lambdesk::editor {

using detail::FileTreeModel;

namespace {

QString parentOf(const QString &path)
{
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

// Drops the dotted focus frame Qt draws around the current row; the selection colour is enough.
class TreeItemDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->state &= ~QStyle::State_HasFocus;
    }
};

QString joinPath(const QString &folder, const QString &name)
{
    return folder.isEmpty() ? name : folder + QLatin1Char('/') + name;
}

// Cloud9-like light chrome in AWS console colours. Selectors use object names only, so nothing
// leaks into the editors or the find bar.
const char *const kStyleSheet = R"(
#environmentPanel { background: #f7f8f8; }
#environmentHeader { background: #eaeded; color: #16191f; font-weight: bold;
    padding: 6px 10px; border-bottom: 1px solid #d5dbdb; }
#environmentTree { background: #f7f8f8; border: none; color: #16191f; outline: 0; }
#environmentTree::item { padding: 2px 0px; }
#environmentTree::item:hover { background: #eaeded; }
#environmentTree::item:selected { background: #d3e5f6; color: #16191f; }
#editorTabs::pane { border: none; }
#editorTabs > QTabBar { background: #eaeded; }
#editorTabs > QTabBar::tab { background: #eaeded; color: #545b64; padding: 6px 8px 6px 12px;
    border: none; border-right: 1px solid #d5dbdb; border-top: 2px solid #eaeded;
    min-width: 60px; }
#editorTabs > QTabBar::tab:selected { background: white; color: #16191f;
    border-top: 2px solid #0073bb; }
#editorTabs > QTabBar::tab:hover:!selected { background: #f2f3f3; }
#editorTabs QToolButton#tabClose { border: none; border-radius: 2px; background: transparent;
    color: #879596; font-size: 14px; padding: 0px; margin-left: 4px; }
#editorTabs QToolButton#tabClose:hover { background: #d5dbdb; color: #16191f; }
#editorPlaceholder { background: white; color: #687078; }
#editorStatus { background: #f2f3f3; color: #545b64; border-top: 1px solid #d5dbdb;
    padding: 3px 12px; }
#workspaceSplitter::handle { background: #d5dbdb; }
)";

} // namespace

void CodeWorkspace::Impl::buildUi()
{
    q->setObjectName(QStringLiteral("codeWorkspace"));
    q->setStyleSheet(QString::fromLatin1(kStyleSheet));
    model = new FileTreeModel(q);

    auto *side = new QWidget(q);
    side->setObjectName(QStringLiteral("environmentPanel"));
    side->setAttribute(Qt::WA_StyledBackground);
    side->setMinimumWidth(140);
    auto *header = new QLabel(CodeWorkspace::tr("Environment"), side);
    header->setObjectName(QStringLiteral("environmentHeader"));
    tree = new QTreeView(side);
    tree->setObjectName(QStringLiteral("environmentTree"));
    tree->setModel(model);
    tree->setHeaderHidden(true);
    tree->setFrameShape(QFrame::NoFrame);
    tree->setUniformRowHeights(true);
    tree->setIndentation(14);
    tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    tree->setContextMenuPolicy(Qt::CustomContextMenu);
    tree->setIconSize(QSize(16, 16));
    tree->setItemDelegate(new TreeItemDelegate(tree));
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->setSpacing(0);
    sideLayout->addWidget(header);
    sideLayout->addWidget(tree, 1);

    auto *editorArea = new QWidget(q);
    tabs = new QTabWidget(editorArea);
    tabs->setObjectName(QStringLiteral("editorTabs"));
    tabs->setDocumentMode(true);
    tabs->setTabsClosable(false); // each tab gets its own flat close button in openFile()
    tabs->setMovable(true);
    tabs->setElideMode(Qt::ElideRight);
    tabs->tabBar()->setExpanding(false);
    auto *placeholder = new QLabel(
        CodeWorkspace::tr("Open a file from the Environment tree to edit it."), editorArea);
    placeholder->setObjectName(QStringLiteral("editorPlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    stack = new QStackedWidget(editorArea);
    stack->addWidget(placeholder);
    stack->addWidget(tabs);
    status = new QLabel(editorArea);
    status->setObjectName(QStringLiteral("editorStatus"));
    status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    status->hide(); // until a file is open
    auto *editorLayout = new QVBoxLayout(editorArea);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->setSpacing(0);
    editorLayout->addWidget(stack, 1);
    editorLayout->addWidget(status);

    auto *splitter = new QSplitter(Qt::Horizontal, q);
    splitter->setObjectName(QStringLiteral("workspaceSplitter"));
    splitter->setHandleWidth(1);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(side);
    splitter->addWidget(editorArea);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 880});
    auto *layout = new QVBoxLayout(q);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    auto openIndex = [this](const QModelIndex &index) {
        if (index.isValid() && !model->isFolder(index))
            q->openFile(model->pathForIndex(index));
    };
    QObject::connect(tree, &QTreeView::clicked, q, openIndex);
    QObject::connect(tree, &QTreeView::activated, q, openIndex);
    QObject::connect(tree, &QTreeView::customContextMenuRequested, q,
                     [this](const QPoint &position) { showContextMenu(position); });
    QObject::connect(tabs, &QTabWidget::currentChanged, q, [this] { onCurrentTabChanged(); });

    auto selectedPath = [this] { return model->pathForIndex(tree->currentIndex()); };
    auto *rename =
        new QShortcut(QKeySequence(Qt::Key_F2), tree, nullptr, nullptr, Qt::WidgetShortcut);
    QObject::connect(rename, &QShortcut::activated, q, [this, selectedPath] {
        if (!readOnly && !selectedPath().isEmpty())
            promptRename(selectedPath());
    });
    auto *remove = new QShortcut(QKeySequence(QKeySequence::Delete), tree, nullptr, nullptr,
                                 Qt::WidgetShortcut);
    QObject::connect(remove, &QShortcut::activated, q, [this, selectedPath] {
        if (!readOnly && !selectedPath().isEmpty())
            promptDelete(selectedPath());
    });
    // The views have their own Ctrl+F; this one covers focus in the tree.
    auto *find = new QShortcut(QKeySequence::Find, tree, nullptr, nullptr, Qt::WidgetShortcut);
    QObject::connect(find, &QShortcut::activated, q, [this] {
        if (CodeView *view = q->currentView())
            view->showFind();
    });
}

void CodeWorkspace::Impl::showContextMenu(const QPoint &position)
{
    if (readOnly)
        return;
    const QModelIndex index = tree->indexAt(position);
    const QString path = model->pathForIndex(index); // "" for the root or empty space
    const QString folder = !index.isValid() || model->isFolder(index) ? path : parentOf(path);
    QMenu menu(tree);
    menu.addAction(CodeWorkspace::tr("New File"), q, [this, folder] { promptNewFile(folder); });
    menu.addAction(CodeWorkspace::tr("New Folder"), q, [this, folder] { promptNewFolder(folder); });
    menu.addSeparator();
    QAction *rename =
        menu.addAction(CodeWorkspace::tr("Rename"), q, [this, path] { promptRename(path); });
    QAction *remove =
        menu.addAction(CodeWorkspace::tr("Delete"), q, [this, path] { promptDelete(path); });
    rename->setEnabled(!path.isEmpty());
    remove->setEnabled(!path.isEmpty());
    menu.exec(tree->viewport()->mapToGlobal(position));
}

void CodeWorkspace::Impl::promptNewFile(const QString &folder)
{
    bool accepted = false;
    const QString label = folder.isEmpty() ? CodeWorkspace::tr("File name:")
                                           : CodeWorkspace::tr("File name in %1/:").arg(folder);
    QString name = QInputDialog::getText(q, CodeWorkspace::tr("New File"), label, QLineEdit::Normal,
                                         defaultNewFileName(), &accepted)
                       .trimmed();
    if (!accepted || name.isEmpty())
        return;
    const QString path = joinPath(folder, name);
    QString error;
    if (!q->createFile(path, {}, &error)) {
        QMessageBox::warning(q, CodeWorkspace::tr("New File"), error);
        return;
    }
    q->openFile(path);
}

void CodeWorkspace::Impl::promptNewFolder(const QString &folder)
{
    bool accepted = false;
    const QString label = folder.isEmpty() ? CodeWorkspace::tr("Folder name:")
                                           : CodeWorkspace::tr("Folder name in %1/:").arg(folder);
    QString name = QInputDialog::getText(q, CodeWorkspace::tr("New Folder"), label,
                                         QLineEdit::Normal, QString(), &accepted)
                       .trimmed();
    if (!accepted || name.isEmpty())
        return;
    QString error;
    if (!q->createFolder(joinPath(folder, name), &error))
        QMessageBox::warning(q, CodeWorkspace::tr("New Folder"), error);
}

void CodeWorkspace::Impl::promptRename(const QString &path)
{
    bool accepted = false;
    const QString name = QInputDialog::getText(q, CodeWorkspace::tr("Rename"),
                                               CodeWorkspace::tr("New name for %1:").arg(path),
                                               QLineEdit::Normal, QFileInfo(path).fileName(),
                                               &accepted)
                             .trimmed();
    if (!accepted || name.isEmpty())
        return;
    QString error;
    if (!q->renamePath(path, joinPath(parentOf(path), name), &error))
        QMessageBox::warning(q, CodeWorkspace::tr("Rename"), error);
}

void CodeWorkspace::Impl::promptDelete(const QString &path)
{
    const QString question =
        model->isFolderPath(path)
            ? CodeWorkspace::tr("Delete the folder '%1' and everything in it?").arg(path)
            : CodeWorkspace::tr("Delete '%1'?").arg(path);
    const auto answer =
        QMessageBox::question(q, CodeWorkspace::tr("Delete"),
                              question + QLatin1Char('\n') +
                                  CodeWorkspace::tr("The deletion is part of the next deploy."),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        q->removePath(path);
}

void CodeWorkspace::Impl::revealInTree(const QString &path)
{
    const QModelIndex index = model->indexForPath(path);
    if (!index.isValid())
        return;
    for (QModelIndex parent = index.parent(); parent.isValid(); parent = parent.parent())
        tree->expand(parent);
    tree->setCurrentIndex(index);
    tree->scrollTo(index);
}

QString CodeWorkspace::Impl::defaultNewFileName() const
{
    if (languageHint == QLatin1String("python"))
        return QStringLiteral("untitled.py");
    if (languageHint == QLatin1String("node"))
        return QStringLiteral("untitled.mjs");
    return QStringLiteral("untitled.txt");
}

} // namespace lambdesk::editor
