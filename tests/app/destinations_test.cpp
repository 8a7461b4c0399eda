// Destinations and asynchronous invocation on the function page: "+ Add destination" on the
// overview diagram opens the form, Save sets the on-failure queue, the destination shows in
// Configuration → Destinations and on the diagram (a click there jumps to it), and a failing
// asynchronous event's record reaches the queue; Remove takes it away. Configuration →
// Asynchronous invocation edits retries, maximum age and the dead-letter queue.
#include "apptestsupport.h"
#include "shownfunctionpage.h"

#include "function/adddestinationdialog.h"
#include "function/asyncinvocationsection.h"
#include "function/configurationtab.h"
#include "function/destinationssection.h"
#include "function/functiondiagram.h"
#include "function/functionpage.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

constexpr const char *kFailing = "def handler(event, context):\n    raise Exception('nope')\n";

bool createFailingFunction(engine::Engine &engine, const std::string &name,
                           const std::string &runtime)
{
    engine::FunctionConfig config;
    config.name = name;
    config.runtime = runtime;
    config.handler = "app.handler";
    return engine.createFunctionFromFiles(config, {{"app.py", kFailing, false}}).ok();
}

} // namespace

class DestinationsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void addDestinationThenRemoveIt();
    void asynchronousInvocationSettings();
};

void DestinationsTest::addDestinationThenRemoveIt()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    const std::string python = host.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createFailingFunction(host.engine(), "failing-fn", python));
    QVERIFY(host.engine().createQueue("failures").ok());
    engine::EventInvokeConfigInput noRetries;
    noRetries.maximumRetryAttempts = 0;
    QVERIFY(host.engine().putFunctionEventInvokeConfig("failing-fn", {}, noRetries).ok());
    testing::ShownFunctionPage shown(host.engine(), QStringLiteral("failing-fn"));
    FunctionPage &page = shown.page();
    DestinationsSection *section = page.configurationTab()->destinations();
    QTRY_VERIFY_WITH_TIMEOUT(section->loaded(), 30'000);
    QCOMPARE(section->model()->rowCount(), 0);
    QCOMPARE(page.diagram()->destinationBoxes(), QStringList());

    QTest::mouseClick(page.diagram(), Qt::LeftButton, {},
                      page.diagram()->addDestinationRect().center());
    auto *dialog = page.findChild<AddDestinationDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(dialog->targetsLoaded(), 30'000);
    QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
    QVERIFY(dialog->onFailure()->isChecked());
    QCOMPARE(dialog->destination()->count(), 0); // no other function to choose
    QVERIFY(!dialog->saveButton()->isEnabled());
    dialog->destinationType()->setCurrentIndex(AddDestinationDialog::Queue);
    QCOMPARE(dialog->destination()->currentText(), QStringLiteral("failures"));
    QVERIFY(dialog->saveButton()->isEnabled());
    QSignalSpy added(dialog, &AddDestinationDialog::added);
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(added.count(), 1, 30'000);

    QTRY_COMPARE_WITH_TIMEOUT(section->model()->rowCount(), 1, 30'000);
    QCOMPARE(section->model()->item(0, DestinationsSection::ConditionColumn)->text(),
             QStringLiteral("On failure"));
    QCOMPARE(section->model()->item(0, DestinationsSection::TypeColumn)->text(),
             QStringLiteral("SQS queue"));
    QCOMPARE(section->model()->item(0, DestinationsSection::DestinationColumn)->text(),
             QStringLiteral("arn:aws:sqs:us-east-1:000000000000:failures"));
    QTRY_COMPARE(page.diagram()->destinationBoxes(),
                 QStringList{QStringLiteral("On failure: SQS")});

    // The destination's box jumps to Configuration → Destinations.
    QTest::mouseClick(page.diagram(), Qt::LeftButton, {},
                      page.diagram()->destinationRects().front().center());
    auto *tabs = page.findChild<QTabWidget *>();
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget *>(page.configurationTab()));
    QCOMPARE(page.configurationTab()->findChild<QListWidget *>()->currentItem()->text(),
             QStringLiteral("Destinations"));

    // A failing asynchronous event's record reaches the queue.
    engine::InvokeRequest event;
    event.functionName = "failing-fn";
    event.type = engine::InvocationType::Event;
    QVERIFY(host.engine().invoke(event).ok());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto attributes =
                host.engine().getQueueAttributes("failures", {"ApproximateNumberOfMessages"});
            return attributes.ok() && attributes->at("ApproximateNumberOfMessages") == "1";
        }(),
        60'000);

    section->selectCondition(false);
    section->removeSelected(false);
    QTRY_COMPARE_WITH_TIMEOUT(section->model()->rowCount(), 0, 30'000);
    QTRY_COMPARE(page.diagram()->destinationBoxes(), QStringList());
    auto config = host.engine().getFunctionEventInvokeConfig("failing-fn");
    QVERIFY(config.ok());
    QVERIFY(config->onFailure.empty());
    QCOMPARE(config->maximumRetryAttempts, std::optional<int>(0)); // kept
}

void DestinationsTest::asynchronousInvocationSettings()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    const std::string python = host.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createFailingFunction(host.engine(), "settings-fn", python));
    QVERIFY(host.engine().createQueue("dead-letters").ok());
    testing::ShownFunctionPage shown(host.engine(), QStringLiteral("settings-fn"));
    FunctionPage &page = shown.page();
    AsyncInvocationSection *section = page.configurationTab()->asyncInvocation();
    QTRY_VERIFY_WITH_TIMEOUT(section->loaded(), 30'000);
    QCOMPARE(section->shownValues(), QStringLiteral("6h 0min 0sec\n2\nNone"));

    page.configurationTab()->showSection(ConfigurationTab::Section::AsyncInvocation);
    QTest::mouseClick(section->editButton(), Qt::LeftButton);
    QVERIFY(section->isEditing());
    QCOMPARE(section->maximumAge()->value(), engine::kDefaultEventAgeSeconds);
    QTRY_COMPARE_WITH_TIMEOUT(section->deadLetterQueue()->count(), 2, 30'000);
    section->maximumAge()->setValue(3660);
    section->retryAttempts()->setValue(1);
    section->deadLetterQueue()->setCurrentIndex(1);
    QCOMPARE(section->deadLetterQueue()->currentText(), QStringLiteral("dead-letters"));
    QTest::mouseClick(section->saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!section->isEditing(), 30'000);
    QTRY_COMPARE(section->shownValues(), QStringLiteral("1h 1min 0sec\n1\ndead-letters"));

    auto config = host.engine().getFunctionEventInvokeConfig("settings-fn");
    QVERIFY(config.ok());
    QCOMPARE(config->maximumRetryAttempts, std::optional<int>(1));
    QCOMPARE(config->maximumEventAgeInSeconds, std::optional<int>(3660));
    auto function = host.engine().getFunction("settings-fn");
    QVERIFY(function.ok());
    QCOMPARE(function->config.deadLetterTargetArn,
             std::string("arn:aws:sqs:us-east-1:000000000000:dead-letters"));

    // Out of range is refused by the form itself, with the engine's limits.
    QTest::mouseClick(section->editButton(), Qt::LeftButton);
    QCOMPARE(section->retryAttempts()->maximum(), engine::kMaxRetryAttempts);
    QCOMPARE(section->maximumAge()->minimum(), engine::kMinEventAgeSeconds);
}

QTEST_MAIN(DestinationsTest)
#include "destinations_test.moc"
