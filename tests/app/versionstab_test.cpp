// The Versions tab: View code shows a published version read-only, and Compare shows what
// changed between two versions and between $LATEST and the draft.
#include "apptestsupport.h"
#include "testzip.h"

#include "function/functioncontroller.h"
#include "function/versioncode.h"
#include "function/versionstab.h"

#include "lambdesk/editor/codediffview.h"
#include "lambdesk/editor/codeworkspace.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>

using namespace lambdesk;
using namespace lambdesk::app;
using lambdesk::app::testing::TestEngine;
using Kind = lambdesk::editor::DiffLine::Kind;

namespace {
constexpr int kWait = 30'000;

QPushButton *button(QWidget *parent, const QString &text)
{
    for (QPushButton *candidate : parent->findChildren<QPushButton *>()) {
        if (candidate->text() == text)
            return candidate;
    }
    return nullptr;
}

void selectVersion(VersionsTab &tab, const QString &version)
{
    QAbstractItemModel *model = tab.table()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data().toString() == version) {
            tab.table()->selectRow(row);
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no version %1 in the table").arg(version)));
}
} // namespace

class VersionsTabTest : public QObject {
    Q_OBJECT
private slots:
    void viewAndCompareVersions();
};

void VersionsTabTest::viewAndCompareVersions()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const std::string python = engine.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    engine::Engine &e = engine.engine();
    QVERIFY(createEchoFunction(e, "history", python));
    QVERIFY(e.deployFiles("history",
                          {{"app.py", "def handler(event, context):\n    return 1\n", false}}));
    QVERIFY(e.publishVersion("history"));
    QVERIFY(
        e.deployFiles("history", {{"app.py", "def handler(event, context):\n    return 2\n", false},
                                  {"util.py", "X = 1\n", false}}));
    QVERIFY(e.publishVersion("history"));
    QVERIFY(
        e.saveDraft("history", {{"app.py", "def handler(event, context):\n    return 3\n", false},
                                {"util.py", "X = 1\n", false}}));

    VersionsTab tab(std::make_shared<FunctionController>(e, "history"));
    tab.resize(1100, 700);
    tab.show();
    tab.setFunction(*e.getFunction("history"));
    QTRY_COMPARE_WITH_TIMEOUT(tab.table()->model()->rowCount(), 3, kWait);
    QPushButton *view = button(&tab, QStringLiteral("View code"));
    QPushButton *compare = button(&tab, QStringLiteral("Compare"));
    QVERIFY(view && compare);
    QVERIFY(!view->isEnabled()); // nothing selected yet
    selectVersion(tab, QStringLiteral("1"));
    QVERIFY(view->isEnabled() && compare->isEnabled());

    // View code: version 1's file, read-only.
    view->click();
    auto *code = tab.findChild<VersionCodeDialog *>();
    QVERIFY(code);
    QTRY_COMPARE_WITH_TIMEOUT(code->workspace()->files().size(), 1, kWait);
    QCOMPARE(code->workspace()->files().front().content,
             QByteArray("def handler(event, context):\n    return 1\n"));
    QVERIFY(code->workspace()->isReadOnly());
    QCOMPARE(code->workspace()->currentFile(), QStringLiteral("app.py"));
    code->close();

    // Compare: version 1 against the next, 2.
    compare->click();
    auto *diff = tab.findChild<CompareCodeDialog *>();
    QVERIFY(diff);
    QSignalSpy compared(diff, &CompareCodeDialog::compared);
    QTRY_VERIFY_WITH_TIMEOUT(!diff->diffView()->files().isEmpty(), kWait);
    QCOMPARE(diff->fromBox()->currentText(), QStringLiteral("Version 1"));
    QCOMPARE(diff->toBox()->currentText(), QStringLiteral("Version 2"));
    QCOMPARE(diff->diffView()->files(), (QStringList{"app.py", "util.py"}));
    QCOMPARE(diff->diffView()->shownKinds(),
             (QList<Kind>{Kind::Context, Kind::Removed, Kind::Added}));
    QVERIFY(diff->diffView()->shownText().contains(QStringLiteral("return 2")));

    // $LATEST against the draft: the one edited line.
    compared.clear();
    diff->fromBox()->setCurrentIndex(diff->fromBox()->findData(QStringLiteral("$LATEST")));
    diff->toBox()->setCurrentIndex(diff->toBox()->findData(QStringLiteral("draft")));
    QTRY_VERIFY_WITH_TIMEOUT(compared.count() >= 1, kWait); // the first box's answer is dropped
    QTRY_COMPARE_WITH_TIMEOUT(diff->diffView()->files(), QStringList{"app.py"}, kWait);
    QVERIFY(diff->diffView()->shownText().contains(QStringLiteral("return 3")));

    // The same revision on both sides: no differences.
    diff->toBox()->setCurrentIndex(diff->toBox()->findData(QStringLiteral("$LATEST")));
    QTRY_VERIFY_WITH_TIMEOUT(diff->diffView()->files().isEmpty(), kWait);
    QVERIFY(diff->diffView()->summary().contains(QStringLiteral("No differences")));
    diff->close();
}

QTEST_MAIN(VersionsTabTest)
#include "versionstab_test.moc"
