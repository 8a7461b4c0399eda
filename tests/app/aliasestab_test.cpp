// The Aliases tab: create a plain and a weighted alias, edit the weight with the slider, the
// engine's refusals under the editor, delete.
#include "apptestsupport.h"
#include "testzip.h"

#include "function/aliasestab.h"
#include "function/functioncontroller.h"
#include "function/monitorcharts.h"
#include "function/monitortab.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardItemModel>
#include <QTableView>

using namespace lambdesk;
using namespace lambdesk::app;
using lambdesk::app::testing::TestEngine;

class AliasesTabTest : public QObject {
    Q_OBJECT
private slots:
    void createEditAndDelete();
    void monitorFiltersByVersionAndAlias();
};

void AliasesTabTest::createEditAndDelete()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const std::string python = engine.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createEchoFunction(engine.engine(), "aliased", python));
    QVERIFY(engine.engine().publishVersion("aliased"));
    engine::FunctionConfigPatch change;
    change.description = "second";
    QVERIFY(engine.engine().updateFunctionConfiguration("aliased", change));
    QVERIFY(engine.engine().publishVersion("aliased"));

    AliasesTab tab(std::make_shared<FunctionController>(engine.engine(), "aliased"));
    tab.resize(1100, 800);
    tab.show();
    QSignalSpy changed(&tab, &AliasesTab::aliasesChanged);
    tab.setFunction(*engine.engine().getFunction("aliased"));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30'000);
    QCOMPARE(tab.model()->rowCount(), 0);

    tab.startCreate();
    QVERIFY(tab.isEditing());
    QTRY_COMPARE_WITH_TIMEOUT(tab.versionChoice()->count(), 3, 30'000); // $LATEST, 2, 1
    QCOMPARE(tab.versionChoice()->itemText(0), QStringLiteral("$LATEST"));
    QCOMPARE(tab.additionalVersionChoice()->count(), 2);
    QTest::keyClicks(tab.nameEdit(), QStringLiteral("live"));
    tab.versionChoice()->setCurrentText(QStringLiteral("1"));
    tab.weighted()->setChecked(true);
    tab.additionalVersionChoice()->setCurrentText(QStringLiteral("2"));
    tab.weightSlider()->setValue(30);
    QCOMPARE(tab.weightLabel()->text(), QStringLiteral("70% to version 1, 30% to version 2"));
    tab.save();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 30'000);
    QVERIFY(!tab.isEditing());
    QCOMPARE(tab.model()->rowCount(), 1);
    QCOMPARE(tab.model()->item(0, 1)->text(), QStringLiteral("1 (70%), 2 (30%)"));
    const auto weightOfTwo = [&]() -> double {
        const auto live = engine.engine().getAlias("aliased", "live");
        if (!live)
            return -1.0;
        const auto found = live->config.additionalVersionWeights.find("2");
        return found != live->config.additionalVersionWeights.end() ? found->second : -1.0;
    };
    QCOMPARE(weightOfTwo(), 0.3);

    // Edit: the slider with the keyboard, one percent a step.
    tab.table()->selectRow(0);
    tab.startEdit();
    QVERIFY(tab.nameEdit()->isReadOnly());
    QCOMPARE(tab.weightSlider()->value(), 30);
    tab.weightSlider()->setFocus();
    QTest::keyClick(tab.weightSlider(), Qt::Key_Right);
    QTest::keyClick(tab.weightSlider(), Qt::Key_Right);
    QCOMPARE(tab.weightSlider()->value(), 32);
    tab.save();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 3, 30'000);
    QCOMPARE(engine.engine().getAlias("aliased", "live")->config.additionalVersionWeights.at("2"),
             0.32);

    // $LATEST in a weighted alias: the engine's words stay under the editor.
    tab.startCreate();
    QTest::keyClicks(tab.nameEdit(), QStringLiteral("broken"));
    tab.versionChoice()->setCurrentText(QStringLiteral("$LATEST"));
    tab.weighted()->setChecked(true);
    tab.save();
    QTRY_VERIFY_WITH_TIMEOUT(tab.errorText().contains(QStringLiteral("$LATEST is not supported")),
                             30'000);
    QVERIFY(tab.isEditing());
    tab.cancel();

    tab.deleteAlias(QStringLiteral("live"));
    QTRY_COMPARE_WITH_TIMEOUT(tab.model()->rowCount(), 0, 30'000);
    QVERIFY(!engine.engine().getAlias("aliased", "live"));
}

// The Monitor shows one version's or one alias's invocations, and which versions ran them: a
// weighted alias's split.
void AliasesTabTest::monitorFiltersByVersionAndAlias()
{
    TestEngine engine(20261206);
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const std::string python = engine.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    engine::Engine &e = engine.engine();
    QVERIFY(createEchoFunction(e, "split", python));
    QVERIFY(e.publishVersion("split"));
    engine::FunctionConfigPatch change;
    change.description = "second";
    QVERIFY(e.updateFunctionConfiguration("split", change));
    QVERIFY(e.publishVersion("split"));
    engine::AliasConfig canary;
    canary.name = "canary";
    canary.functionVersion = "1";
    canary.additionalVersionWeights = {{"2", 0.5}};
    QVERIFY(e.createAlias("split", canary));
    auto invoke = [&](const std::string &qualifier) {
        engine::InvokeRequest request;
        request.functionName = "split";
        request.qualifier = qualifier;
        request.payload = "{}";
        auto result = e.invoke(request);
        return result ? result->record : engine::InvocationRecord{};
    };
    int onTwo = 0;
    for (int i = 0; i < 40; ++i)
        onTwo += invoke("canary").version == "2" ? 1 : 0;
    QVERIFY2(onTwo > 0 && onTwo < 40, "a 0.5 weight over 40 seeded draws uses both versions");
    for (int i = 0; i < 5; ++i)
        invoke("$LATEST");

    MonitorTab tab(std::make_shared<FunctionController>(e, "split"));
    tab.resize(1100, 800);
    tab.show();
    QSignalSpy redrawn(&tab, &MonitorTab::redrawn);
    tab.setRange(TimeRange::All);
    tab.setFunction(*e.getFunction("split"));
    QTRY_COMPARE_WITH_TIMEOUT(tab.sampleCount(), std::size_t(45), 30'000);
    // $LATEST, 1, 2 and the alias, after "All".
    QTRY_COMPARE_WITH_TIMEOUT(tab.qualifierBox()->count(), 5, 30'000);
    QCOMPARE(tab.qualifierBox()->itemText(4), QStringLiteral("Alias: canary"));

    tab.setQualifierFilter(QStringLiteral("alias:canary"));
    QTRY_COMPARE_WITH_TIMEOUT(tab.sampleCount(), std::size_t(40), 30'000);
    // The charts redraw after the samples arrive; until then they still show every qualifier's
    // split, whose counts for 1 and 2 are the alias's too: wait for the whole filtered text.
    const auto aliasSplitShown = [&] {
        const QString text = tab.charts()->executedVersionsText();
        return text.contains(QStringLiteral("2: %1 (").arg(onTwo)) &&
               text.contains(QStringLiteral("1: %1 (").arg(40 - onTwo)) &&
               !text.contains(QStringLiteral("$LATEST"));
    };
    QTRY_VERIFY2_WITH_TIMEOUT(aliasSplitShown(), qPrintable(tab.charts()->executedVersionsText()),
                              30'000);
    // A live record of another qualifier does not join the alias's.
    tab.addRecord(invoke("$LATEST"));
    tab.addRecord(invoke("canary"));
    QCOMPARE(tab.sampleCount(), std::size_t(41));

    tab.setQualifierFilter(QStringLiteral("$LATEST"));
    QTRY_COMPARE_WITH_TIMEOUT(tab.sampleCount(), std::size_t(6), 30'000);
    tab.setQualifierFilter(QString());
    QTRY_COMPARE_WITH_TIMEOUT(tab.sampleCount(), std::size_t(47), 30'000);
}

QTEST_MAIN(AliasesTabTest)
#include "aliasestab_test.moc"
