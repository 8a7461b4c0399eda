// The Dashboard: account figures as GetAccountSettings reports them, metrics over every
// function with live updates, the top functions; and its summary's arithmetic on its own.
#include "apptestsupport.h"
#include "testzip.h"

#include "mainwindow.h"
#include "screens/dashboardpage.h"
#include "screens/dashboardstats.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QStandardItemModel>

using namespace lambdesk;
using namespace lambdesk::app;
using lambdesk::app::testing::TestEngine;

namespace {
constexpr int kWait = 30'000;

engine::InvocationRecord run(std::string function, std::int64_t startMs, double durationMs,
                             engine::InvocationStatus status = engine::InvocationStatus::Succeeded)
{
    engine::InvocationRecord record;
    record.functionName = std::move(function);
    record.startTimeMs = startMs;
    record.durationMs = durationMs;
    record.status = status;
    return record;
}
} // namespace

class DashboardTest : public QObject {
    Q_OBJECT
private slots:
    void summaryCountsOverlapsAndRanks();
    void pageShowsTheAccountAndFollowsInvocations();
};

void DashboardTest::summaryCountsOverlapsAndRanks()
{
    using engine::InvocationStatus;
    // 10 slots of 100 ms. a: three overlapping in slot 0, one in slot 5; b: a failure and a
    // throttle; c: slow. One before the range and one after do not count.
    const std::vector<engine::InvocationRecord> records = {
        run("a", 0, 50),
        run("a", 10, 50),
        run("a", 20, 5),
        run("a", 550, 10),
        run("b", 600, 1, InvocationStatus::FunctionError),
        run("b", 610, 0, InvocationStatus::Throttled),
        run("c", 900, 80),
        run("c", -5, 1),
        run("c", 1000, 1),
        run("d", -100, 150)}; // started before the range, still running in slot 0
    const DashboardSummary s = summarizeAccount(records, 0, 1000, 10, 2);
    QCOMPARE(s.invocations, 7);
    QCOMPARE(s.errors, 1);
    QCOMPARE(s.throttles, 1);
    QCOMPARE(s.peakConcurrency, 4);
    QCOMPARE(s.concurrencyPerBucket[0].y(), 4.0);
    QCOMPARE(s.concurrencyPerBucket[1].y(), 0.0);
    QCOMPARE(s.concurrencyPerBucket[5].y(), 1.0);
    QCOMPARE(s.invocationsPerBucket[6].y(), 2.0);
    QCOMPARE(s.throttlesPerBucket[6].y(), 1.0);
    QCOMPARE(s.p99, 80.0);
    QCOMPARE(s.p99PerBucket.size(), 4); // slots 0, 5, 6 and 9 ran something
    QCOMPARE(s.mostErrors.size(), std::size_t(1));
    QCOMPARE(s.mostErrors[0].name, QStringLiteral("b"));
    QCOMPARE(s.mostErrors[0].invocations, 2);
    QCOMPARE(s.slowest.size(), std::size_t(2)); // top 2
    QCOMPARE(s.slowest[0].name, QStringLiteral("c"));
    QCOMPARE(s.slowest[1].name, QStringLiteral("a"));
}

void DashboardTest::pageShowsTheAccountAndFollowsInvocations()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const std::string python = engine.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    engine::Engine &e = engine.engine();
    QVERIFY(createEchoFunction(e, "fine", python));
    engine::FunctionConfig failing;
    failing.name = "broken";
    failing.runtime = python;
    failing.handler = "lambda_function.lambda_handler";
    QVERIFY(e.createFunction(
        failing,
        makeZip({{"lambda_function.py",
                  "def lambda_handler(event, context):\n    raise ValueError('no')\n", false}})));
    QVERIFY(e.putFunctionConcurrency("fine", 10));
    auto invoke = [&](const char *name) {
        engine::InvokeRequest request;
        request.functionName = name;
        request.payload = "{}";
        QVERIFY(e.invoke(request));
    };
    for (int i = 0; i < 3; ++i)
        invoke("fine");
    invoke("broken");

    MainWindow window(e, QString());
    window.resize(1300, 900);
    window.show();
    window.showDashboard();
    DashboardPage *page = window.dashboardPage();
    QTRY_VERIFY_WITH_TIMEOUT(page->isLoaded(), kWait);
    const engine::AccountSettings settings = e.accountSettings();
    QCOMPARE(page->statText(QStringLiteral("Lambda function(s)")), QStringLiteral("2"));
    QCOMPARE(page->statText(QStringLiteral("Full account concurrency")),
             QString::number(settings.concurrentExecutions));
    QCOMPARE(page->statText(QStringLiteral("Unreserved account concurrency")),
             QString::number(settings.concurrentExecutions - 10));
    QVERIFY(page->statText(QStringLiteral("Code storage")).endsWith(QStringLiteral("of 75.0 GB)")));
    QCOMPARE(page->statText(QStringLiteral("Invocations")), QStringLiteral("4"));
    QCOMPARE(page->statText(QStringLiteral("Errors")), QStringLiteral("1"));
    QCOMPARE(page->mostErrors()->rowCount(), 1);
    QCOMPARE(page->mostErrors()->item(0, 0)->text(), QStringLiteral("broken"));
    QCOMPARE(page->slowest()->rowCount(), 2);

    // Live: a new invocation anywhere shows without a reload ("All" does not slide, so only
    // the invocation itself can redraw it).
    QSignalSpy refreshed(page, &DashboardPage::refreshed);
    page->rangeBox()->setCurrentIndex(page->rangeBox()->findText(QStringLiteral("All")));
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, kWait);
    invoke("broken");
    QTRY_COMPARE_WITH_TIMEOUT(page->statText(QStringLiteral("Errors")), QStringLiteral("2"), kWait);
    QCOMPARE(page->statText(QStringLiteral("Invocations")), QStringLiteral("5"));

    // A function in the top lists opens on its Monitor.
    QSignalSpy opened(page, &DashboardPage::functionActivated);
    emit page->functionActivated(QStringLiteral("broken"));
    QTRY_VERIFY_WITH_TIMEOUT(window.functionPage() != nullptr, kWait);
    QCOMPARE(window.functionPage()->functionName(), QStringLiteral("broken"));
}

QTEST_MAIN(DashboardTest)
#include "dashboard_test.moc"
