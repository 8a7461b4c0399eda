// CodeWorkspace: loading, editing, saving and changing files through the public API.

#include "qtapplication.h"

#include <lambdesk/editor/codedocument.h>
#include <lambdesk/editor/codeworkspace.h>

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAction>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <functional>
#include <memory>

using lambdesk::editor::CodeDocument;
using lambdesk::editor::CodeView;
using lambdesk::editor::CodeWorkspace;
using lambdesk::editor::EditorFile;
using lambdesk::editor::Language;
using lambdesk::editor::test::editorWidget;
using lambdesk::editor::test::typeText;

namespace {

const QByteArray kHandler = "def lambda_handler(event, context):\n    return 1\n";
const QByteArray kBinary("\x89PNG\r\n\x1a\n\0\0\xff\xfe", 12);

QList<EditorFile> sampleFiles()
{
    return {{QStringLiteral("lambda_function.py"), kHandler, false},
            {QStringLiteral("lib/util.py"), "X = 1\n", false},
            {QStringLiteral("lib/deep/data.json"), "{\"a\": 1}\r\n", false},
            {QStringLiteral("bootstrap"), "#!/bin/sh\n", true},
            {QStringLiteral("logo.png"), kBinary, false}};
}

QByteArray contentOf(const CodeWorkspace &workspace, const QString &path)
{
    for (const EditorFile &file : workspace.files()) {
        if (file.path == path)
            return file.content;
    }
    return "<missing>";
}

bool hasFile(const CodeWorkspace &workspace, const QString &path)
{
    return contentOf(workspace, path) != "<missing>";
}

struct Fixture {
    CodeWorkspace workspace;
    std::unique_ptr<QAbstractItemModelTester> tester;

    Fixture()
    {
        workspace.resize(1100, 700);
        workspace.setFiles(sampleFiles());
        // Fatal: a broken model signal sequence aborts the test binary, failing the test.
        tester = std::make_unique<QAbstractItemModelTester>(
            tree()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    }
    QTreeView *tree() const
    {
        return workspace.findChild<QTreeView *>(QStringLiteral("environmentTree"));
    }
    QTabWidget *tabs() const
    {
        return workspace.findChild<QTabWidget *>(QStringLiteral("editorTabs"));
    }
    void type(const QString &text) const
    {
        typeText(editorWidget(workspace.currentView()->widget()), text);
    }
    bool treeShows(const QString &name) const
    {
        const auto *model = tree()->model();
        return !model->match(model->index(0, 0), Qt::DisplayRole, name, 1,
                             Qt::MatchExactly | Qt::MatchRecursive)
                    .isEmpty();
    }
};

// Runs step once the widget it waits for exists, from a timer that fires inside the modal loop
// of the menu or dialog under test; a widget that never shows fails the test instead of hanging.
// Polls by timer, never by a nested qWait, which would trap one poller under another's dialog.
template <typename Widget>
void whenShown(std::function<Widget *()> find, std::function<void(Widget *)> step, int tries = 500,
               int delay = 0)
{
    QTimer::singleShot(delay, [=] {
        if (Widget *widget = find()) {
            step(widget);
        } else if (tries > 0) {
            whenShown(find, step, tries - 1, 5);
        } else {
            ADD_FAILURE() << "the expected menu or dialog never appeared";
            if (QWidget *popup = QApplication::activePopupWidget())
                popup->close();
        }
    });
}

QMenu *openMenu()
{
    return qobject_cast<QMenu *>(QApplication::activePopupWidget());
}

template <typename Dialog> Dialog *openDialog()
{
    return qobject_cast<Dialog *>(QApplication::activeModalWidget());
}

// Picks text from the tree's context menu at the row showing name ("" for empty space).
void chooseFromContextMenu(QTreeView *tree, const QString &name, const QString &text)
{
    QPoint position(5, tree->viewport()->height() - 5);
    if (!name.isEmpty()) {
        const auto *model = tree->model();
        const QModelIndexList hits = model->match(model->index(0, 0), Qt::DisplayRole, name, 1,
                                                  Qt::MatchExactly | Qt::MatchRecursive);
        ASSERT_EQ(hits.size(), 1) << name.toStdString();
        position = tree->visualRect(hits.first()).center();
    }
    whenShown<QMenu>(openMenu, [text](QMenu *menu) {
        for (QAction *action : menu->actions()) {
            if (action->text() == text && action->isEnabled()) {
                menu->hide();
                action->trigger();
                return;
            }
        }
        ADD_FAILURE() << "no enabled menu entry " << text.toStdString();
        menu->hide();
    });
    emit tree->customContextMenuRequested(position);
}

} // namespace

TEST(CodeWorkspace, SetFilesLoadsEverythingUnmodified)
{
    Fixture f;
    const QList<EditorFile> files = f.workspace.files();
    ASSERT_EQ(files.size(), 5);
    EXPECT_EQ(files.at(0).path, QStringLiteral("bootstrap")) << "sorted by path";
    EXPECT_TRUE(files.at(0).executable);
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("logo.png")), kBinary);
    EXPECT_FALSE(f.workspace.isModified());
    EXPECT_EQ(f.workspace.currentView(), nullptr);
    EXPECT_TRUE(f.treeShows(QStringLiteral("lib")));
    EXPECT_TRUE(f.treeShows(QStringLiteral("data.json")));
}

// A published version's code: readable, openable, searchable, never changed by typing or the
// tree's actions.
TEST(CodeWorkspace, ReadOnlyRefusesEditsAndFileActions)
{
    CodeWorkspace workspace;
    workspace.setFiles(sampleFiles());
    workspace.setReadOnly(true);
    ASSERT_TRUE(workspace.openFile(QStringLiteral("lambda_function.py")));
    typeText(editorWidget(workspace.currentView()->widget()), QStringLiteral("x = 1\n"));
    EXPECT_FALSE(workspace.isModified());
    EXPECT_EQ(contentOf(workspace, QStringLiteral("lambda_function.py")), kHandler);
    QString error;
    EXPECT_FALSE(workspace.createFile(QStringLiteral("new.py"), {}, &error));
    EXPECT_EQ(error, QStringLiteral("This code is read-only."));
    EXPECT_FALSE(workspace.removePath(QStringLiteral("lib/util.py")));
    EXPECT_FALSE(workspace.renamePath(QStringLiteral("lib/util.py"), QStringLiteral("u.py")));

    // Editable again, including the tab that was open while it was read-only.
    workspace.setReadOnly(false);
    typeText(editorWidget(workspace.currentView()->widget()), QStringLiteral("x = 1\n"));
    EXPECT_TRUE(workspace.isModified());
}

TEST(CodeWorkspace, EditShowsInFilesAndMarkAllSavedClears)
{
    Fixture f;
    QSignalSpy modified(&f.workspace, &CodeWorkspace::modifiedChanged);
    QSignalSpy current(&f.workspace, &CodeWorkspace::currentFileChanged);
    ASSERT_TRUE(f.workspace.openFile(QStringLiteral("lambda_function.py")));
    ASSERT_EQ(current.count(), 1);
    EXPECT_EQ(current.at(0).at(0).toString(), QStringLiteral("lambda_function.py"));
    EXPECT_EQ(f.workspace.currentFile(), QStringLiteral("lambda_function.py"));
    EXPECT_EQ(f.workspace.currentView()->document()->language(), Language::Python);

    f.type(QStringLiteral("import os\n"));
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("lambda_function.py")),
              "import os\n" + kHandler);
    EXPECT_TRUE(f.workspace.isModified());
    ASSERT_EQ(modified.count(), 1);
    EXPECT_TRUE(modified.at(0).at(0).toBool());
    EXPECT_TRUE(f.tabs()->tabText(0).contains(QStringLiteral("\u2022"))) << "unsaved marker";

    f.workspace.markAllSaved();
    EXPECT_FALSE(f.workspace.isModified());
    ASSERT_EQ(modified.count(), 2);
    EXPECT_FALSE(modified.at(1).at(0).toBool());
    EXPECT_EQ(f.tabs()->tabText(0), QStringLiteral("lambda_function.py"));
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("lambda_function.py")),
              "import os\n" + kHandler);
}

TEST(CodeWorkspace, ClosingATabKeepsTheEdit)
{
    Fixture f;
    f.workspace.openFile(QStringLiteral("lib/util.py"));
    f.type(QStringLiteral("# note\n"));
    QWidget *close = f.tabs()->tabBar()->tabButton(0, QTabBar::RightSide);
    ASSERT_NE(close, nullptr);
    QTest::mouseClick(close, Qt::LeftButton);
    EXPECT_EQ(f.tabs()->count(), 0);
    EXPECT_EQ(f.workspace.currentView(), nullptr);
    EXPECT_TRUE(f.workspace.isModified());
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("lib/util.py")), "# note\nX = 1\n");
    f.workspace.openFile(QStringLiteral("lib/util.py"));
    EXPECT_TRUE(f.tabs()->tabText(0).contains(QStringLiteral("\u2022")));
}

TEST(CodeWorkspace, OpenedButUneditedFilesAreByteExact)
{
    Fixture f;
    for (const EditorFile &file : sampleFiles())
        ASSERT_TRUE(f.workspace.openFile(file.path)) << file.path.toStdString();
    EXPECT_EQ(f.tabs()->count(), 5);
    EXPECT_FALSE(f.workspace.isModified());
    EXPECT_EQ(f.workspace.files().size(), 5);
    for (const EditorFile &file : sampleFiles())
        EXPECT_EQ(contentOf(f.workspace, file.path), file.content) << file.path.toStdString();
    f.workspace.openFile(QStringLiteral("logo.png"));
    f.type(QStringLiteral("x")); // read-only
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("logo.png")), kBinary);
    EXPECT_FALSE(f.workspace.isModified());
    EXPECT_FALSE(f.workspace.openFile(QStringLiteral("no/such/file")));
}

TEST(CodeWorkspace, NewFileAppearsInFilesAndTree)
{
    Fixture f;
    QString error;
    ASSERT_TRUE(f.workspace.createFile(QStringLiteral("lib/new_module.py"), "Y = 2\n", &error))
        << error.toStdString();
    EXPECT_TRUE(hasFile(f.workspace, QStringLiteral("lib/new_module.py")));
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("lib/new_module.py")), "Y = 2\n");
    EXPECT_TRUE(f.treeShows(QStringLiteral("new_module.py")));
    EXPECT_TRUE(f.workspace.isModified());
    ASSERT_TRUE(f.workspace.createFile(QStringLiteral("src/handlers/empty.mjs")));
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("src/handlers/empty.mjs")), QByteArray());
    EXPECT_TRUE(f.treeShows(QStringLiteral("handlers")));
    f.workspace.markAllSaved();
    EXPECT_FALSE(f.workspace.isModified());
    EXPECT_EQ(f.workspace.files().size(), 7);
}

TEST(CodeWorkspace, CreatingThenDeletingAFileIsNoChange)
{
    Fixture f;
    ASSERT_TRUE(f.workspace.createFile(QStringLiteral("tmp.txt")));
    f.workspace.openFile(QStringLiteral("tmp.txt"));
    ASSERT_TRUE(f.workspace.isModified());
    ASSERT_TRUE(f.workspace.removePath(QStringLiteral("tmp.txt")));
    EXPECT_FALSE(f.workspace.isModified());
    EXPECT_EQ(f.tabs()->count(), 0);
    EXPECT_FALSE(f.treeShows(QStringLiteral("tmp.txt")));
}

TEST(CodeWorkspace, RejectsBadPaths)
{
    Fixture f;
    const char *bad[] = {"", "/abs.py", "a/../b.py", "./x.py", "a//b.py", "dir/", "a\\b.py",
                         "lambda_function.py", "lib", "bootstrap/inner.sh"};
    for (const char *path : bad) {
        QString error;
        EXPECT_FALSE(f.workspace.createFile(QString::fromUtf8(path), {}, &error)) << path;
        EXPECT_FALSE(error.isEmpty()) << path;
    }
    QString error;
    EXPECT_FALSE(f.workspace.createFolder(QStringLiteral("lib/deep"), &error));
    EXPECT_FALSE(f.workspace.renamePath(QStringLiteral("missing.py"), QStringLiteral("x.py")));
    EXPECT_FALSE(f.workspace.renamePath(QStringLiteral("lib"), QStringLiteral("lib/deep/lib")));
    EXPECT_FALSE(
        f.workspace.renamePath(QStringLiteral("lib/util.py"), QStringLiteral("bootstrap")));
    EXPECT_FALSE(f.workspace.removePath(QStringLiteral("missing.py")));
    EXPECT_FALSE(f.workspace.isModified());
    EXPECT_EQ(f.workspace.files().size(), 5);
}

TEST(CodeWorkspace, RenameKeepsEditsTabAndFlags)
{
    Fixture f;
    f.workspace.openFile(QStringLiteral("lib/util.py"));
    f.type(QStringLiteral("{}"));
    QSignalSpy current(&f.workspace, &CodeWorkspace::currentFileChanged);
    ASSERT_TRUE(
        f.workspace.renamePath(QStringLiteral("lib/util.py"), QStringLiteral("lib/util.json")));
    EXPECT_FALSE(hasFile(f.workspace, QStringLiteral("lib/util.py")));
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("lib/util.json")), "{}X = 1\n");
    EXPECT_EQ(f.workspace.currentFile(), QStringLiteral("lib/util.json"));
    ASSERT_GE(current.count(), 1);
    EXPECT_EQ(current.last().at(0).toString(), QStringLiteral("lib/util.json"));
    EXPECT_EQ(f.workspace.currentView()->document()->language(), Language::Json);
    EXPECT_TRUE(f.tabs()->tabText(0).startsWith(QStringLiteral("util.json")));

    ASSERT_TRUE(
        f.workspace.renamePath(QStringLiteral("bootstrap"), QStringLiteral("bin/bootstrap")));
    bool executable = false;
    for (const EditorFile &file : f.workspace.files())
        executable |= file.path == QStringLiteral("bin/bootstrap") && file.executable;
    EXPECT_TRUE(executable);
}

TEST(CodeWorkspace, RenamingBackIsNoChange)
{
    Fixture f;
    ASSERT_TRUE(f.workspace.renamePath(QStringLiteral("lib"), QStringLiteral("src")));
    EXPECT_TRUE(f.workspace.isModified());
    EXPECT_TRUE(hasFile(f.workspace, QStringLiteral("src/deep/data.json")));
    EXPECT_TRUE(f.treeShows(QStringLiteral("src")));
    EXPECT_FALSE(f.treeShows(QStringLiteral("lib")));
    ASSERT_TRUE(f.workspace.renamePath(QStringLiteral("src"), QStringLiteral("lib")));
    EXPECT_FALSE(f.workspace.isModified());
}

TEST(CodeWorkspace, RemovingAFolderRemovesItsFilesAndTabs)
{
    Fixture f;
    f.workspace.openFile(QStringLiteral("lib/deep/data.json"));
    f.workspace.openFile(QStringLiteral("bootstrap"));
    QSignalSpy modified(&f.workspace, &CodeWorkspace::modifiedChanged);
    ASSERT_TRUE(f.workspace.removePath(QStringLiteral("lib")));
    EXPECT_EQ(f.workspace.files().size(), 3);
    EXPECT_EQ(f.tabs()->count(), 1);
    EXPECT_EQ(f.workspace.currentFile(), QStringLiteral("bootstrap"));
    EXPECT_TRUE(f.workspace.isModified());
    EXPECT_EQ(modified.count(), 1);
    EXPECT_FALSE(f.treeShows(QStringLiteral("util.py")));
}

TEST(CodeWorkspace, DocumentCanBackASecondView)
{
    Fixture f;
    f.workspace.openFile(QStringLiteral("lib/util.py"));
    CodeDocument *document = f.workspace.document(QStringLiteral("lib/util.py"));
    ASSERT_EQ(document, f.workspace.currentView()->document());
    QWidget other;
    CodeView *diff = CodeView::create(document, &other);
    typeText(editorWidget(diff->widget()), QStringLiteral("Z = 0\n"));
    EXPECT_TRUE(f.workspace.isModified());
    EXPECT_EQ(contentOf(f.workspace, QStringLiteral("lib/util.py")), "Z = 0\nX = 1\n");
    EXPECT_EQ(f.workspace.document(QStringLiteral("nope")), nullptr);
}

TEST(CodeWorkspace, SetFilesReplacesEverything)
{
    Fixture f;
    f.workspace.openFile(QStringLiteral("lambda_function.py"));
    f.type(QStringLiteral("x"));
    QSignalSpy modified(&f.workspace, &CodeWorkspace::modifiedChanged);
    QSignalSpy current(&f.workspace, &CodeWorkspace::currentFileChanged);
    f.workspace.setFiles({{QStringLiteral("index.mjs"), "export const handler = 1;\n", false}});
    EXPECT_FALSE(f.workspace.isModified());
    EXPECT_EQ(modified.count(), 1);
    EXPECT_EQ(f.tabs()->count(), 0);
    ASSERT_GE(current.count(), 1);
    EXPECT_EQ(current.last().at(0).toString(), QString());
    EXPECT_EQ(f.workspace.files().size(), 1);
    EXPECT_TRUE(f.treeShows(QStringLiteral("index.mjs")));
}

TEST(CodeWorkspace, RootNameShowsOneTopFolder)
{
    Fixture f;
    f.workspace.setRootName(QStringLiteral("my-function"));
    const auto *model = f.tree()->model();
    ASSERT_EQ(model->rowCount(), 1);
    EXPECT_EQ(model->index(0, 0).data().toString(), QStringLiteral("my-function"));
    EXPECT_TRUE(f.tree()->isExpanded(model->index(0, 0)));
    ASSERT_TRUE(f.workspace.createFile(QStringLiteral("extra.py")));
    EXPECT_TRUE(f.treeShows(QStringLiteral("extra.py")));
    EXPECT_TRUE(hasFile(f.workspace, QStringLiteral("extra.py")));
    f.workspace.setRootName(QString());
    EXPECT_EQ(model->rowCount(), 5) << "lib, bootstrap, extra.py, lambda_function.py, logo.png";
}

TEST(CodeWorkspace, ClickingAFileInTheTreeOpensIt)
{
    Fixture f;
    f.workspace.show();
    const auto *model = f.tree()->model();
    const QModelIndexList hits = model->match(model->index(0, 0), Qt::DisplayRole,
                                              QStringLiteral("bootstrap"), 1, Qt::MatchExactly);
    ASSERT_EQ(hits.size(), 1);
    QSignalSpy current(&f.workspace, &CodeWorkspace::currentFileChanged);
    QTest::mouseClick(f.tree()->viewport(), Qt::LeftButton, {},
                      f.tree()->visualRect(hits.first()).center());
    EXPECT_EQ(f.workspace.currentFile(), QStringLiteral("bootstrap"));
    EXPECT_EQ(current.count(), 1);
    EXPECT_EQ(f.workspace.currentView()->document()->language(), Language::Shell);
}

TEST(CodeWorkspace, CtrlFOpensFindForTheCurrentViewFromTreeOrEditor)
{
    Fixture f;
    f.workspace.show();
    f.workspace.activateWindow();
    if (!QTest::qWaitForWindowActive(&f.workspace))
        GTEST_SKIP() << "the platform plugin never activated the window; shortcuts need it";
    ASSERT_TRUE(f.workspace.openFile(QStringLiteral("lambda_function.py")));
    auto *bar =
        f.workspace.currentView()->widget()->findChild<QWidget *>(QStringLiteral("findBar"));
    ASSERT_NE(bar, nullptr);

    f.tree()->setFocus();
    QTest::keyClick(f.tree(), Qt::Key_F, Qt::ControlModifier);
    EXPECT_TRUE(bar->isVisible()) << "from the tree";
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    EXPECT_FALSE(bar->isVisible());

    QWidget *editor = editorWidget(f.workspace.currentView()->widget());
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_F, Qt::ControlModifier);
    EXPECT_TRUE(bar->isVisible()) << "from the editor";
}

TEST(CodeWorkspace, ContextMenuCreatesRenamesAndDeletes)
{
    Fixture f;
    f.workspace.setLanguageHint(QStringLiteral("python3.12"));
    f.workspace.show();

    whenShown<QInputDialog>(openDialog<QInputDialog>, [](QInputDialog *dialog) {
        EXPECT_EQ(dialog->textValue(), QStringLiteral("untitled.py")) << "from the language hint";
        dialog->setTextValue(QStringLiteral("helpers.py"));
        dialog->accept();
    });
    chooseFromContextMenu(f.tree(), QStringLiteral("util.py"), QStringLiteral("New File"));
    EXPECT_TRUE(hasFile(f.workspace, QStringLiteral("lib/helpers.py"))) << "in the clicked file's folder";
    EXPECT_EQ(f.workspace.currentFile(), QStringLiteral("lib/helpers.py"));

    whenShown<QInputDialog>(openDialog<QInputDialog>, [](QInputDialog *dialog) {
        dialog->setTextValue(QStringLiteral("tools"));
        dialog->accept();
    });
    chooseFromContextMenu(f.tree(), QString(), QStringLiteral("New Folder"));
    EXPECT_TRUE(f.treeShows(QStringLiteral("tools")));

    whenShown<QInputDialog>(openDialog<QInputDialog>, [](QInputDialog *dialog) {
        EXPECT_EQ(dialog->textValue(), QStringLiteral("helpers.py"));
        dialog->setTextValue(QStringLiteral("helper.py"));
        dialog->accept();
    });
    chooseFromContextMenu(f.tree(), QStringLiteral("helpers.py"), QStringLiteral("Rename"));
    EXPECT_TRUE(hasFile(f.workspace, QStringLiteral("lib/helper.py")));
    EXPECT_FALSE(hasFile(f.workspace, QStringLiteral("lib/helpers.py")));

    whenShown<QMessageBox>(openDialog<QMessageBox>, [](QMessageBox *box) {
        box->button(QMessageBox::Yes)->click();
    });
    chooseFromContextMenu(f.tree(), QStringLiteral("lib"), QStringLiteral("Delete"));
    EXPECT_FALSE(hasFile(f.workspace, QStringLiteral("lib/helper.py")));
    EXPECT_FALSE(hasFile(f.workspace, QStringLiteral("lib/util.py")));
    EXPECT_EQ(f.tabs()->count(), 0);
    EXPECT_TRUE(f.workspace.isModified());
}
