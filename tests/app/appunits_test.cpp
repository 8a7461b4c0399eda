// The console's pure helpers: JSON checks, formatting, Monitor statistics (with 100 000
// samples), the in-memory zip writer, command-line options, event templates and starters.

#include "apptestsupport.h"

#include "appoptions.h"
#include "errortext.h"
#include "format.h"
#include "function/eventtemplates.h"
#include "function/executionresult.h"
#include "function/invocationstats.h"
#include "function/monitorcharts.h"
#include "jsontext.h"
#include "screens/starters.h"
#include "testzip.h"
#include "widgets/consoletable.h"

#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTableView>
#include <QtTest>
#include <algorithm>
#include <random>

using namespace lambdesk;
using namespace lambdesk::app;

class AppUnitsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void checkJsonFindsLineAndColumn();
    void checkJsonAcceptsAnyValue();
    void prettyJsonIndentsObjects();
    void relativeTimeReadsLikeTheConsole();
    void byteSizes();
    void timeoutLimitsReadFromTheEngine();
    void consoleTablesAreReadOnlyOneLineRows();
    void durationAxisLabelsNeverRepeat();
    void percentilesByNearestRank();
    void summarizeSplitsColdWarmErrorsThrottles();
    void summarizeThinsHundredThousandSamplesQuickly();
    void zipIsAcceptedByTheEngine();
    void optionsParse();
    void optionsRejectBadValues();
    void eventTemplatesAreValidJson();
    void startersPerRuntimeFamily();
    void executionResultNamesASnapStartRestore();
    void engineErrorsReadAsTheEngineWordsThem();
};

void AppUnitsTest::engineErrorsReadAsTheEngineWordsThem()
{
    const engine::Error notFound{
        engine::ErrorCode::NotFound,
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:x\n"};
    QCOMPARE(
        engineErrorText(notFound),
        QStringLiteral("Function not found: arn:aws:lambda:us-east-1:000000000000:function:x"));
    QVERIFY(!engineErrorText(engine::Error{engine::ErrorCode::ServiceError, ""}).isEmpty());
}

void AppUnitsTest::checkJsonFindsLineAndColumn()
{
    const auto problem = checkJson(QStringLiteral("{\n  \"key1\": \"value1\",\n  \"key2\" \"value2\"\n}"));
    QVERIFY(problem.has_value());
    QCOMPARE(problem->line, 3);
    QVERIFY2(problem->column >= 9 && problem->column <= 11, qPrintable(QString::number(problem->column)));
    QVERIFY(!problem->message.isEmpty());
    QVERIFY(checkJson(QString()).has_value());
    QVERIFY(checkJson(QStringLiteral("{\"a\": 1} {\"b\": 2}")).has_value());
}

void AppUnitsTest::checkJsonAcceptsAnyValue()
{
    for (const char *valid : {"{}", "[1, 2]", "\"text\"", "42", "true", "null", "  {\"a\": [1, {\"b\": null}]}  "})
        QVERIFY2(!checkJson(QString::fromUtf8(valid)).has_value(), valid);
    for (const char *invalid : {"{", "{\"a\": }", "[1,]", "nope", "{'a': 1}"})
        QVERIFY2(checkJson(QString::fromUtf8(invalid)).has_value(), invalid);
}

void AppUnitsTest::prettyJsonIndentsObjects()
{
    QCOMPARE(prettyJson(QStringLiteral("{\"a\":1}")), QStringLiteral("{\n    \"a\": 1\n}"));
    QCOMPARE(prettyJson(QStringLiteral(" \"value1\" ")), QStringLiteral("\"value1\""));
    QCOMPARE(prettyJson(QStringLiteral("not json")), QStringLiteral("not json"));
}

void AppUnitsTest::relativeTimeReadsLikeTheConsole()
{
    const qint64 now = 1'700'000'000'000;
    QCOMPARE(relativeTime(now - 10'000, now), QStringLiteral("just now"));
    QCOMPARE(relativeTime(now - 60'000, now), QStringLiteral("1 minute ago"));
    QCOMPARE(relativeTime(now - 3 * 60'000, now), QStringLiteral("3 minutes ago"));
    QCOMPARE(relativeTime(now - 2 * 3600'000, now), QStringLiteral("2 hours ago"));
    QCOMPARE(relativeTime(now - 86400'000LL * 3, now), QStringLiteral("3 days ago"));
    QCOMPARE(relativeTime(0, now), QStringLiteral("-"));
}

void AppUnitsTest::byteSizes()
{
    QCOMPARE(byteSize(299), QStringLiteral("299 byte"));
    QCOMPARE(byteSize(2048), QStringLiteral("2.0 kB"));
    QCOMPARE(byteSize(5 * 1024 * 1024), QStringLiteral("5.0 MB"));
    QCOMPARE(byteSize(80530636800), QStringLiteral("75.0 GB")); // the account's code storage
    QCOMPARE(commaList({}), QStringLiteral("-"));
    QCOMPARE(commaList({"python3.12", "python3.11"}), QStringLiteral("python3.12, python3.11"));
    QCOMPARE(minutesSeconds(63), QStringLiteral("1 min 3 sec"));
}

void AppUnitsTest::timeoutLimitsReadFromTheEngine()
{
    QCOMPARE(durationInWords(1), QStringLiteral("1 second"));
    QCOMPARE(durationInWords(90), QStringLiteral("90 seconds"));
    QCOMPARE(durationInWords(60), QStringLiteral("1 minute"));
    QCOMPARE(durationInWords(900), QStringLiteral("15 minutes"));
    QCOMPARE(timeoutRangeInWords(), QStringLiteral("between 1 second and 15 minutes"));
}

void AppUnitsTest::consoleTablesAreReadOnlyOneLineRows()
{
    QStandardItemModel model(1, 2);
    // A CodeSha256 is base64: it may start with "/", where word wrap would break it to "/…".
    model.setItem(
        0, 0, new QStandardItem(QStringLiteral("/hq3bV+x1mQ8zcYg2Kf0pNt7vWlE5oRaJd6uS9iBCy4=")));
    model.setItem(0, 1, new QStandardItem(QStringLiteral("v1")));
    QWidget window;
    QTableView *table = consoleTable(&model, &window);
    table->horizontalHeader()->resizeSection(0, 360);
    window.resize(600, 200);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!table->wordWrap());
    QCOMPARE(table->editTriggers(), QAbstractItemView::NoEditTriggers);
    QCOMPARE(table->selectionBehavior(), QAbstractItemView::SelectRows);
}

void AppUnitsTest::durationAxisLabelsNeverRepeat()
{
    MonitorCharts charts;
    for (const double slowest : {0.0, 0.3, 1.7, 1.9, 3.0, 7.5, 42.0, 980.0, 12345.0}) {
        MonitorSummary summary;
        summary.fromMs = 0;
        summary.toMs = 60'000;
        summary.warm = {QPointF(1000, slowest)};
        charts.setSummary(summary);
        const QStringList labels = charts.durationAxisLabels();
        QVERIFY2(labels.size() >= 3, qPrintable(labels.join(", ")));
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
        QVERIFY2(labels.last().toDouble() >= slowest, qPrintable(labels.join(", ")));
    }
}

void AppUnitsTest::percentilesByNearestRank()
{
    std::vector<float> values;
    for (int i = 100; i >= 1; --i)
        values.push_back(float(i));
    QCOMPARE(percentile(values, 0.50), 50.0);
    QCOMPARE(percentile(values, 0.90), 90.0);
    QCOMPARE(percentile(values, 0.99), 99.0);
    std::vector<float> none;
    QCOMPARE(percentile(none, 0.5), 0.0);
}

void AppUnitsTest::summarizeSplitsColdWarmErrorsThrottles()
{
    std::vector<InvocationSample> samples;
    const std::int64_t t0 = 1'700'000'000'000;
    samples.push_back({t0, 200, 150, engine::InvocationStatus::Succeeded, true});
    samples.push_back({t0 + 1000, 10, 0, engine::InvocationStatus::Succeeded, false});
    samples.push_back({t0 + 2000, 12, 0, engine::InvocationStatus::FunctionError, false});
    samples.push_back({t0 + 3000, 0, 0, engine::InvocationStatus::Throttled, false});
    samples.push_back({t0 - 999'999, 99, 0, engine::InvocationStatus::Succeeded, false}); // out of range
    const MonitorSummary s = summarize(samples, t0, t0 + 60'000);
    QCOMPARE(s.invocations, 4);
    QCOMPARE(s.coldStarts, 1);
    QCOMPARE(s.errors, 1);
    QCOMPARE(s.throttles, 1);
    QCOMPARE(s.cold.size(), 1);
    QCOMPARE(s.warm.size(), 2);
    QCOMPARE(s.init.size(), 1);
    QCOMPARE(s.init.first().y(), 150.0);
    QCOMPARE(s.averageInit, 150.0);
    QCOMPARE(s.p50, 12.0);
    QCOMPARE(s.p99, 200.0);
    QVERIFY(qAbs(s.successRate - 100.0 * 2 / 3) < 0.01);
    int counted = 0;
    for (const QPointF &p : s.invocationsPerBucket)
        counted += int(p.y());
    QCOMPARE(counted, 4);
    QCOMPARE(s.throttlesPerBucket.size(), s.invocationsPerBucket.size());
    QCOMPARE(rangeStart(TimeRange::All, t0 + 5000, samples), t0 - 999'999);
    QCOMPARE(rangeStart(TimeRange::Last5Minutes, t0, samples), t0 - 300'000);
}

void AppUnitsTest::summarizeThinsHundredThousandSamplesQuickly()
{
    std::mt19937 random(7);
    std::uniform_real_distribution<float> duration(1, 50);
    std::vector<InvocationSample> samples;
    const std::int64_t t0 = 1'700'000'000'000;
    for (int i = 0; i < 100'000; ++i) {
        const bool cold = i % 1000 == 0;
        samples.push_back({t0 + i * 30, i == 50'001 ? 5000.0f : duration(random), cold ? 300.0f : 0.0f,
                           engine::InvocationStatus::Succeeded, cold});
    }
    QElapsedTimer timer;
    timer.start();
    const MonitorSummary s = summarize(samples, t0, t0 + 100'000 * 30, 2000);
    const qint64 elapsed = timer.elapsed();
    qInfo("summarize(100000 samples): %lld ms", elapsed);
    QVERIFY2(elapsed < 2000, "percentiles and thinning of 100 000 samples must stay well under a second or two");
    QCOMPARE(s.invocations, 100'000);
    QVERIFY(s.thinned);
    QVERIFY(s.warm.size() <= 2000);
    QCOMPARE(s.cold.size(), 100); // few cold starts: every one is drawn
    bool spikeKept = false;
    for (const QPointF &p : s.warm)
        spikeKept |= p.y() == 5000.0;
    QVERIFY2(spikeKept, "thinning keeps each slot's slowest invocation");
    QCOMPARE(s.maximum, 5000.0);
}

void AppUnitsTest::zipIsAcceptedByTheEngine()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    const std::string runtime = host.runtimeLike("python");
    if (runtime.empty())
        QSKIP("no Python runtime available on this machine");
    const std::vector<engine::CodeFile> files{
        {"lambda_function.py", "def lambda_handler(event, context):\n    return 'zipped'\n", false},
        {"lib/util.py", "X = 'é ü'\n", false},
        {"run.sh", "#!/bin/sh\necho hi\n", true}};
    engine::FunctionConfig config;
    config.name = "zipped";
    config.runtime = runtime;
    config.handler = "lambda_function.lambda_handler";
    auto created = host.engine().createFunction(config, makeZip(files));
    QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
    auto code = host.engine().readCode("zipped");
    QVERIFY(code.ok());
    QCOMPARE(code->size(), files.size());
    for (const engine::CodeFile &expected : files) {
        bool found = false;
        for (const engine::CodeFile &actual : code.value()) {
            if (actual.path == expected.path) {
                found = true;
                QCOMPARE(QByteArray::fromStdString(actual.content), QByteArray::fromStdString(expected.content));
                QCOMPARE(actual.executable, expected.executable);
            }
        }
        QVERIFY2(found, expected.path.c_str());
    }
}

void AppUnitsTest::optionsParse()
{
    QString error;
    auto options = parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--data-dir"), QStringLiteral("/tmp/x"),
                                 QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--open"),
                                 QStringLiteral("resize"), QStringLiteral("--tab"), QStringLiteral("Monitor"),
                                 QStringLiteral("--screenshot"), QStringLiteral("/tmp/s.png")},
                                &error);
    QVERIFY2(options.has_value(), qPrintable(error));
    QCOMPARE(options->dataDir, QStringLiteral("/tmp/x"));
    QCOMPARE(options->listenPort, 0);
    QCOMPARE(options->openFunction, QStringLiteral("resize"));
    QCOMPARE(options->tab, QStringLiteral("monitor"));
    QCOMPARE(options->screenshotSize, QSize(1280, 800));
    options = parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--listen"), QStringLiteral("off")}, &error);
    QVERIFY(options.has_value());
    QVERIFY(!options->serveApi);
    options = parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--listen"), QStringLiteral("9100")}, &error);
    QVERIFY(options.has_value());
    QCOMPARE(options->listenHost, QStringLiteral("127.0.0.1"));
    QCOMPARE(options->listenPort, 9100);
    QVERIFY(options->sandbox.isEmpty());
    options = parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--sandbox"), QStringLiteral("MicroVM")}, &error);
    QVERIFY2(options.has_value(), qPrintable(error));
    QCOMPARE(options->sandbox, QStringLiteral("microvm"));
}

void AppUnitsTest::optionsRejectBadValues()
{
    QString error;
    QVERIFY(!parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--tab"), QStringLiteral("code")}, &error));
    QVERIFY(error.contains(QStringLiteral("--open")));
    QVERIFY(
        !parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--open"), QStringLiteral("f"),
                       QStringLiteral("--tab"), QStringLiteral("triggers")},
                      &error));
    QVERIFY(!parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--listen"), QStringLiteral("host:port")}, &error));
    QVERIFY(!parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--size"), QStringLiteral("640x480")}, &error));
    QVERIFY(!parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--bogus")}, &error));
    QVERIFY(!parseOptions({QStringLiteral("lambdesk"), QStringLiteral("--sandbox"), QStringLiteral("firecracker")}, &error));
    QVERIFY(error.contains(QStringLiteral("--sandbox")));
}

void AppUnitsTest::eventTemplatesAreValidJson()
{
    const QStringList names = eventTemplateNames();
    QVERIFY(names.size() >= 12);
    QCOMPARE(names.first(), QStringLiteral("hello-world"));
    for (const char *expected : {"apigateway-aws-proxy", "apigateway-http-api-v2-proxy", "alb-request", "s3-put",
                                 "sqs-receive-message", "sns-notification", "dynamodb-update", "kinesis-get-records",
                                 "cloudwatch-logs", "eventbridge-scheduled-event", "cloudfront-http-redirect"})
        QVERIFY2(names.contains(QLatin1String(expected)), expected);
    for (const QString &name : names)
        QVERIFY2(!checkJson(eventTemplate(name)).has_value(), qPrintable(name));
    QVERIFY(eventNameProblem(QStringLiteral("MyEvent.v1_x-2")).isEmpty());
    QVERIFY(!eventNameProblem(QStringLiteral("has space")).isEmpty());
    QVERIFY(!eventNameProblem(QString(26, QLatin1Char('a'))).isEmpty());
}

void AppUnitsTest::startersPerRuntimeFamily()
{
    QCOMPARE(starterHandler(QStringLiteral("python3.12")), QStringLiteral("lambda_function.lambda_handler"));
    QCOMPARE(starterHandler(QStringLiteral("nodejs20.x")), QStringLiteral("index.handler"));
    QCOMPARE(starterFiles(QStringLiteral("python3.11")).size(), std::size_t(1));
    QCOMPARE(starterFiles(QStringLiteral("nodejs18.x")).front().path, std::string("index.mjs"));
    const auto provided = starterFiles(QStringLiteral("provided.al2023"));
    QCOMPARE(provided.size(), std::size_t(2));
    QVERIFY(provided.front().path == "bootstrap" && provided.front().executable);
    const auto java = starterFiles(QStringLiteral("java21"));
    QCOMPARE(java.size(), std::size_t(1));
    QCOMPARE(java.front().path, std::string("src/main/java/example/Hello.java"));
    QCOMPARE(starterHandler(QStringLiteral("java17")),
             QStringLiteral("example.Hello::handleRequest"));
    QVERIFY(starterFiles(QStringLiteral("dotnet8")).empty());
}

void AppUnitsTest::executionResultNamesASnapStartRestore()
{
    ExecutionResult result;
    engine::InvokeResult invoke;
    invoke.payload = "1";
    invoke.record.coldStart = true;
    invoke.record.initDurationMs = 12.5;
    auto titled = [&](const QString &text) {
        const auto labels = result.findChildren<QLabel *>();
        return std::any_of(labels.begin(), labels.end(), [&](QLabel *label) { return label->text() == text; });
    };
    result.showResult(invoke, QStringLiteral("sha"));
    QVERIFY(titled(QStringLiteral("Init duration")));
    invoke.record.restored = true;
    result.showResult(invoke, QStringLiteral("sha"));
    QVERIFY(titled(QStringLiteral("Restore duration")));
    QVERIFY(!titled(QStringLiteral("Init duration")));
    QCOMPARE(result.summaryValue(QStringLiteral("Init duration")), QStringLiteral("12.50 ms"));
}

QTEST_MAIN(AppUnitsTest)
#include "appunits_test.moc"
