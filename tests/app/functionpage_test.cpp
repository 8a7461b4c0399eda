// The function page's guarantees: bad input never crashes or loses work (invalid event JSON, a
// deploy that fails, invalid environment variables), drafts survive closing the page, and the
// Monitor stays responsive with 100 000 recorded invocations.

#include "apptestsupport.h"

#include "function/codetab.h"
#include "function/configurationtab.h"
#include "function/environmentsection.h"
#include "function/executionresult.h"
#include "function/functionpage.h"
#include "function/generalconfigsection.h"
#include "function/loadrunner.h"
#include "function/monitorcharts.h"
#include "function/monitortab.h"
#include "function/testtab.h"
#include "invocationfeed.h"
#include "models/invocationmodel.h"
#include "models/keyvaluemodel.h"
#include "widgets/flashbar.h"
#include "testzip.h"

#include "lambdesk/editor/codedocument.h"
#include "lambdesk/editor/codeworkspace.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {
constexpr int kTimeout = 60'000;
}

class FunctionPageTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void invalidEventJsonShowsErrorAndKeepsText();
    void savedEventsRoundTrip();
    void failedDeployKeepsEditsAndShowsError();
    void draftSurvivesClosingThePage();
    void configurationValidatesAndSaves();
    void monitorStaysResponsiveWithHundredThousandRecords();
    void shortcutsWorkFromInsideTheEditors();
    void uploadZipReplacesTheCode();
    void loadRunShowsLiveOnTheMonitor();
    void pageOnAnAliasIsThatVersionReadOnly();

private:
    std::unique_ptr<FunctionPage> openPage(const QString &name, FunctionPage::Tab tab);
    std::unique_ptr<testing::TestEngine> m_host;
    std::unique_ptr<InvocationFeed> m_feed;
    std::string m_python;
};

void FunctionPageTest::initTestCase()
{
    testing::prepareApplication();
}

void FunctionPageTest::init()
{
    m_host = std::make_unique<testing::TestEngine>();
    QVERIFY2(m_host->ok(), qPrintable(m_host->error()));
    m_python = m_host->runtimeLike("python");
    if (m_python.empty())
        QSKIP("no Python runtime available on this machine");
    const auto created = createEchoFunction(m_host->engine(), "page-fn", m_python);
    QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
    m_feed = std::make_unique<InvocationFeed>(m_host->engine());
}

void FunctionPageTest::cleanup()
{
    m_feed.reset();
    m_host.reset();
}

std::unique_ptr<FunctionPage> FunctionPageTest::openPage(const QString &name, FunctionPage::Tab tab)
{
    auto page = std::make_unique<FunctionPage>(m_host->engine(), m_feed.get(), name);
    page->resize(1280, 1000);
    page->showTab(tab);
    page->show();
    // The page's shortcuts only fire in the active window; under load the platform may not
    // have activated it yet when a test sends its keys.
    QApplication::setActiveWindow(page.get());
    page->load();
    return page;
}

void FunctionPageTest::invalidEventJsonShowsErrorAndKeepsText()
{
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Test);
    TestTab *test = page->testTab();
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    QVERIFY(test->jsonError()->isHidden());

    // Type a broken event into the editor, as a user would.
    QWidget *editor = testing::scintillaIn(test->eventView()->widget());
    QVERIFY(editor);
    test->eventDocument()->setText(QString());
    testing::typeAtStart(editor, QStringLiteral("{\"key1\": \"value1\",\n\"key2\": }"));
    const QString typed = test->eventDocument()->text();
    QVERIFY(typed.contains(QStringLiteral("\"key2\"")));
    QTRY_VERIFY(test->jsonError()->isVisibleTo(page.get()));
    QVERIFY2(test->jsonError()->text().contains(QStringLiteral("line 2")), qPrintable(test->jsonError()->text()));

    // Test refuses to run and says why; Save refuses too; Format leaves it alone. Text is kept.
    QTest::mouseClick(test->testButton(), Qt::LeftButton);
    QVERIFY(!test->isRunning());
    QVERIFY(test->result()->title().contains(QStringLiteral("failed")));
    test->eventName()->setText(QStringLiteral("broken"));
    test->saveEvent();
    test->formatJson();
    QCOMPARE(test->eventDocument()->text(), typed);
    QVERIFY(m_host->engine().listTestEvents("page-fn")->empty());
    QVERIFY(m_host->engine().listInvocations({"page-fn", 0, 0, 0, false, {}, {}}).empty());

    // Fixing it clears the error, and Test then runs.
    QTest::keyClick(editor, Qt::Key_End, Qt::ControlModifier);
    QTest::keyClick(editor, Qt::Key_Left); // before the closing brace
    QTest::keyClicks(editor, QStringLiteral("42"));
    QTRY_VERIFY(test->jsonError()->isHidden());
    test->runTest();
    QTRY_VERIFY_WITH_TIMEOUT(!test->isRunning(), kTimeout);
    QVERIFY2(test->result()->succeeded(), qPrintable(test->result()->logOutput()));
    QVERIFY(test->result()->response().contains(QStringLiteral("\"key2\": 42")));
}

void FunctionPageTest::savedEventsRoundTrip()
{
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Test);
    TestTab *test = page->testTab();
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    QVERIFY(!test->editSavedRadio()->isEnabled()); // nothing saved yet
    test->templates()->setCurrentText(QStringLiteral("s3-put"));
    QVERIFY(test->eventDocument()->text().contains(QStringLiteral("ObjectCreated:Put")));
    test->eventName()->setText(QStringLiteral("not valid!"));
    test->saveEvent();
    QVERIFY(m_host->engine().listTestEvents("page-fn")->empty());
    test->eventName()->setText(QStringLiteral("upload"));
    test->saveEvent();
    QTRY_VERIFY_WITH_TIMEOUT(test->editSavedRadio()->isChecked(), kTimeout);
    QCOMPARE(test->savedEvents()->currentText(), QStringLiteral("upload"));
    QVERIFY(page->flashbar()->text().contains(QStringLiteral("upload")));
    const auto saved = m_host->engine().listTestEvents("page-fn");
    QVERIFY(saved.ok());
    QCOMPARE(saved->size(), std::size_t(1));
    QVERIFY(saved->front().json.find("ObjectCreated:Put") != std::string::npos);
}

void FunctionPageTest::failedDeployKeepsEditsAndShowsError()
{
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Code);
    CodeTab *code = page->codeTab();
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    QWidget *editor = testing::scintillaIn(code->workspace()->currentView()->widget());
    QVERIFY(editor);
    testing::typeAtStart(editor, QStringLiteral("# keep me\n"));
    const QString edited = code->workspace()->currentView()->document()->text();

    // Someone deletes the function behind the page's back: the deploy must fail cleanly.
    QVERIFY(m_host->engine().deleteFunction("page-fn").ok());
    QTest::keyClick(page.get(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier); // Ctrl+Shift+D
    QTRY_VERIFY_WITH_TIMEOUT(code->deployError()->isVisibleTo(page.get()), kTimeout);
    QVERIFY(!code->isDeploying());
    QVERIFY(code->deployError()->text().contains(QStringLiteral("Deploy failed")));
    QCOMPARE(page->flashbar()->kind(), Flashbar::Kind::Error);
    QVERIFY(code->workspace()->isModified());
    QCOMPARE(code->workspace()->currentView()->document()->text(), edited);
    QVERIFY(code->notDeployedNotice()->isVisibleTo(page.get()));
    QVERIFY(code->deployButton()->isEnabled());
}

void FunctionPageTest::draftSurvivesClosingThePage()
{
    {
        auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Code);
        CodeTab *code = page->codeTab();
        QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
        QWidget *editor = testing::scintillaIn(code->workspace()->currentView()->widget());
        testing::typeAtStart(editor, QStringLiteral("# saved with ctrl s\n"));
        QSignalSpy saved(code, &CodeTab::draftSaved);
        QTest::keyClick(editor, Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1, kTimeout);
        QVERIFY(!code->workspace()->isModified());
        QVERIFY(code->notDeployedNotice()->isVisibleTo(page.get())); // saved, still not deployed
        const auto draft = m_host->engine().loadDraft("page-fn");
        QVERIFY(draft.ok() && !draft->empty());
        QVERIFY(draft->front().content.find("# saved with ctrl s") != std::string::npos);

        // More typing, then the page closes without Ctrl+S: the edit is kept on the way out.
        testing::typeAtStart(editor, QStringLiteral("# typed before closing\n"));
    }
    enginePool()->waitForDone();
    const auto draft = m_host->engine().loadDraft("page-fn");
    QVERIFY(draft.ok() && !draft->empty());
    QVERIFY(draft->front().content.find("# typed before closing") != std::string::npos);
    QVERIFY(m_host->engine().readCode("page-fn")->front().content.find("# typed") == std::string::npos);

    // Reopening restores the draft, says so, and shows it as not deployed.
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Code);
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    CodeTab *code = page->codeTab();
    QVERIFY(code->notDeployedNotice()->isVisibleTo(page.get()));
    QVERIFY(page->flashbar()->text().contains(QStringLiteral("draft")));
    QVERIFY(code->workspace()->currentView()->document()->text().contains(QStringLiteral("# typed before closing")));

    // Deploying makes the draft the code and drops it.
    code->deploy();
    QTRY_VERIFY_WITH_TIMEOUT(page->flashbar()->text() == QStringLiteral("Successfully updated the function page-fn."), kTimeout);
    QVERIFY(m_host->engine().loadDraft("page-fn")->empty());
    QVERIFY(m_host->engine().readCode("page-fn")->front().content.find("# typed before closing") != std::string::npos);
}

void FunctionPageTest::configurationValidatesAndSaves()
{
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Configuration);
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    ConfigurationTab *configuration = page->configurationTab();

    GeneralConfigSection *general = configuration->general();
    general->edit();
    general->memory()->setValue(512);
    general->description()->setText(QStringLiteral("resizes images"));
    QCOMPARE(general->snapStart()->currentText(), QStringLiteral("None"));
    general->snapStart()->setCurrentText(QStringLiteral("PublishedVersions"));
    general->save();
    QTRY_VERIFY_WITH_TIMEOUT(!general->isEditing(), kTimeout);
    QCOMPARE(m_host->engine().getFunction("page-fn")->config.memorySizeMb, 512);
    QCOMPARE(m_host->engine().getFunction("page-fn")->config.snapStartApplyOn, std::string("PublishedVersions"));
    QCOMPARE(page->function().config.description, std::string("resizes images"));

    configuration->showSection(ConfigurationTab::Section::Environment);
    EnvironmentSection *environment = configuration->environment();
    environment->edit();
    const int row = environment->formModel()->addRow(QStringLiteral("2FAST"), QStringLiteral("x"));
    environment->save();
    QVERIFY(environment->isEditing());
    QVERIFY(environment->errorText().contains(QStringLiteral("Row 1")));
    QVERIFY(environment->formModel()->setData(environment->formModel()->index(row, 0), QStringLiteral("BUCKET"), Qt::EditRole));
    environment->save();
    QTRY_VERIFY_WITH_TIMEOUT(!environment->isEditing(), kTimeout);
    QCOMPARE(m_host->engine().getFunction("page-fn")->config.environment.at("BUCKET"), std::string("x"));
}

void FunctionPageTest::monitorStaysResponsiveWithHundredThousandRecords()
{
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Monitor);
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    MonitorTab *monitor = page->monitorTab();
    monitor->setRange(TimeRange::All);

    // 100 000 records as the feed would deliver them during a long load run.
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 100'000 * 10;
    std::vector<engine::InvocationRecord> records(100'000);
    for (int i = 0; i < int(records.size()); ++i) {
        engine::InvocationRecord &r = records[std::size_t(i)];
        r.requestId = std::to_string(i); // ("r" + to_string trips a GCC 12 -Wrestrict false positive)
        r.functionName = "page-fn";
        r.startTimeMs = t0 + i * 10;
        r.durationMs = 1 + (i % 97);
        r.coldStart = i % 5000 == 0;
        r.initDurationMs = r.coldStart ? 150 : 0;
        r.status = i % 1000 == 999 ? engine::InvocationStatus::FunctionError : engine::InvocationStatus::Succeeded;
    }
    QElapsedTimer feeding;
    feeding.start();
    monitor->addRecords(records);
    qInfo("added 100000 records in %lld ms", feeding.elapsed());

    // While the statistics are computed off-thread, the GUI thread keeps turning.
    qint64 worstGap = 0;
    QElapsedTimer sinceTick;
    sinceTick.start();
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, [&] {
        worstGap = std::max(worstGap, sinceTick.restart());
    });
    ticker.start();
    QTRY_COMPARE_WITH_TIMEOUT(monitor->charts()->statText(QStringLiteral("Invocations")), QStringLiteral("100000"), kTimeout);
    ticker.stop();
    qInfo("worst GUI thread gap while the monitor redrew: %lld ms", worstGap);
    QVERIFY2(worstGap < 500, "the GUI thread must not block while 100 000 records are summarised");
    QVERIFY(monitor->charts()->warmPointCount() <= 2000);
    QCOMPARE(monitor->charts()->coldPointCount(), 20);
    QCOMPARE(monitor->charts()->statText(QStringLiteral("Errors")), QStringLiteral("100"));
    QVERIFY(monitor->invocations()->rowCount() <= 500);
}

void FunctionPageTest::shortcutsWorkFromInsideTheEditors()
{
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Test);
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);

    // Ctrl+T while typing the event runs the test (the editor must not take the key).
    QWidget *eventEditor = testing::scintillaIn(page->testTab()->eventView()->widget());
    eventEditor->setFocus();
    const QString before = page->testTab()->eventDocument()->text();
    QTest::keyClick(eventEditor, Qt::Key_T, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(page->testTab()->result()->isVisibleTo(page.get()) && !page->testTab()->isRunning(), kTimeout);
    QVERIFY(page->testTab()->result()->succeeded());
    QCOMPARE(page->testTab()->eventDocument()->text(), before);

    // Ctrl+Shift+D inside the code editor deploys.
    page->showTab(FunctionPage::Tab::Code);
    CodeTab *code = page->codeTab();
    QTRY_VERIFY_WITH_TIMEOUT(code->isLoaded(), kTimeout);
    QWidget *codeEditor = testing::scintillaIn(code->workspace()->currentView()->widget());
    testing::typeAtStart(codeEditor, QStringLiteral("# via shortcut\n"));
    QTest::keyClick(codeEditor, Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY_WITH_TIMEOUT(page->flashbar()->text() == QStringLiteral("Successfully updated the function page-fn."), kTimeout);
    QVERIFY(m_host->engine().readCode("page-fn")->front().content.find("# via shortcut") != std::string::npos);
}

void FunctionPageTest::uploadZipReplacesTheCode()
{
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Code);
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    QTemporaryDir dir;
    QFile zip(dir.filePath(QStringLiteral("package.zip")));
    QVERIFY(zip.open(QIODevice::WriteOnly));
    zip.write(QByteArray::fromStdString(makeZip(
        {{"lambda_function.py", "def lambda_handler(event, context):\n    return 'uploaded'\n", false},
         {"helpers.py", "VALUE = 1\n", false}})));
    zip.close();
    const std::string oldSha = page->function().codeSha256;
    page->codeTab()->uploadZip(zip.fileName());
    QTRY_VERIFY_WITH_TIMEOUT(page->function().codeSha256 != oldSha, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(page->codeTab()->workspace()->files().size(), qsizetype(2), kTimeout);
    QVERIFY(page->flashbar()->text().startsWith(QStringLiteral("Successfully updated the function page-fn")));

    // A file that is not a zip: the error is shown and the code stays.
    QFile junk(dir.filePath(QStringLiteral("junk.zip")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("definitely not a zip");
    junk.close();
    const std::string sha = m_host->engine().getFunction("page-fn")->codeSha256;
    page->codeTab()->uploadZip(junk.fileName());
    QTRY_COMPARE_WITH_TIMEOUT(page->flashbar()->kind(), Flashbar::Kind::Error, kTimeout);
    QVERIFY(page->flashbar()->text().contains(QStringLiteral("junk.zip")));
    QCOMPARE(m_host->engine().getFunction("page-fn")->codeSha256, sha);
}

void FunctionPageTest::loadRunShowsLiveOnTheMonitor()
{
    auto page = openPage(QStringLiteral("page-fn"), FunctionPage::Tab::Monitor);
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    MonitorTab *monitor = page->monitorTab();
    QSignalSpy finished(monitor->loadRunner(), &LoadRunner::finished);
    monitor->runLoad(24, 3);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeout);
    QCOMPARE(finished.first().at(0).toInt(), 24); // completed
    QCOMPARE(finished.first().at(1).toInt(), 0);  // failed
    // Every invocation reaches the charts through the live feed, without a reload.
    QTRY_COMPARE_WITH_TIMEOUT(monitor->charts()->statText(QStringLiteral("Invocations")), QStringLiteral("24"), kTimeout);
    QVERIFY(monitor->charts()->coldPointCount() >= 1);
    QVERIFY(monitor->charts()->coldPointCount() <= 3); // at most one cold start per concurrent worker
    QVERIFY(monitor->charts()->warmPointCount() >= 21);
    QCOMPARE(monitor->invocations()->rowCount(), 24);
}

// function:NAME:ALIAS, as the console opens it: the alias's version's code read-only (typing
// and Ctrl+Shift+D change nothing), Test invokes through the alias, the Monitor shows only the
// alias's invocations, and the function-wide tabs and actions stay on the function's page.
void FunctionPageTest::pageOnAnAliasIsThatVersionReadOnly()
{
    engine::Engine &e = m_host->engine();
    QVERIFY(e.deployFiles("page-fn",
                          {{"lambda_function.py",
                            "def lambda_handler(event, context):\n    return 'one'\n", false}}));
    QVERIFY(e.publishVersion("page-fn"));
    QVERIFY(e.deployFiles("page-fn",
                          {{"lambda_function.py",
                            "def lambda_handler(event, context):\n    return 'two'\n", false}}));
    const engine::AliasConfig live{"live", "1", {}, {}};
    QVERIFY(e.createAlias("page-fn", live));
    engine::InvokeRequest direct{};
    direct.functionName = "page-fn";
    QVERIFY(e.invoke(direct)); // $LATEST: not the alias's

    auto page = openPage(QStringLiteral("page-fn:live"), FunctionPage::Tab::Code);
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kTimeout);
    QCOMPARE(page->functionName(), QStringLiteral("page-fn"));
    QCOMPARE(page->qualifiedName(), QStringLiteral("page-fn:live"));
    QCOMPARE(page->function().version, std::string("1"));
    QTRY_VERIFY_WITH_TIMEOUT(
        page->flashbar()->text().contains(QStringLiteral("Alias live of page-fn")), kTimeout);
    CodeTab *code = page->codeTab();
    QVERIFY(code->workspace()->isReadOnly());
    QCOMPARE(code->workspace()->files().front().content,
             QByteArray("def lambda_handler(event, context):\n    return 'one'\n"));
    QWidget *codeEditor = testing::scintillaIn(code->workspace()->currentView()->widget());
    testing::typeAtStart(codeEditor, QStringLiteral("# edit\n"));
    QTest::keyClick(codeEditor, Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(!code->isDeploying()); // a deploy would start at once: the key and the call refuse
    code->deploy();
    QVERIFY(!code->isDeploying());
    QVERIFY(!code->hasUndeployedChanges());
    QCOMPARE(e.readCode("page-fn")->front().content,
             std::string("def lambda_handler(event, context):\n    return 'two'\n"));

    // Only Code, Test and Monitor; a hidden tab cannot be shown.
    QTabWidget *tabs = page->findChild<QTabWidget *>();
    QVERIFY(!tabs->isTabVisible(int(FunctionPage::Tab::Configuration)));
    QVERIFY(!tabs->isTabVisible(int(FunctionPage::Tab::Versions)));
    page->showTab(FunctionPage::Tab::Configuration);
    QCOMPARE(page->currentTab(), FunctionPage::Tab::Code);

    page->showTab(FunctionPage::Tab::Test);
    page->testTab()->runTest();
    QTRY_VERIFY_WITH_TIMEOUT(page->testTab()->result()->isVisibleTo(page.get()) &&
                                 !page->testTab()->isRunning(),
                             kTimeout);
    QVERIFY(page->testTab()->result()->succeeded());
    engine::InvocationQuery viaLive;
    viaLive.functionName = "page-fn";
    viaLive.alias = "live";
    const auto records = e.listInvocations(viaLive);
    QCOMPARE(records.size(), std::size_t(1));
    QCOMPARE(records[0].version, std::string("1"));

    page->showTab(FunctionPage::Tab::Monitor);
    QCOMPARE(page->monitorTab()->qualifierFilter(), QStringLiteral("alias:live"));
    QTRY_COMPARE_WITH_TIMEOUT(page->monitorTab()->sampleCount(), std::size_t(1), kTimeout);
}

QTEST_MAIN(FunctionPageTest)
#include "functionpage_test.moc"
