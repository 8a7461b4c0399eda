// The console end to end on a real engine, driving the real widgets: create a function through
// the wizard, edit its code, Deploy, run a test event, see the result and a point on the chart.

#include "apptestsupport.h"

#include "function/codetab.h"
#include "function/eventtemplates.h"
#include "function/executionresult.h"
#include "function/folderbucketfield.h"
#include "function/functionpage.h"
#include "function/monitorcharts.h"
#include "function/monitortab.h"
#include "function/testtab.h"
#include "function/triggerform.h"
#include "mainwindow.h"
#include "models/blueprintmodel.h"
#include "models/functionlistmodel.h"
#include "models/keyvaluemodel.h"
#include "screens/createfunctionpage.h"
#include "screens/deletefunctiondialog.h"
#include "screens/functionlistpage.h"
#include "screens/functionsettingsform.h"
#include "testzip.h"
#include "widgets/flashbar.h"
#include "widgets/optioncard.h"
#include "widgets/panel.h"

#include <set>

#include "lambdesk/editor/codedocument.h"
#include "lambdesk/editor/codeworkspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {
constexpr int kTimeout = 60'000; // first invokes start a sandbox and a runtime

std::string makeZipForTest()
{
    return makeZip({{"lambda_function.py", "def lambda_handler(event, context):\n    return 'ok'\n", false}});
}
} // namespace

class ConsoleFlowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void createEditDeployTestAndChart();
    void wizardValidatesNameLive();
    void blueprintCreatesFunctionWithItsCode();
    void pipelineBlueprintAsksForAnOutputBucket();
    void wizardSaysWhichInterpreterRunsARuntime();
    void scratchWizardAddsATrigger();
    void blueprintRuleNameFollowsTheFunctionName();
    void functionListFiltersAndDeletes();
    void everyBlueprintRunsWithItsTestEvent();

private:
    FunctionPage *createThroughWizard(const QString &name);
    std::unique_ptr<testing::TestEngine> m_host;
    std::unique_ptr<MainWindow> m_window;
    std::string m_python;
};

void ConsoleFlowTest::initTestCase()
{
    testing::prepareApplication();
}

void ConsoleFlowTest::init()
{
    m_host = std::make_unique<testing::TestEngine>();
    QVERIFY2(m_host->ok(), qPrintable(m_host->error()));
    m_python = m_host->runtimeLike("python");
    m_window = std::make_unique<MainWindow>(m_host->engine(), QString());
    m_window->resize(1280, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void ConsoleFlowTest::cleanup()
{
    m_window.reset();
    m_host.reset();
}

FunctionPage *ConsoleFlowTest::createThroughWizard(const QString &name)
{
    for (QPushButton *button : m_window->functionListPage()->findChildren<QPushButton *>()) {
        if (button->text() == QLatin1String("Create function"))
            QTest::mouseClick(button, Qt::LeftButton);
    }
    CreateFunctionPage *wizard = m_window->createFunctionPage();
    if (!QTest::qWaitFor([&] { return wizard->isVisible() && wizard->isLoaded(); }, kTimeout))
        return nullptr;
    QLineEdit *nameEdit = wizard->form()->nameEdit();
    nameEdit->setFocus();
    QTest::keyClicks(nameEdit, name);
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return m_window->functionPage() && m_window->functionPage()->isLoaded(); }, kTimeout))
        return nullptr;
    return m_window->functionPage();
}

void ConsoleFlowTest::createEditDeployTestAndChart()
{
    if (m_python.empty())
        QSKIP("no Python runtime available on this machine");
    FunctionPage *page = createThroughWizard(QStringLiteral("hello-console"));
    QVERIFY(page);
    QVERIFY2(page->flashbar()->text().startsWith(QStringLiteral("Successfully created the function hello-console.")),
             qPrintable(page->flashbar()->text()));
    QCOMPARE(page->function().config.runtime, m_python);

    // The Code tab shows the starter code; typing marks it "Changes not deployed".
    CodeTab *code = page->codeTab();
    QTRY_VERIFY_WITH_TIMEOUT(code->isLoaded(), kTimeout);
    editor::CodeWorkspace *workspace = code->workspace();
    QCOMPARE(workspace->currentFile(), QStringLiteral("lambda_function.py"));
    QVERIFY(code->notDeployedNotice()->isHidden());
    QWidget *editor = testing::scintillaIn(workspace->currentView()->widget());
    QVERIFY(editor);
    testing::typeAtStart(editor, QStringLiteral("GREETING = 'edited in the console'\n"));
    QTRY_VERIFY(workspace->isModified());
    QVERIFY(code->notDeployedNotice()->isVisibleTo(page));

    // Deploy runs off the GUI thread and reports in the flashbar.
    QTest::mouseClick(code->deployButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page->flashbar()->text() == QStringLiteral("Successfully updated the function hello-console."),
                             kTimeout);
    QVERIFY(!workspace->isModified());
    QVERIFY(code->notDeployedNotice()->isHidden());
    auto deployed = m_host->engine().readCode("hello-console");
    QVERIFY(deployed.ok());
    QVERIFY(deployed->front().content.find("edited in the console") != std::string::npos);

    // Test with the hello-world event: green box, response, summary, log.
    page->showTab(FunctionPage::Tab::Test);
    TestTab *test = page->testTab();
    QTRY_VERIFY_WITH_TIMEOUT(test->isLoaded(), kTimeout);
    QCOMPARE(test->templates()->currentText(), QStringLiteral("hello-world"));
    QTest::mouseClick(test->testButton(), Qt::LeftButton);
    ExecutionResult *result = test->result();
    QTRY_VERIFY_WITH_TIMEOUT(!test->isRunning(), kTimeout);
    QVERIFY2(result->succeeded(), qPrintable(result->title() + QLatin1Char('\n') + result->logOutput()));
    QVERIFY(result->title().contains(QStringLiteral("Executing function: succeeded")));
    QVERIFY2(result->response().contains(QStringLiteral("Hello from Lambda!")), qPrintable(result->response()));
    QVERIFY(result->response().contains(QStringLiteral("\"statusCode\": 200")));
    QVERIFY(result->summaryValue(QStringLiteral("Request ID")).size() > 8);
    QCOMPARE(result->summaryValue(QStringLiteral("Resources configured")), QStringLiteral("128 MB"));
    QCOMPARE(result->summaryValue(QStringLiteral("Code SHA-256")), QString::fromStdString(page->function().codeSha256));
    QVERIFY(result->logOutput().contains(QStringLiteral("REPORT")));

    // ...and the invocation is a point on the Monitor's duration chart.
    page->showTab(FunctionPage::Tab::Monitor);
    MonitorTab *monitor = page->monitorTab();
    QTRY_VERIFY_WITH_TIMEOUT(monitor->charts()->warmPointCount() + monitor->charts()->coldPointCount() >= 1, kTimeout);
    QCOMPARE(monitor->charts()->statText(QStringLiteral("Invocations")), QStringLiteral("1"));
    QCOMPARE(monitor->charts()->coldPointCount(), 1); // the first invoke started an environment

    // A second test arrives live (feed -> queued signal -> throttled redraw) as a warm start.
    page->showTab(FunctionPage::Tab::Test);
    QTest::keyClick(test->testButton(), Qt::Key_T, Qt::ControlModifier); // Ctrl+T
    QTRY_VERIFY_WITH_TIMEOUT(!test->isRunning() && test->result()->succeeded(), kTimeout);
    page->showTab(FunctionPage::Tab::Monitor);
    QTRY_COMPARE_WITH_TIMEOUT(monitor->charts()->statText(QStringLiteral("Invocations")), QStringLiteral("2"), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->charts()->warmPointCount() >= 1, kTimeout);
}

void ConsoleFlowTest::wizardValidatesNameLive()
{
    m_window->showCreateFunction();
    CreateFunctionPage *wizard = m_window->createFunctionPage();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
    QLineEdit *name = wizard->form()->nameEdit();
    name->setFocus();
    QTest::keyClicks(name, QStringLiteral("bad name"));
    QVERIFY(wizard->form()->nameError()->isVisibleTo(wizard));
    QVERIFY(!wizard->form()->nameError()->text().isEmpty());
    name->clear();
    QTest::keyClicks(name, QStringLiteral("good_name-1"));
    QVERIFY(wizard->form()->nameError()->isHidden());

    // Unavailable runtimes are listed but cannot be chosen.
    QComboBox *runtime = wizard->form()->runtimeCombo();
    QVERIFY(runtime->count() > 0);
    auto *items = qobject_cast<QStandardItemModel *>(runtime->model());
    QVERIFY(items);
    for (int row = 0; row < items->rowCount(); ++row) {
        if (!items->item(row)->isEnabled())
            QVERIFY(!items->item(row)->toolTip().isEmpty()); // says why
    }

    // An invalid environment variable name blocks Create and says why.
    wizard->form()->setAdvancedVisible(true);
    auto *environment = wizard->form()->environment();
    const int row = environment->addRow(QStringLiteral("9LIVES"), QStringLiteral("x"));
    QVERIFY(!environment->problemAt(row).isEmpty());
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QVERIFY(!m_window->functionPage());
    QVERIFY(m_host->engine().listFunctions().empty());
}

void ConsoleFlowTest::blueprintCreatesFunctionWithItsCode()
{
    if (m_python.empty())
        QSKIP("no Python runtime available on this machine");
    m_window->showCreateFunction();
    CreateFunctionPage *wizard = m_window->createFunctionPage();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
    QTest::mouseClick(wizard->card(CreateFunctionPage::Mode::Blueprint), Qt::LeftButton);
    QCOMPARE(wizard->mode(), CreateFunctionPage::Mode::Blueprint);
    QTest::keyClicks(wizard->blueprintFilter(), QStringLiteral("s3-event"));
    QCOMPARE(wizard->blueprintGrid()->model()->rowCount(), 1);
    const QModelIndex card = wizard->blueprintGrid()->model()->index(0, 0);
    QTest::mouseClick(wizard->blueprintGrid()->viewport(), Qt::LeftButton, {},
                      wizard->blueprintGrid()->visualRect(card).center());
    QTest::keyClicks(wizard->form()->nameEdit(), QStringLiteral("s3-logger"));

    // The blueprint's suggested trigger, filled in: only the folder is left to the user.
    QVERIFY(wizard->addTrigger()->isChecked());
    QVERIFY(wizard->triggerForm()->isVisibleTo(wizard));
    QCOMPARE(wizard->triggerForm()->source()->currentIndex(), int(TriggerForm::Folder));
    QCOMPARE(wizard->triggerForm()->eventTypes()->currentText(),
             QStringLiteral("All object create events"));
    QVERIFY(wizard->triggerHint()->text().startsWith(
        QStringLiteral("Suggested trigger: S3 (local folder).")));
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QVERIFY2(wizard->flashbar()->text().startsWith(QStringLiteral("Trigger: ")),
             qPrintable(wizard->flashbar()->text()));
    QVERIFY(m_host->engine().listFunctions().empty()); // nothing is made until the trigger can be

    QTemporaryDir scratch;
    const QString folder = scratch.path() + QStringLiteral("/s3-logger-inbox");
    QVERIFY(QDir().mkpath(folder));
    QTest::keyClicks(wizard->triggerForm()->folder(), folder);
    wizard->triggerForm()->acknowledge()->setChecked(true);
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->functionPage() && m_window->functionPage()->isLoaded(), kTimeout);
    FunctionPage *page = m_window->functionPage();
    QCOMPARE(page->function().config.handler, std::string("lambda_function.lambda_handler"));
    QVERIFY2(
        page->flashbar()->text().contains(QStringLiteral("The trigger s3-logger-inbox was added")),
        qPrintable(page->flashbar()->text()));
    const auto folders = m_host->engine().listFolderTriggers("s3-logger");
    QVERIFY(folders.ok() && folders->size() == 1);
    QCOMPARE(folders->front().events, std::vector<std::string>{engine::kS3ObjectCreatedAll});

    // The blueprint's suggested event is the Test tab's template.
    page->showTab(FunctionPage::Tab::Test);
    QTRY_VERIFY_WITH_TIMEOUT(page->testTab()->isLoaded(), kTimeout);
    QCOMPARE(page->testTab()->templates()->currentText(), QStringLiteral("s3-put"));
    page->testTab()->runTest();
    QTRY_VERIFY_WITH_TIMEOUT(!page->testTab()->isRunning(), kTimeout);
    QVERIFY2(page->testTab()->result()->succeeded(), qPrintable(page->testTab()->result()->logOutput()));
    QVERIFY(page->testTab()->result()->response().contains(QStringLiteral("\"objects\"")));
}

// A blueprint that writes to a bucket of its own asks for its folder, next to the trigger's until
// the user picks another; the function then finds the bucket in its environment.
void ConsoleFlowTest::pipelineBlueprintAsksForAnOutputBucket()
{
    if (m_python.empty())
        QSKIP("no Python runtime available on this machine");
    m_window->showCreateFunction();
    CreateFunctionPage *wizard = m_window->createFunctionPage();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
    wizard->selectBlueprint(QStringLiteral("s3-event-logger-python"));
    QVERIFY(wizard->outputPanel()->isHidden());
    wizard->selectBlueprint(QStringLiteral("data-preprocessing-pipeline-python"));
    QVERIFY(!wizard->outputPanel()->isHidden());
    QTest::keyClicks(wizard->form()->nameEdit(), QStringLiteral("clean-orders"));
    QTemporaryDir scratch;
    const QString input = scratch.path() + QStringLiteral("/orders-inbox");
    QVERIFY(QDir().mkpath(input));
    QTest::keyClicks(wizard->triggerForm()->folder(), input);
    wizard->triggerForm()->acknowledge()->setChecked(true);
    QCOMPARE(wizard->outputFolder()->folder(), input + QStringLiteral("-output"));
    QVERIFY(
        wizard->outputFolder()->bucket()->text().contains(QStringLiteral("orders-inbox-output")));
    wizard->outputFolder()->edit()->setText(input); // the trigger's own folder would recurse
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!wizard->flashbar()->text().isEmpty(), kTimeout);
    QVERIFY2(wizard->flashbar()->text().contains(QStringLiteral("folder that triggers")),
             qPrintable(wizard->flashbar()->text()));
    const QString output = scratch.path() + QStringLiteral("/clean-orders");
    wizard->outputFolder()->edit()->setText(output);
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->functionPage() && m_window->functionPage()->isLoaded(),
                             kTimeout);
    QCOMPARE(m_window->functionPage()->function().config.environment.at("OUTPUT_BUCKET"),
             std::string("clean-orders"));
    QVERIFY2(QDir(output).exists(), "the output folder is made");

    QFile csv(input + QStringLiteral("/march.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("id,email,amount,date\n7,g@example.com,3,2026-03-01\n8,bad,3,2026-03-01\n");
    csv.close();
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(output + QStringLiteral("/rejected/march.csv.jsonl")),
                             kTimeout);
    QFile clean(output + QStringLiteral("/clean/march.csv.jsonl"));
    QVERIFY(clean.open(QIODevice::ReadOnly));
    QVERIFY(clean.readAll().contains("g@example.com"));
}

// The runtime list names the interpreter that runs the chosen runtime, and a stand-in version.
void ConsoleFlowTest::wizardSaysWhichInterpreterRunsARuntime()
{
    m_window->showCreateFunction();
    CreateFunctionPage *wizard = m_window->createFunctionPage();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
    const auto hint = [wizard] { return wizard->form()->runtimeHint()->text(); };
    wizard->form()->selectRuntime(QString::fromStdString(m_python));
    QVERIFY2(hint().startsWith(QStringLiteral("Runs on /usr/")), qPrintable(hint()));
    bool ruby = false;
    for (const engine::Availability &runtime : m_host->engine().runtimes())
        ruby = ruby || (runtime.id == "ruby3.4" && runtime.available);
    if (!ruby)
        QSKIP("no Ruby on this machine");
    wizard->form()->selectRuntime(QStringLiteral("ruby3.4"));
    QVERIFY2(hint().contains(QStringLiteral("/usr/bin/ruby3.")), qPrintable(hint()));
    QVERIFY2(hint().contains(QStringLiteral("stands in for 3.4")), qPrintable(hint()));
}

// Author from scratch adds a trigger before Create, as the wizard offers: a schedule here.
void ConsoleFlowTest::scratchWizardAddsATrigger()
{
    if (m_python.empty())
        QSKIP("no Python runtime available on this machine");
    m_window->showCreateFunction();
    CreateFunctionPage *wizard = m_window->createFunctionPage();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
    QVERIFY(!wizard->addTrigger()->isChecked());
    QVERIFY(!wizard->triggerForm()->isVisibleTo(wizard));
    QTest::keyClicks(wizard->form()->nameEdit(), QStringLiteral("nightly"));
    wizard->form()->selectRuntime(QString::fromStdString(m_python));
    QTest::mouseClick(wizard->addTrigger(), Qt::LeftButton, {},
                      QPoint(8, wizard->addTrigger()->height() / 2));
    QVERIFY(wizard->addTrigger()->isChecked());
    QVERIFY(wizard->triggerForm()->isVisibleTo(wizard));
    QTest::keyClicks(wizard->triggerForm()->ruleName(), QStringLiteral("nightly-run"));
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton); // no expression yet
    QVERIFY2(wizard->flashbar()->text().contains(QStringLiteral("Enter a schedule expression")),
             qPrintable(wizard->flashbar()->text()));
    QTest::keyClicks(wizard->triggerForm()->scheduleExpression(),
                     QStringLiteral("cron(0 2 * * ? *)"));
    QVERIFY(wizard->triggerForm()->nextFires()->text().contains(QStringLiteral("02:00:00 UTC")));
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->functionPage() && m_window->functionPage()->isLoaded(),
                             kTimeout);
    QVERIFY(m_window->functionPage()->flashbar()->text().contains(
        QStringLiteral("The trigger nightly-run was added")));
    const auto schedules = m_host->engine().listScheduleTriggers("nightly");
    QVERIFY(schedules.ok() && schedules->size() == 1);
    QCOMPARE(schedules->front().rule.scheduleExpression, std::string("cron(0 2 * * ? *)"));
    QVERIFY(schedules->front().permitted);
}

// Rule names are unique: the blueprint's suggested rule is named after the function until the
// user names it, and going back to Author from scratch leaves nothing of it in the form.
void ConsoleFlowTest::blueprintRuleNameFollowsTheFunctionName()
{
    m_window->showCreateFunction();
    CreateFunctionPage *wizard = m_window->createFunctionPage();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
    wizard->selectBlueprint(QStringLiteral("scheduled-job-python"));
    QCOMPARE(wizard->triggerForm()->source()->currentIndex(), int(TriggerForm::EventBridge));
    QCOMPARE(wizard->triggerForm()->ruleName()->text(), QStringLiteral("every-5-minutes"));
    QCOMPARE(wizard->triggerForm()->scheduleExpression()->text(),
             QStringLiteral("rate(5 minutes)"));
    QTest::keyClicks(wizard->form()->nameEdit(), QStringLiteral("report"));
    QCOMPARE(wizard->triggerForm()->ruleName()->text(), QStringLiteral("report-every-5-minutes"));
    wizard->triggerForm()->ruleName()->setText(QStringLiteral("my-rule"));
    QTest::keyClicks(wizard->form()->nameEdit(), QStringLiteral("s"));
    QCOMPARE(wizard->triggerForm()->ruleName()->text(), QStringLiteral("my-rule"));

    // However long the function's name, the rule's stays within its 64 characters.
    wizard->selectBlueprint(QStringLiteral("hello-world-python"));
    wizard->selectBlueprint(QStringLiteral("scheduled-job-python"));
    QTest::keyClicks(wizard->form()->nameEdit(), QString(60, QLatin1Char('a')));
    QCOMPARE(wizard->triggerForm()->ruleName()->text().size(), 64);
    QVERIFY(
        wizard->triggerForm()->ruleName()->text().endsWith(QStringLiteral("a-every-5-minutes")));

    QTest::mouseClick(wizard->card(CreateFunctionPage::Mode::Scratch), Qt::LeftButton);
    QVERIFY(!wizard->addTrigger()->isChecked());
    QVERIFY(wizard->triggerForm()->ruleName()->text().isEmpty());
    QVERIFY(wizard->triggerForm()->scheduleExpression()->text().isEmpty());
}

void ConsoleFlowTest::functionListFiltersAndDeletes()
{
    if (m_python.empty())
        QSKIP("no Python runtime available on this machine");
    for (const char *name : {"orders-api", "orders-worker", "mailer"}) {
        engine::FunctionConfig config;
        config.name = name;
        config.runtime = m_python;
        config.handler = "lambda_function.lambda_handler";
        QVERIFY(m_host->engine().createFunction(config, makeZipForTest()).ok());
    }
    FunctionListPage *list = m_window->functionListPage();
    list->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 3, kTimeout);
    QTest::keyClicks(list->filter(), QStringLiteral("orders"));
    QCOMPARE(list->proxy()->rowCount(), 2);

    // Select orders-api, Actions > Delete asks for the name; a wrong name keeps Delete disabled.
    list->table()->selectRow(0);
    DeleteFunctionDialog dialog(QStringLiteral("orders-api"));
    QTest::keyClicks(dialog.confirmation(), QStringLiteral("orders"));
    QVERIFY(!dialog.deleteButton()->isEnabled());
    QTest::keyClicks(dialog.confirmation(), QStringLiteral("-api"));
    QVERIFY(dialog.deleteButton()->isEnabled());
    list->deleteFunction(QStringLiteral("orders-api"));
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 2, kTimeout);
    QCOMPARE(list->proxy()->rowCount(), 1);
    QVERIFY(list->flashbar()->text().contains(QStringLiteral("Successfully deleted function orders-api")));

    // The name is a link: one click opens the function page (a click elsewhere in the row selects).
    const QModelIndex row = list->proxy()->index(0, 0);
    const QPoint center = list->table()->visualRect(row).center();
    QTest::mouseClick(list->table()->viewport(), Qt::LeftButton, {}, center);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->functionPage() && m_window->functionPage()->isLoaded(), kTimeout);
    QCOMPARE(m_window->functionPage()->functionName(), QStringLiteral("orders-worker"));
}

void ConsoleFlowTest::everyBlueprintRunsWithItsTestEvent()
{
    // The blueprints are starting points users run first thing: each must work as shipped.
    std::set<std::string> available;
    for (const engine::Availability &runtime : m_host->engine().runtimes())
        if (runtime.available)
            available.insert(runtime.id);
    int ran = 0;
    for (const Blueprint &blueprint : loadBlueprints()) {
        if (!available.count(blueprint.manifest.runtime)) {
            qInfo("skipping %s: %s is not available here", qPrintable(blueprint.id),
                  blueprint.manifest.runtime.c_str());
            continue;
        }
        engine::FunctionConfig config;
        config.name = ("bp-" + blueprint.id).left(64).toStdString();
        config.runtime = blueprint.manifest.runtime;
        config.handler = blueprint.manifest.handler;
        config.timeoutSeconds = 30;
        const auto created = m_host->engine().createFunction(config, makeZip(blueprint.files));
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        engine::InvokeRequest request;
        request.functionName = config.name;
        request.payload =
            eventTemplate(blueprint.text(&engine::BlueprintManifest::testEvent)).toStdString();
        request.tailLog = true;
        const auto result = m_host->engine().invoke(request);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QVERIFY2(!result->functionError, qPrintable(blueprint.id + QLatin1Char('\n') + QString::fromStdString(result->payload) +
                                                     QLatin1Char('\n') + QString::fromStdString(result->logTail)));
        ++ran;
    }
    QVERIFY2(ran >= 6, "at least six blueprints run on this machine");
}

QTEST_MAIN(ConsoleFlowTest)
#include "consoleflow_test.moc"
