// Add trigger → EventBridge (CloudWatch Events): the form checks and previews the schedule
// expression with the engine's rules, Add makes the rule with its permission and target, the
// trigger shows in Configuration → Triggers and on the overview diagram (a click there jumps to
// it), Disable and Delete act on it. S3 (local folder) and SQS (local queue) likewise.
#include "apptestsupport.h"
#include "shownfunctionpage.h"
#include "testzip.h"

#include "function/addtriggerdialog.h"
#include "function/configurationtab.h"
#include "function/functiondiagram.h"
#include "function/functionpage.h"
#include "function/functionurlsection.h"
#include "function/triggerform.h"
#include "function/triggerssection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

// Whether the engine recorded an invocation of `function` from `source`.
bool invokedBy(testing::TestEngine &host, const std::string &function, const char *source)
{
    engine::InvocationQuery query;
    query.functionName = function;
    const auto records = host.engine().listInvocations(query);
    return std::any_of(records.begin(), records.end(),
                       [source](const engine::InvocationRecord &r) { return r.source == source; });
}

} // namespace

class TriggersTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void addDisableDelete();
    void folderBucket();
    void queue();
    void newQueueAndFunctionUrl();
};

void TriggersTest::addDisableDelete()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    const std::string python = host.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createEchoFunction(host.engine(), "cron-fn", python));
    testing::ShownFunctionPage shown(host.engine(), QStringLiteral("cron-fn"));
    FunctionPage &page = shown.page();
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
    QCOMPARE(dialog->form()->source()->currentText(),
             QStringLiteral("EventBridge (CloudWatch Events)"));

    dialog->form()->scheduleExpression()->setText(QStringLiteral("rate(1 minutes)"));
    QVERIFY2(dialog->form()->nextFires()->text().contains(QStringLiteral("singular")),
             qPrintable(dialog->form()->nextFires()->text()));
    dialog->form()->scheduleExpression()->setText(QStringLiteral("cron(0 12 ? * MON-FRI *)"));
    QCOMPARE(dialog->form()->nextFires()->text().count(QStringLiteral("12:00:00 UTC")), 5);
    dialog->form()->ruleName()->setText(QStringLiteral("bad name"));
    dialog->add();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->errorText().isEmpty(), 30'000);
    QVERIFY2(dialog->errorText().contains(QStringLiteral("regular expression pattern")),
             qPrintable(dialog->errorText()));

    dialog->form()->ruleName()->setText(QStringLiteral("weekday-noon"));
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

// S3 (local folder): the bucket named after the folder as you type, the console's recursion
// acknowledgement required, then a file written in the folder invokes the function.
void TriggersTest::folderBucket()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    const std::string python = host.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createEchoFunction(host.engine(), "photo-fn", python));
    QTemporaryDir scratch;
    QVERIFY(QDir(scratch.path()).mkpath(QStringLiteral("photos-inbox")));
    const QString folder = scratch.path() + QStringLiteral("/photos-inbox");
    testing::ShownFunctionPage shown(host.engine(), QStringLiteral("photo-fn"));
    FunctionPage &page = shown.page();
    TriggersSection *section = page.configurationTab()->triggers();
    QTRY_VERIFY_WITH_TIMEOUT(section->loaded(), 30'000);

    AddTriggerDialog *dialog = page.openAddTrigger();
    dialog->form()->source()->setCurrentIndex(TriggerForm::Folder);
    dialog->form()->folder()->setText(scratch.path() + QStringLiteral("/Not A Bucket"));
    QVERIFY2(dialog->form()->bucket()->text().contains(QStringLiteral("not a valid bucket name")),
             qPrintable(dialog->form()->bucket()->text()));
    dialog->form()->folder()->setText(folder);
    QCOMPARE(dialog->form()->bucket()->text(),
             QStringLiteral("Bucket: photos-inbox (arn:aws:s3:::photos-inbox)"));
    dialog->form()->suffix()->setText(QStringLiteral(".jpg"));
    dialog->add();
    QVERIFY2(dialog->errorText().contains(QStringLiteral("Acknowledge")),
             qPrintable(dialog->errorText()));
    dialog->form()->acknowledge()->setChecked(true);
    QSignalSpy added(dialog, &AddTriggerDialog::added);
    dialog->add();
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(section->folders().size(), std::size_t(1), 30'000);
    QCOMPARE(section->model()->item(0, TriggersSection::RuleColumn)->text(),
             QStringLiteral("photos-inbox"));
    QVERIFY(section->model()
                ->item(0, TriggersSection::ExpressionColumn)
                ->text()
                .contains(QStringLiteral("suffix .jpg")));
    QTRY_COMPARE(page.diagram()->triggerBoxes(), QStringList{QStringLiteral("S3 (local folder)")});

    QFile photo(folder + QStringLiteral("/cat.jpg"));
    QVERIFY(photo.open(QIODevice::WriteOnly));
    photo.write("jpeg bytes");
    photo.close();
    QTRY_VERIFY_WITH_TIMEOUT(invokedBy(host, "photo-fn", engine::kInvocationSourceFolder), 60'000);

    section->selectRule(QStringLiteral("photos-inbox"));
    section->deleteSelected(false);
    QTRY_VERIFY_WITH_TIMEOUT(section->folders().empty(), 30'000);
}

void TriggersTest::queue()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    const std::string python = host.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createEchoFunction(host.engine(), "queue-fn", python));
    QVERIFY(host.engine().createQueue("orders").ok());
    testing::ShownFunctionPage shown(host.engine(), QStringLiteral("queue-fn"));
    FunctionPage &page = shown.page();
    TriggersSection *section = page.configurationTab()->triggers();
    QTRY_VERIFY_WITH_TIMEOUT(section->loaded(), 30'000);

    AddTriggerDialog *dialog = page.openAddTrigger();
    dialog->form()->source()->setCurrentIndex(TriggerForm::Queue);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->form()->queuesLoaded(), 30'000);
    QCOMPARE(dialog->form()->queue()->count(), 1);
    QCOMPARE(dialog->form()->queue()->currentText(), QStringLiteral("orders"));
    // The engine's rule: more than 10 messages a batch need a batching window.
    dialog->form()->batchSize()->setValue(50);
    dialog->add();
    QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().contains(QStringLiteral("Maximum batch window")),
                             30'000);
    dialog->form()->batchWindow()->setValue(1);
    dialog->form()->reportFailures()->setChecked(true);
    QSignalSpy added(dialog, &AddTriggerDialog::added);
    dialog->add();
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(section->queues().size(), std::size_t(1), 30'000);
    QCOMPARE(section->model()->item(0, TriggersSection::RuleColumn)->text(),
             QStringLiteral("orders"));
    QCOMPARE(section->model()->item(0, TriggersSection::ExpressionColumn)->text(),
             QStringLiteral("batch size 50 · window 1 s · batch item failures"));
    QTRY_COMPARE(page.diagram()->triggerBoxes(), QStringList{QStringLiteral("SQS (local queue)")});

    engine::QueueMessageInput message;
    message.body = "{\"id\": 1}";
    QVERIFY(host.engine().sendMessage("orders", message).ok());
    QTRY_VERIFY_WITH_TIMEOUT(invokedBy(host, "queue-fn", engine::kInvocationSourceQueue), 60'000);

    section->selectRule(QStringLiteral("orders"));
    section->setSelectedEnabled(false);
    QTRY_COMPARE_WITH_TIMEOUT(section->model()->item(0, TriggersSection::StateColumn)->text(),
                              QStringLiteral("DISABLED"), 30'000);
    section->selectRule(QStringLiteral("orders"));
    section->deleteSelected(false);
    QTRY_VERIFY_WITH_TIMEOUT(section->queues().empty(), 30'000);
}

// A queue name that is not a queue yet makes the queue; Function URL makes the URL itself (NONE:
// with its public permission) and the page then shows it under Configuration → Function URL.
void TriggersTest::newQueueAndFunctionUrl()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    const std::string python = host.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createEchoFunction(host.engine(), "web-fn", python));
    testing::ShownFunctionPage shown(host.engine(), QStringLiteral("web-fn"));
    FunctionPage &page = shown.page();

    AddTriggerDialog *dialog = page.openAddTrigger();
    dialog->form()->source()->setCurrentIndex(TriggerForm::Queue);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->form()->queuesLoaded(), 30'000);
    QCOMPARE(dialog->form()->queue()->count(), 0);
    QTest::keyClicks(dialog->form()->queue(), QStringLiteral("fresh-jobs"));
    QSignalSpy added(dialog, &AddTriggerDialog::added);
    dialog->add();
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 30'000);
    QVERIFY(host.engine().getQueue("fresh-jobs").ok());
    QCOMPARE(host.engine().listEventSourceMappings("web-fn")->size(), std::size_t(1));

    // The dialog fits the page shown: from the tall folder form down to the short URL form.
    dialog = page.openAddTrigger();
    dialog->form()->source()->setCurrentIndex(TriggerForm::Folder);
    QTRY_VERIFY(dialog->height() > 500);
    const int folderHeight = dialog->height();
    for (const int source :
         {TriggerForm::EventBridge, TriggerForm::Queue, TriggerForm::FunctionUrl}) {
        dialog->form()->source()->setCurrentIndex(source); // as the arrow keys step through them
        QCoreApplication::processEvents();
    }
    QTRY_VERIFY2(dialog->height() < folderHeight - 150,
                 qPrintable(QStringLiteral("%1 after %2").arg(dialog->height()).arg(folderHeight)));
    QCOMPARE(dialog->form()->urlAuthType()->currentData().toString(), QStringLiteral("NONE"));
    QSignalSpy urlAdded(dialog, &AddTriggerDialog::functionUrlAdded);
    dialog->add();
    QTRY_COMPARE_WITH_TIMEOUT(urlAdded.count(), 1, 30'000);
    const auto url = host.engine().getFunctionUrl("web-fn");
    QVERIFY(url.ok());
    QCOMPARE(url->settings.authType, std::string("NONE"));
    QVERIFY(host.engine().getPolicy("web-fn")->policy.find("lambda:InvokeFunctionUrl") !=
            std::string::npos);
    QCOMPARE(page.currentTab(), FunctionPage::Tab::Configuration);
    QTRY_VERIFY_WITH_TIMEOUT(page.configurationTab()->functionUrl()->url().has_value(), 30'000);
}

QTEST_MAIN(TriggersTest)
#include "triggers_test.moc"
