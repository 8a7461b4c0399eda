// FunctionController, the function page's one link to the engine: answers arrive on the GUI
// thread for the widget that asked, an answer for a widget that is gone is dropped, compound
// steps leave the function as they say, and a load run's invoker outlives the controller.
#include "apptestsupport.h"
#include "function/functioncontroller.h"
#include "testzip.h"

#include <QThread>
#include <QtTest>

#include <atomic>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {
constexpr int kTimeout = 60'000;
}

class FunctionControllerTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void init();
    void cleanup() { m_host.reset(); }
    void answersOnTheGuiThreadForTheFunctionItNames();
    void dropsTheAnswerForAWidgetThatIsGone();
    void concurrencyAndTagsAnswerWithTheFunctionAsItNowIs();
    void invokerOutlivesTheController();

private:
    std::unique_ptr<testing::TestEngine> m_host;
};

void FunctionControllerTest::init()
{
    m_host = std::make_unique<testing::TestEngine>();
    QVERIFY2(m_host->ok(), qPrintable(m_host->error()));
    const std::string python = m_host->runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime available on this machine");
    for (const char *name : {"ctl-fn", "ctl-other"}) {
        const auto created = createEchoFunction(m_host->engine(), name, python);
        QVERIFY2(created.ok(), created ? "" : created.error().message.c_str());
    }
}

void FunctionControllerTest::answersOnTheGuiThreadForTheFunctionItNames()
{
    const FunctionController controller(m_host->engine(), "ctl-fn");
    QObject context;
    bool answered = false;
    controller.load(&context, [&](engine::Result<engine::FunctionInfo> info) {
        QCOMPARE(QThread::currentThread(), qApp->thread());
        QVERIFY(info.ok());
        QCOMPARE(info->config.name, std::string("ctl-fn"));
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, kTimeout);
}

void FunctionControllerTest::dropsTheAnswerForAWidgetThatIsGone()
{
    const FunctionController controller(m_host->engine(), "ctl-fn");
    bool goneAnswered = false;
    {
        QObject gone;
        controller.listVersions(&gone, [&](auto) { goneAnswered = true; });
    }
    QObject present;
    bool presentAnswered = false;
    controller.listVersions(&present, [&](auto) { presentAnswered = true; });
    QTRY_VERIFY_WITH_TIMEOUT(presentAnswered, kTimeout);
    QVERIFY(enginePool()->waitForDone(kTimeout));
    QCoreApplication::processEvents();
    QVERIFY(!goneAnswered);
}

void FunctionControllerTest::concurrencyAndTagsAnswerWithTheFunctionAsItNowIs()
{
    const FunctionController controller(m_host->engine(), "ctl-fn");
    QObject context;
    std::optional<engine::FunctionInfo> seen;
    controller.setReservedConcurrency(&context, 0, [&](engine::Result<engine::FunctionInfo> info) {
        QVERIFY(info.ok());
        seen = info.value();
    });
    QTRY_VERIFY_WITH_TIMEOUT(seen.has_value(), kTimeout);
    QCOMPARE(seen->reservedConcurrency, std::optional<int>(0));

    seen.reset();
    const std::string arn = m_host->engine().getFunction("ctl-fn")->functionArn;
    QVERIFY(m_host->engine().tagResource(arn, {{"team", "a"}, {"old", "x"}}).ok());
    controller.changeTags(&context, arn, {{"team", "b"}}, {"old"},
                          [&](engine::Result<engine::FunctionInfo> info) {
                              QVERIFY(info.ok());
                              seen = info.value();
                          });
    QTRY_VERIFY_WITH_TIMEOUT(seen.has_value(), kTimeout);
    const auto tags = m_host->engine().listTags(arn);
    QVERIFY(tags.ok());
    QCOMPARE(*tags, (std::map<std::string, std::string>{{"team", "b"}}));

    // The other function is untouched: the controller acts on the one it names.
    const auto other = m_host->engine().getFunction("ctl-other");
    QVERIFY(other.ok());
    QCOMPARE(other->reservedConcurrency, std::optional<int>());
}

void FunctionControllerTest::invokerOutlivesTheController()
{
    std::function<engine::Result<engine::InvokeResult>(const std::string &)> invoke;
    {
        const FunctionController controller(m_host->engine(), "ctl-fn");
        invoke = controller.invoker();
    }
    const auto result = invoke(R"({"hello":"world"})");
    QVERIFY2(result.ok(), result ? "" : result.error().message.c_str());
    QVERIFY(!result->functionError);
    QCOMPARE(QString::fromStdString(result->payload).remove(QLatin1Char(' ')),
             QStringLiteral(R"({"hello":"world"})"));
}

QTEST_MAIN(FunctionControllerTest)
#include "functioncontroller_test.moc"
