// CodeDocument: language table, modified flag and signals, views sharing one document.

#include "qtapplication.h"

#include <lambdesk/editor/codedocument.h>

#include <QSignalSpy>
#include <QTest>

#include <memory>

using lambdesk::editor::CodeDocument;
using lambdesk::editor::CodeView;
using lambdesk::editor::Language;
using lambdesk::editor::languageForFileName;
using lambdesk::editor::test::editorWidget;
using lambdesk::editor::test::typeText;

TEST(CodeDocument, LanguageForFileNameTable)
{
    const struct {
        const char *name;
        Language language;
    } cases[] = {
        {"lambda_function.py", Language::Python},
        {"src/Handler.PY", Language::Python},
        {"index.mjs", Language::JavaScript},
        {"index.js", Language::JavaScript},
        {"lib/util.cjs", Language::JavaScript},
        {"handler.ts", Language::JavaScript},
        {"event.json", Language::Json},
        {"package-lock.json", Language::Json},
        {"bootstrap", Language::Shell},
        {"bin/bootstrap", Language::Shell},
        {"run.sh", Language::Shell},
        {"template.yaml", Language::Yaml},
        {"lambda_function.rb", Language::Ruby},
        {"Gemfile", Language::Ruby},
        {".github/ci.yml", Language::Yaml},
        {"README.md", Language::Markdown},
        {"requirements.txt", Language::PlainText},
        {"Makefile", Language::PlainText},
        {".env", Language::PlainText},
        {"layer.tar.gz", Language::PlainText},
        {"bootstrap.py", Language::Python},
        {"", Language::PlainText},
    };
    for (const auto &c : cases)
        EXPECT_EQ(languageForFileName(QString::fromUtf8(c.name)), c.language) << c.name;
}

TEST(CodeDocument, SetTextIsUnmodified)
{
    CodeDocument document;
    QSignalSpy modified(&document, &CodeDocument::modifiedChanged);
    QSignalSpy changed(&document, &CodeDocument::textChanged);
    document.setText(QStringLiteral("print('hi')\n"));
    EXPECT_EQ(document.text(), QStringLiteral("print('hi')\n"));
    EXPECT_FALSE(document.isModified());
    EXPECT_EQ(modified.count(), 0);
    EXPECT_EQ(changed.count(), 1);
}

TEST(CodeDocument, TypingMarksModifiedAndDeletingItAgainClearsIt)
{
    CodeDocument document;
    document.setText(QStringLiteral("x = 1\n"));
    QWidget host;
    CodeView *view = CodeView::create(&document, &host);
    QSignalSpy modified(&document, &CodeDocument::modifiedChanged);

    typeText(editorWidget(view->widget()), QStringLiteral("ab"));
    EXPECT_EQ(document.text(), QStringLiteral("abx = 1\n"));
    EXPECT_TRUE(document.isModified());
    ASSERT_EQ(modified.count(), 1);
    EXPECT_TRUE(modified.at(0).at(0).toBool());

    QTest::keyClick(editorWidget(view->widget()), Qt::Key_Backspace);
    EXPECT_TRUE(document.isModified());
    EXPECT_EQ(modified.count(), 1);
    QTest::keyClick(editorWidget(view->widget()), Qt::Key_Backspace);
    EXPECT_FALSE(document.isModified()) << "text equals the saved text again";
    ASSERT_EQ(modified.count(), 2);
    EXPECT_FALSE(modified.at(1).at(0).toBool());
}

TEST(CodeDocument, MarkSavedClearsModifiedAndKeepsText)
{
    CodeDocument document;
    document.setText(QStringLiteral("a"));
    QWidget host;
    CodeView *view = CodeView::create(&document, &host);
    typeText(editorWidget(view->widget()), QStringLiteral("b"));
    ASSERT_TRUE(document.isModified());
    QSignalSpy modified(&document, &CodeDocument::modifiedChanged);
    document.markSaved();
    EXPECT_FALSE(document.isModified());
    ASSERT_EQ(modified.count(), 1);
    EXPECT_FALSE(modified.at(0).at(0).toBool());
    EXPECT_EQ(document.text(), QStringLiteral("ba"));
}

TEST(CodeDocument, UndoStopsAtLoadedText)
{
    CodeDocument document;
    document.setText(QStringLiteral("loaded"));
    QWidget host;
    CodeView *view = CodeView::create(&document, &host);
    QTest::keyClick(editorWidget(view->widget()), Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(document.text(), QStringLiteral("loaded"));
    EXPECT_FALSE(document.isModified());
}

TEST(CodeDocument, LanguageChangedOnlyOnChange)
{
    CodeDocument document;
    QSignalSpy spy(&document, &CodeDocument::languageChanged);
    document.setLanguage(Language::Json);
    document.setLanguage(Language::Json);
    EXPECT_EQ(document.language(), Language::Json);
    EXPECT_EQ(spy.count(), 1);
}

TEST(CodeDocument, TwoViewsStayInSync)
{
    CodeDocument document;
    document.setLanguage(Language::Python);
    document.setText(QStringLiteral("def handler(event, context):\n    return 1\n"));
    QWidget host;
    CodeView *first = CodeView::create(&document, &host);
    CodeView *second = CodeView::create(&document, &host);
    ASSERT_NE(first->widget(), second->widget());

    typeText(editorWidget(first->widget()), QStringLiteral("# typed in first\n"));
    EXPECT_TRUE(document.text().startsWith(QStringLiteral("# typed in first\n")));
    // The second view searches the same text, so it sees the edit.
    EXPECT_TRUE(second->findNext(QStringLiteral("typed in first")));
    EXPECT_EQ(second->cursorLine(), 1);
    EXPECT_EQ(second->replaceAll(QStringLiteral("first"), QStringLiteral("second")), 1);
    EXPECT_TRUE(document.text().startsWith(QStringLiteral("# typed in second\n")));
    EXPECT_TRUE(first->findNext(QStringLiteral("typed in second")));

    delete second->widget(); // the view goes with its widget; the other keeps working
    typeText(editorWidget(first->widget()), QStringLiteral("!"));
    EXPECT_TRUE(document.text().contains(QLatin1Char('!')));
    EXPECT_TRUE(document.isModified());
}

TEST(CodeDocument, ViewOutlivingItsDocumentTurnsReadOnly)
{
    auto document = std::make_unique<CodeDocument>();
    document->setText(QStringLiteral("abc abc"));
    QWidget host;
    CodeView *view = CodeView::create(document.get(), &host);
    document.reset();
    EXPECT_EQ(view->document(), nullptr);
    EXPECT_EQ(view->replaceAll(QStringLiteral("abc"), QStringLiteral("x")), 0);
    typeText(editorWidget(view->widget()), QStringLiteral("zz")); // must not crash
}
