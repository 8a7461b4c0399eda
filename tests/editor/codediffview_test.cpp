// CodeDiffView: the changed files, each whole with removed and added lines marked and numbered
// on their side, and moving between blocks of changes.

#include "qtapplication.h"

#include <lambdesk/editor/codediffview.h>

#include <QImage>
#include <QListWidget>
#include <QTest>

using lambdesk::editor::CodeDiffView;
using lambdesk::editor::DiffLine;
using lambdesk::editor::FileDiff;
using Kind = lambdesk::editor::DiffLine::Kind;

namespace {

// app.py: line 2 replaced, line 5 added; notes.txt added; old.py deleted.
QList<FileDiff> sampleDiff()
{
    FileDiff modified{QStringLiteral("app.py"),
                      FileDiff::Change::Modified,
                      false,
                      false,
                      2,
                      1,
                      {{Kind::Context, 1, 1, QStringLiteral("def handler(event, context):")},
                       {Kind::Removed, 2, 0, QStringLiteral("    return 1")},
                       {Kind::Added, 0, 2, QStringLiteral("    return 2")},
                       {Kind::Context, 3, 3, QStringLiteral("")},
                       {Kind::Context, 4, 4, QStringLiteral("# end")},
                       {Kind::Added, 0, 5, QStringLiteral("# really")}}};
    FileDiff added{QStringLiteral("notes.txt"),
                   FileDiff::Change::Added,
                   false,
                   true,
                   1,
                   0,
                   {{Kind::Added, 0, 1, QStringLiteral("hello")}}};
    FileDiff deleted{QStringLiteral("old.bin"), FileDiff::Change::Deleted, true, false, 0, 0, {}};
    return {modified, added, deleted};
}

TEST(CodeDiffView, ShowsTheFirstFileWholeWithEachLineMarked)
{
    CodeDiffView view;
    view.setDiff(sampleDiff());
    EXPECT_EQ(view.files(), (QStringList{"app.py", "notes.txt", "old.bin"}));
    EXPECT_EQ(view.currentFile(), QStringLiteral("app.py"));
    EXPECT_EQ(view.shownText(), QStringLiteral("def handler(event, context):\n    return 1\n"
                                               "    return 2\n\n# end\n# really"));
    EXPECT_EQ(view.shownKinds(), (QList<Kind>{Kind::Context, Kind::Removed, Kind::Added,
                                              Kind::Context, Kind::Context, Kind::Added}));
    EXPECT_EQ(view.shownMargin(1), QStringLiteral("    1     1  "));
    EXPECT_EQ(view.shownMargin(2), QStringLiteral("    2       -"));
    EXPECT_EQ(view.shownMargin(3), QStringLiteral("          2 +"));
    EXPECT_TRUE(view.summary().contains(QStringLiteral("2 added, 1 removed")));
    auto *list = view.findChild<QListWidget *>(QStringLiteral("diffFiles"));
    ASSERT_TRUE(list);
    EXPECT_EQ(list->item(0)->text(), QStringLiteral("M  app.py"));
    EXPECT_EQ(list->item(1)->text(), QStringLiteral("A  notes.txt"));
}

TEST(CodeDiffView, PicksFilesFromTheListAndSaysWhatItCannotShow)
{
    CodeDiffView view;
    view.setDiff(sampleDiff());
    auto *list = view.findChild<QListWidget *>(QStringLiteral("diffFiles"));
    list->setCurrentRow(1);
    EXPECT_EQ(view.currentFile(), QStringLiteral("notes.txt"));
    EXPECT_EQ(view.shownKinds(), QList<Kind>{Kind::Added});
    EXPECT_TRUE(view.summary().contains(QStringLiteral("executable bit changed")));
    ASSERT_TRUE(view.showFile(QStringLiteral("old.bin")));
    EXPECT_EQ(list->currentRow(), 2);
    EXPECT_TRUE(view.summary().contains(QStringLiteral("Deleted")));
    EXPECT_TRUE(view.summary().contains(QStringLiteral("binary content, not shown")));
    EXPECT_TRUE(view.shownText().isEmpty());
    EXPECT_FALSE(view.showFile(QStringLiteral("missing.py")));

    view.setDiff({});
    EXPECT_TRUE(view.currentFile().isEmpty());
    EXPECT_TRUE(view.summary().contains(QStringLiteral("No differences")));
}

TEST(CodeDiffView, MovesBetweenBlocksOfChangesWithWrapAround)
{
    CodeDiffView view;
    view.setDiff(sampleDiff());
    EXPECT_EQ(view.currentLine(), 1);
    ASSERT_TRUE(view.goToChange());
    EXPECT_EQ(view.currentLine(), 2); // the removed/added pair is one block
    ASSERT_TRUE(view.goToChange());
    EXPECT_EQ(view.currentLine(), 6);
    ASSERT_TRUE(view.goToChange());
    EXPECT_EQ(view.currentLine(), 2); // wraps
    ASSERT_TRUE(view.goToChange(false));
    EXPECT_EQ(view.currentLine(), 6);
    // The keyboard does the same.
    view.show();
    QWidget *text = view.findChild<QWidget *>(QStringLiteral("diffText"));
    view.activateWindow();
    text->setFocus();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&view));
    QTest::keyClick(text, Qt::Key_Up, Qt::AltModifier);
    EXPECT_EQ(view.currentLine(), 2);

    view.showFile(QStringLiteral("old.bin"));
    EXPECT_FALSE(view.goToChange());
}

// The gutter really draws its numbers (a margin of the wrong type keeps the text but shows
// nothing).
TEST(CodeDiffView, GutterDrawsTheLineNumbers)
{
    CodeDiffView view;
    view.resize(800, 300);
    view.setDiff(sampleDiff());
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    QWidget *text = view.findChild<QWidget *>(QStringLiteral("diffText"));
    const QImage image = text->grab().toImage();
    int dark = 0;
    for (int y = 0; y < std::min(image.height(), 60); ++y) {
        for (int x = 0; x < 100; ++x)
            dark += qGray(image.pixel(x, y)) < 180 ? 1 : 0;
    }
    EXPECT_GT(dark, 20) << "no digits drawn in the gutter";
}

} // namespace
