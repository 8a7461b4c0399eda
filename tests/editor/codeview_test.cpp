// CodeView: find, replace, the find bar, go to line, diagnostics.

#include "qtapplication.h"

#include <lambdesk/editor/codedocument.h>
#include <lambdesk/editor/codeworkspace.h>

#include <Qsci/qsciscintilla.h>

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QToolButton>

using lambdesk::editor::CodeDocument;
using lambdesk::editor::CodeView;
using lambdesk::editor::Diagnostic;
using lambdesk::editor::Language;
using lambdesk::editor::test::editorWidget;
using lambdesk::editor::test::typeText;

namespace {

struct Fixture {
    CodeDocument document;
    QWidget window;
    CodeView *view = nullptr;

    explicit Fixture(const QString &text, Language language = Language::PlainText)
    {
        document.setLanguage(language);
        document.setText(text);
        view = CodeView::create(&document, &window);
        window.resize(700, 400);
    }
    QsciScintilla *editor() const
    {
        return qobject_cast<QsciScintilla *>(editorWidget(view->widget()));
    }
    template <typename T> T *child(const char *name) const
    {
        return view->widget()->findChild<T *>(QString::fromLatin1(name));
    }
};

} // namespace

TEST(CodeView, FindNextMovesForwardAndWraps)
{
    Fixture f(QStringLiteral("one\ntwo\nOne\n"));
    ASSERT_TRUE(f.view->findNext(QStringLiteral("one")));
    EXPECT_EQ(f.view->cursorLine(), 1);
    ASSERT_TRUE(f.view->findNext(QStringLiteral("one")));
    EXPECT_EQ(f.view->cursorLine(), 3) << "case-insensitive by default";
    ASSERT_TRUE(f.view->findNext(QStringLiteral("one")));
    EXPECT_EQ(f.view->cursorLine(), 1) << "wraps to the top";
    ASSERT_TRUE(f.view->findNext(QStringLiteral("One"), true));
    EXPECT_EQ(f.view->cursorLine(), 3);
    EXPECT_FALSE(f.view->findNext(QStringLiteral("ONE"), true));
    EXPECT_FALSE(f.view->findNext(QStringLiteral("missing")));
    EXPECT_FALSE(f.view->findNext(QString()));
    EXPECT_TRUE(f.view->findNext(QStringLiteral("e\ntwo"))) << "plain text across a line end";
    EXPECT_EQ(f.view->cursorLine(), 2) << "the cursor sits at the match end";
}

TEST(CodeView, FindIsPlainTextNotRegex)
{
    Fixture f(QStringLiteral("a.c abc a.c"));
    EXPECT_EQ(f.view->replaceAll(QStringLiteral("a.c"), QStringLiteral("X")), 2);
    EXPECT_EQ(f.document.text(), QStringLiteral("X abc X"));
}

TEST(CodeView, ReplaceAllCountsAndRespectsCase)
{
    Fixture f(QStringLiteral("foo Foo foo\nfoo"));
    EXPECT_EQ(f.view->replaceAll(QStringLiteral("foo"), QStringLiteral("bar"), true), 3);
    EXPECT_EQ(f.document.text(), QStringLiteral("bar Foo bar\nbar"));
    EXPECT_EQ(f.view->replaceAll(QStringLiteral("FOO"), QStringLiteral("baz")), 1);
    EXPECT_EQ(f.view->replaceAll(QStringLiteral("nothing"), QStringLiteral("x")), 0);
    EXPECT_EQ(f.view->replaceAll(QString(), QStringLiteral("x")), 0);
    EXPECT_TRUE(f.document.isModified());
}

TEST(CodeView, ReplaceAllWithTextContainingTheSearchTerminates)
{
    Fixture f(QStringLiteral("aaa"));
    EXPECT_EQ(f.view->replaceAll(QStringLiteral("a"), QStringLiteral("aa")), 3);
    EXPECT_EQ(f.document.text(), QStringLiteral("aaaaaa"));
}

TEST(CodeView, ReplaceAllHandlesMultibyteText)
{
    Fixture f(QStringLiteral("café → café"));
    EXPECT_EQ(f.view->replaceAll(QStringLiteral("CAFÉ"), QStringLiteral("tea")), 2);
    EXPECT_EQ(f.document.text(), QStringLiteral("tea → tea"));
}

TEST(CodeView, ReplaceAllIsOneUndoStep)
{
    Fixture f(QStringLiteral("x x x"));
    ASSERT_EQ(f.view->replaceAll(QStringLiteral("x"), QStringLiteral("y")), 3);
    QTest::keyClick(f.editor(), Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(f.document.text(), QStringLiteral("x x x"));
    EXPECT_FALSE(f.document.isModified());
}

TEST(CodeView, ReadOnlyViewDoesNotReplace)
{
    Fixture f(QStringLiteral("keep"));
    f.view->setReadOnly(true);
    EXPECT_EQ(f.view->replaceAll(QStringLiteral("keep"), QStringLiteral("lose")), 0);
    QTest::keyClicks(f.editor(), QStringLiteral("typed"));
    EXPECT_EQ(f.document.text(), QStringLiteral("keep"));
}

TEST(CodeView, GoToLineClampsAndReportsTheLine)
{
    QString text;
    for (int i = 1; i <= 10; ++i)
        text += QStringLiteral("line %1\n").arg(i);
    Fixture f(text.chopped(1));
    f.view->goToLine(5);
    EXPECT_EQ(f.view->cursorLine(), 5);
    f.view->goToLine(99);
    EXPECT_EQ(f.view->cursorLine(), 10);
    f.view->goToLine(0);
    EXPECT_EQ(f.view->cursorLine(), 1);
}

TEST(CodeView, IndentationFollowsLanguage)
{
    Fixture python(QString(), Language::Python);
    EXPECT_EQ(python.editor()->tabWidth(), 4);
    EXPECT_FALSE(python.editor()->indentationsUseTabs());
    Fixture json(QString(), Language::Json);
    EXPECT_EQ(json.editor()->tabWidth(), 2);
    json.document.setLanguage(Language::Shell);
    EXPECT_EQ(json.editor()->tabWidth(), 4) << "a language change re-applies the settings";
    EXPECT_NE(json.editor()->lexer(), nullptr);
}

TEST(CodeView, AutoIndentKeepsThePreviousIndent)
{
    Fixture f(QString(), Language::Python);
    QTest::keyClicks(f.editor(), QStringLiteral("    x = 1"));
    QTest::keyClick(f.editor(), Qt::Key_Return);
    QTest::keyClicks(f.editor(), QStringLiteral("y"));
    EXPECT_EQ(f.document.text(), QStringLiteral("    x = 1\n    y"));
}

TEST(CodeView, FindBarCountsMatchesAndReplaces)
{
    Fixture f(QStringLiteral("alpha beta alpha gamma alpha"));
    f.window.show();
    f.view->showFind();
    auto *bar = f.child<QWidget>("findBar");
    auto *field = f.child<QLineEdit>("findField");
    auto *count = f.child<QLabel>("matchCount");
    ASSERT_TRUE(bar && field && count);
    EXPECT_TRUE(bar->isVisible());

    field->setText(QStringLiteral("alpha"));
    EXPECT_EQ(count->text(), QStringLiteral("1 of 3"));
    QTest::mouseClick(f.child<QToolButton>("findNext"), Qt::LeftButton);
    EXPECT_EQ(count->text(), QStringLiteral("2 of 3"));
    QTest::mouseClick(f.child<QToolButton>("findPrevious"), Qt::LeftButton);
    EXPECT_EQ(count->text(), QStringLiteral("1 of 3"));
    field->setText(QStringLiteral("omega"));
    EXPECT_EQ(count->text(), QStringLiteral("No results"));

    field->setText(QStringLiteral("alpha"));
    f.child<QLineEdit>("replaceField")->setText(QStringLiteral("A"));
    QTest::mouseClick(f.child<QToolButton>("replaceOne"), Qt::LeftButton);
    EXPECT_EQ(f.document.text(), QStringLiteral("A beta alpha gamma alpha"));
    EXPECT_EQ(count->text(), QStringLiteral("1 of 2"));
    QTest::mouseClick(f.child<QToolButton>("replaceAll"), Qt::LeftButton);
    EXPECT_EQ(f.document.text(), QStringLiteral("A beta A gamma A"));
    EXPECT_EQ(count->text(), QStringLiteral("No results"));

    f.child<QCheckBox>("matchCase")->setChecked(true);
    field->setText(QStringLiteral("a"));
    EXPECT_TRUE(count->text().endsWith(QStringLiteral(" of 3"))) << "only beta's and gamma's a";
}

TEST(CodeView, CtrlFOpensTheFindBarAndEscapeClosesIt)
{
    Fixture f(QStringLiteral("needle in a haystack"));
    f.window.show();
    f.window.activateWindow();
    if (!QTest::qWaitForWindowActive(&f.window))
        GTEST_SKIP() << "the platform plugin never activated the window; shortcuts need it";
    f.editor()->setFocus();
    f.editor()->setSelection(0, 0, 0, 6);
    QTest::keyClick(f.editor(), Qt::Key_F, Qt::ControlModifier);
    auto *field = f.child<QLineEdit>("findField");
    ASSERT_TRUE(f.child<QWidget>("findBar")->isVisible());
    EXPECT_EQ(field->text(), QStringLiteral("needle")) << "seeded from the selection";
    EXPECT_TRUE(field->hasFocus());
    QTest::keyClick(field, Qt::Key_Escape);
    EXPECT_FALSE(f.child<QWidget>("findBar")->isVisible());
}

TEST(CodeView, DiagnosticsMarkLinesAndClear)
{
    Fixture f(QStringLiteral("{\n  \"a\": 1\n  \"b\": 2\n}\n"), Language::Json);
    QsciScintilla *editor = f.editor();
    f.view->setDiagnostics({{3, 3, QStringLiteral("Expected ',' before \"b\"")},
                            {3, 0, QStringLiteral("second message")},
                            {99, 5, QStringLiteral("past the end")},
                            {-4, -1, QString()},
                            {2, 500, QStringLiteral("column past the line end")}});
    EXPECT_NE(editor->markersAtLine(2), 0u);
    EXPECT_EQ(editor->annotation(2),
              QStringLiteral("Expected ',' before \"b\"\nsecond message"));
    EXPECT_FALSE(editor->annotation(editor->lines() - 1).isEmpty()) << "clamped to the last line";
    EXPECT_NE(editor->markersAtLine(0), 0u) << "clamped to the first line";
    EXPECT_EQ(editor->annotation(1), QStringLiteral("column past the line end"));
    EXPECT_FALSE(f.document.isModified()) << "diagnostics are not edits";

    // A second view of the document shows the same diagnostics.
    CodeView *other = CodeView::create(&f.document, &f.window);
    auto *otherEditor = qobject_cast<QsciScintilla *>(editorWidget(other->widget()));
    EXPECT_NE(otherEditor->markersAtLine(2), 0u);

    f.view->setDiagnostics({});
    for (int line = 0; line < editor->lines(); ++line) {
        EXPECT_EQ(editor->markersAtLine(line), 0u) << line;
        EXPECT_TRUE(editor->annotation(line).isEmpty()) << line;
    }
    EXPECT_FALSE(f.document.isModified());
}

TEST(CodeView, DiagnosticsOnAnEmptyDocument)
{
    Fixture f(QString(), Language::Json);
    f.view->setDiagnostics({{1, 1, QStringLiteral("Unexpected end of JSON input")}});
    EXPECT_EQ(f.editor()->annotation(0), QStringLiteral("Unexpected end of JSON input"));
    f.view->setDiagnostics({});
    EXPECT_TRUE(f.editor()->annotation(0).isEmpty());
}

// The workspace keeps diagnostics by file: a file opened after they were set shows them, and
// setting an empty set clears every open view.
TEST(CodeView, WorkspaceDiagnosticsReachFilesOpenedLater)
{
    lambdesk::editor::CodeWorkspace workspace;
    workspace.resize(900, 600);
    workspace.setFiles({{QStringLiteral("src/A.java"), "class A {\n  int x = y;\n}\n", false},
                        {QStringLiteral("main.go"), "package main\n\nfunc main() {}\n", false}});
    ASSERT_TRUE(workspace.openFile(QStringLiteral("main.go")));
    workspace.setDiagnostics(
        {{QStringLiteral("src/A.java"), {{2, 11, QStringLiteral("cannot find symbol")}}}});
    auto *goEditor = qobject_cast<QsciScintilla *>(editorWidget(workspace.currentView()->widget()));
    EXPECT_EQ(goEditor->markersAtLine(1), 0u) << "main.go has none";

    ASSERT_TRUE(workspace.openFile(QStringLiteral("src/A.java")));
    auto *javaEditor =
        qobject_cast<QsciScintilla *>(editorWidget(workspace.currentView()->widget()));
    EXPECT_NE(javaEditor->markersAtLine(1), 0u);
    EXPECT_EQ(javaEditor->annotation(1), QStringLiteral("cannot find symbol"));

    workspace.setDiagnostics({});
    EXPECT_EQ(javaEditor->markersAtLine(1), 0u);
    EXPECT_TRUE(javaEditor->annotation(1).isEmpty());
}
