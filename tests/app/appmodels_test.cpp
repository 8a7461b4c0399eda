// The console's table models and proxies, checked by QAbstractItemModelTester while they are
// filled, merged, filtered and edited.

#include "apptestsupport.h"

#include "models/blueprintmodel.h"
#include "models/functionlistmodel.h"
#include "models/invocationmodel.h"
#include "models/keyvaluemodel.h"
#include "models/versionmodel.h"

#include "lambdesk/engine/validation.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

engine::FunctionInfo function(const std::string &name, const std::string &runtime, int memory = 128)
{
    engine::FunctionInfo info;
    info.config.name = name;
    info.config.runtime = runtime;
    info.config.memorySizeMb = memory;
    info.config.description = "about " + name;
    info.functionArn = "arn:aws:lambda:us-east-1:000000000000:function:" + name;
    info.codeSize = 1000 + std::int64_t(name.size());
    info.lastModifiedMs = QDateTime::currentMSecsSinceEpoch() - 3 * 60 * 1000;
    return info;
}

engine::InvocationRecord record(int i)
{
    engine::InvocationRecord r;
    r.requestId = "req-" + std::to_string(i);
    r.functionName = "fn";
    r.startTimeMs = 1'700'000'000'000 + i * 1000;
    r.durationMs = 10 + i;
    r.billedDurationMs = 11 + i;
    r.memorySizeMb = 128;
    r.maxMemoryUsedMb = 40;
    r.coldStart = i == 0;
    r.initDurationMs = i == 0 ? 120 : 0;
    r.status = i % 5 == 4 ? engine::InvocationStatus::FunctionError : engine::InvocationStatus::Succeeded;
    r.log = "START RequestId: req-" + std::to_string(i);
    return r;
}

} // namespace

class AppModelsTest : public QObject {
    Q_OBJECT
private slots:
    void functionListMergesKeepingRows();
    void functionFilterMatchesEveryTerm();
    void functionListSortsNumerically();
    void invocationModelKeepsNewestFirstWithinCapacity();
    void versionModel();
    void keyValueModelValidatesKeys();
    void blueprintModelLoadsRepositoryBlueprints();
};

void AppModelsTest::functionListMergesKeepingRows()
{
    FunctionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFunctions({function("beta", "python3.11"), function("alpha", "nodejs20.x")});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, int(FunctionListModel::Column::Name)).data().toString(), QStringLiteral("alpha"));
    QCOMPARE(model.index(0, int(FunctionListModel::Column::PackageType)).data().toString(), QStringLiteral("Zip"));
    QCOMPARE(model.index(0, int(FunctionListModel::Column::LastModified)).data().toString(), QStringLiteral("3 minutes ago"));
    QCOMPARE(model.headerData(int(FunctionListModel::Column::Name), Qt::Horizontal, Qt::DisplayRole).toString(),
             QStringLiteral("Function name"));

    // A refresh that drops alpha, keeps beta and adds gamma: rows move with begin/end calls, so
    // a persistent index on beta survives.
    const QPersistentModelIndex beta = model.index(1, 0);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFunctions({function("gamma", "python3.11"), function("beta", "python3.11", 256)});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(beta.isValid());
    QCOMPARE(beta.data().toString(), QStringLiteral("beta"));
    QCOMPARE(model.index(beta.row(), int(FunctionListModel::Column::Memory)).data().toString(), QStringLiteral("256 MB"));
    model.setFunctions({});
    QCOMPARE(model.rowCount(), 0);
}

void AppModelsTest::functionFilterMatchesEveryTerm()
{
    FunctionListModel model;
    FunctionFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFunctions({function("resize-images", "python3.11", 512), function("resize-video", "nodejs20.x"),
                        function("mailer", "python3.11")});
    proxy.setSearchText(QStringLiteral("resize"));
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setSearchText(QStringLiteral("resize PYTHON"));
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("resize-images"));
    proxy.setSearchText(QStringLiteral("python 512"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setSearchText(QStringLiteral("nothing-matches"));
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setSearchText(QString());
    QCOMPARE(proxy.rowCount(), 3);
}

void AppModelsTest::functionListSortsNumerically()
{
    FunctionListModel model;
    FunctionFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFunctions({function("a", "python3.11", 1024), function("b", "python3.11", 128),
                        function("c", "python3.11", 256)});
    proxy.sort(int(FunctionListModel::Column::Memory), Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("b"));
    QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("a")); // "1024 MB" sorts as a number
}

void AppModelsTest::invocationModelKeepsNewestFirstWithinCapacity()
{
    InvocationModel model(5);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::vector<engine::InvocationRecord> records;
    for (int i = 0; i < 8; ++i)
        records.push_back(record(i));
    model.setRecords(records);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(0, int(InvocationModel::Column::RequestId)).data().toString(), QStringLiteral("req-7"));
    QCOMPARE(model.index(4, int(InvocationModel::Column::RequestId)).data().toString(), QStringLiteral("req-3"));
    model.addRecord(record(8));
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(0, int(InvocationModel::Column::RequestId)).data().toString(), QStringLiteral("req-8"));
    QCOMPARE(model.index(4, int(InvocationModel::Column::RequestId)).data().toString(), QStringLiteral("req-4"));
    QCOMPARE(model.index(4, int(InvocationModel::Column::Status)).data().toString(), QStringLiteral("Error"));
    QCOMPARE(model.index(0, int(InvocationModel::Column::InitDuration)).data().toString(), QStringLiteral("-"));
    QVERIFY(model.index(0, 0).data(InvocationModel::LogRole).toString().contains(QStringLiteral("req-8")));
    auto restore = record(9); // a cold start from a SnapStart snapshot says so
    restore.coldStart = true;
    restore.initDurationMs = 12.5;
    restore.restored = true;
    model.addRecord(restore);
    QCOMPARE(model.index(0, int(InvocationModel::Column::InitDuration)).data().toString(),
             QStringLiteral("12.50 ms (restore)"));
    // The Monitor labels each invocation by its source.
    QCOMPARE(model.index(0, int(InvocationModel::Column::Source)).data().toString(),
             QStringLiteral("Invoke"));
    auto scheduled = record(10);
    scheduled.source = engine::kInvocationSourceSchedule;
    model.addRecord(scheduled);
    QCOMPARE(model.index(0, int(InvocationModel::Column::Source)).data().toString(),
             QStringLiteral("Schedule"));
    auto viaUrl = record(11);
    viaUrl.source = engine::kInvocationSourceFunctionUrl;
    model.addRecord(viaUrl);
    QCOMPARE(model.index(0, int(InvocationModel::Column::Source)).data().toString(),
             QStringLiteral("Function URL"));
}

void AppModelsTest::versionModel()
{
    VersionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    engine::FunctionInfo latest = function("fn", "python3.11");
    engine::FunctionInfo one = latest;
    one.version = "1";
    one.config.description = "first";
    model.setVersions({latest, one});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, int(VersionModel::Column::Description)).data().toString(), QStringLiteral("first"));
    QVERIFY(model.index(0, int(VersionModel::Column::Version)).data(VersionModel::SortRole).toInt() <
            model.index(1, int(VersionModel::Column::Version)).data(VersionModel::SortRole).toInt());
}

void AppModelsTest::keyValueModelValidatesKeys()
{
    KeyValueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setKeyValidator([](const QString &key) {
        const auto result = engine::validateEnvironmentVariableName(key.toStdString());
        return result ? QString() : QString::fromStdString(result.error().message);
    });
    model.setPairs({{"STAGE", "prod"}});
    QSignalSpy edited(&model, &KeyValueModel::edited);
    const int row = model.addRow();
    QCOMPARE(edited.count(), 1);
    QVERIFY(!model.problemAt(row).isEmpty()); // empty key
    QVERIFY(model.setData(model.index(row, 0), QStringLiteral("1BAD"), Qt::EditRole));
    QVERIFY(!model.problemAt(row).isEmpty());
    QVERIFY(!model.index(row, 0).data(Qt::ToolTipRole).toString().isEmpty());
    QCOMPARE(model.pairs().size(), std::size_t(1)); // invalid rows are not applied
    QVERIFY(model.setData(model.index(row, 0), QStringLiteral("STAGE"), Qt::EditRole));
    QVERIFY(model.problemAt(row).contains(QStringLiteral("Duplicate")));
    QVERIFY(model.setData(model.index(row, 0), QStringLiteral("TABLE_NAME"), Qt::EditRole));
    QVERIFY(model.setData(model.index(row, 1), QStringLiteral("orders"), Qt::EditRole));
    QVERIFY(model.problems().isEmpty());
    QCOMPARE(model.pairs().at("TABLE_NAME"), std::string("orders"));
    model.removeRowAt(0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.pairs().count("STAGE"), std::size_t(0));
}

void AppModelsTest::blueprintModelLoadsRepositoryBlueprints()
{
    testing::prepareApplication();
    BlueprintModel model;
    BlueprintFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setBlueprints(loadBlueprints());
    QVERIFY2(model.rowCount() >= 6, "the repository ships at least six blueprints");
    for (int row = 0; row < model.rowCount(); ++row) {
        const Blueprint &b = model.blueprint(row);
        QVERIFY2(!b.manifest.runtime.empty() && !b.manifest.handler.empty() && !b.files.empty() &&
                     !b.manifest.triggerService.empty(),
                 qPrintable(b.id));
    }
    const int shell = model.rowOf(QStringLiteral("bash-custom-runtime"));
    QVERIFY(shell >= 0);
    bool bootstrapExecutable = false;
    for (const engine::CodeFile &file : model.blueprint(shell).files)
        bootstrapExecutable |= file.path == "bootstrap" && file.executable;
    QVERIFY(bootstrapExecutable);

    proxy.setSearchText(QStringLiteral("s3 logging"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setSearchText(QStringLiteral("python starter"));
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setSearchText(QStringLiteral("nodejs"));
    QVERIFY(proxy.rowCount() >= 2);
}

QTEST_MAIN(AppModelsTest)
#include "appmodels_test.moc"
