// Add trigger → EventBridge (CloudWatch Events): the form checks and previews the schedule
// expression with the engine's rules, Add makes the rule with its permission and target, the
// trigger shows in Configuration → Triggers and on the overview diagram (a click there jumps to
// it), Disable and Delete act on it.
#include "apptestsupport.h"
#include "testzip.h"

#include "function/addtriggerdialog.h"
#include "function/configurationtab.h"
#include "function/functiondiagram.h"
#include "function/functionpage.h"
#include "function/triggerssection.h"
#include "invocationfeed.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

class TriggersTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void addDisableDelete();
};

void TriggersTest::addDisableDelete()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    const std::string python = host.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createEchoFunction(host.engine(), "cron-fn", python));
    InvocationFeed feed(host.engine());
    FunctionPage page(host.engine(), &feed, QStringLiteral("cron-fn"));
    page.resize(1280, 1000);
    page.show();
    page.load();
    TriggersSection *section = page.configurationTab()->triggers();
    QTRY_VERIFY_WITH_TIMEOUT(section->loaded(), 30'000);
    QVERIFY(section->triggers().empty());
    QCOMPARE(page.diagram()->triggerBoxes(), QStringList());

    // "+ Add trigger" on the diagram opens the form.
    QTest::mouseClick(page.diagram(), Qt::LeftButton, {},
                      page.diagram()->addTriggerRect().center());
    auto *dialog = page.findChild<AddTriggerDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->source()->currentText(), QStringLiteral("EventBridge (CloudWatch Events)"));

    dialog->scheduleExpression()->setText(QStringLiteral("rate(1 minutes)"));
    QVERIFY2(dialog->nextFires()->text().contains(QStringLiteral("singular")),
             qPrintable(dialog->nextFires()->text()));
    dialog->scheduleExpression()->setText(QStringLiteral("cron(0 12 ? * MON-FRI *)"));
    QCOMPARE(dialog->nextFires()->text().count(QStringLiteral("12:00:00 UTC")), 5);
    dialog->ruleName()->setText(QStringLiteral("bad name"));
    dialog->add();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->errorText().isEmpty(), 30'000);
    QVERIFY2(dialog->errorText().contains(QStringLiteral("regular expression pattern")),
             qPrintable(dialog->errorText()));

    dialog->ruleName()->setText(QStringLiteral("weekday-noon"));
    QSignalSpy added(dialog, &AddTriggerDialog::added);
    dialog->add();
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(section->triggers().size(), std::size_t(1), 30'000);
    const engine::ScheduleTrigger trigger = section->triggers().front();
    QCOMPARE(trigger.rule.name, std::string("weekday-noon"));
    QVERIFY(trigger.permitted);
    QCOMPARE(section->model()->item(0, TriggersSection::ExpressionColumn)->text(),
             QStringLiteral("cron(0 12 ? * MON-FRI *)"));
    QVERIFY(section->model()
                ->item(0, TriggersSection::NextColumn)
                ->text()
                .contains(QStringLiteral("12:00:00 UTC")));
    QTRY_COMPARE(page.diagram()->triggerBoxes(),
                 QStringList{QStringLiteral("EventBridge (CloudWatch Events)")});

    // The trigger's box jumps to Configuration → Triggers.
    QTest::mouseClick(page.diagram(), Qt::LeftButton, {},
                      page.diagram()->triggerRects().front().center());
    QCOMPARE(page.currentTab(), FunctionPage::Tab::Configuration);
    QVERIFY(section->isVisible());

    section->selectRule(QStringLiteral("weekday-noon"));
    section->setSelectedEnabled(false);
    QTRY_COMPARE_WITH_TIMEOUT(section->model()->item(0, TriggersSection::StateColumn)->text(),
                              QStringLiteral("DISABLED"), 30'000);
    QCOMPARE(host.engine().getScheduleRule("weekday-noon")->state, std::string("DISABLED"));

    section->selectRule(QStringLiteral("weekday-noon"));
    section->deleteSelected(false);
    QTRY_VERIFY_WITH_TIMEOUT(section->triggers().empty(), 30'000);
    QTRY_COMPARE(page.diagram()->triggerBoxes(), QStringList());
    QVERIFY(!host.engine().getPolicy("cron-fn").ok());
}

QTEST_MAIN(TriggersTest)
#include "triggers_test.moc"
