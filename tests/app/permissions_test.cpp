// Configuration → Permissions: the policy's statements as the console lists them, Add permissions
// for a service, an account and a Function URL, the engine's refusal under the form, Delete.
#include "apptestsupport.h"
#include "testzip.h"

#include "function/functioncontroller.h"
#include "function/permissionssection.h"
#include "widgets/panel.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>

using namespace lambdesk;
using namespace lambdesk::app;
using lambdesk::app::testing::TestEngine;

class PermissionsTest : public QObject {
    Q_OBJECT
private slots:
    void addListAndDelete();
};

void PermissionsTest::addListAndDelete()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const std::string python = engine.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createEchoFunction(engine.engine(), "guarded", python));

    PermissionsSection section(std::make_shared<FunctionController>(engine.engine(), "guarded"));
    section.resize(1100, 800);
    section.show();
    QSignalSpy saved(&section, &PermissionsSection::saved);
    section.setFunction(*engine.engine().getFunction("guarded"));
    QTRY_VERIFY_WITH_TIMEOUT(section.loaded(), 30'000);
    QCOMPARE(section.model()->rowCount(), 0);

    // An AWS service: choosing it fills the principal.
    section.startAdd();
    QVERIFY(section.editor()->isVisible());
    section.service()->setCurrentText(QStringLiteral("SNS"));
    QCOMPARE(section.principal()->text(), QStringLiteral("sns.amazonaws.com"));
    QTest::keyClicks(section.statementId(), QStringLiteral("alerts"));
    QTest::keyClicks(section.sourceArn(),
                     QStringLiteral("arn:aws:sns:us-east-1:000000000000:alerts"));
    section.save();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 30'000);
    QVERIFY(!section.editor()->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(section.model()->rowCount(), 1, 30'000);
    QCOMPARE(section.model()->item(0, 0)->text(), QStringLiteral("alerts"));
    QCOMPARE(section.model()->item(0, 1)->text(), QStringLiteral("sns.amazonaws.com"));
    QCOMPARE(section.model()->item(0, 2)->text(),
             QStringLiteral(
                 R"({"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:000000000000:alerts"}})"));
    QCOMPARE(section.model()->item(0, 3)->text(), QStringLiteral("lambda:InvokeFunction"));

    // The same statement id again: the engine's words under the form, which keeps its values.
    section.startAdd();
    QTest::keyClicks(section.statementId(), QStringLiteral("alerts"));
    section.save();
    QTRY_VERIFY_WITH_TIMEOUT(!section.errorText().isEmpty(), 30'000);
    QVERIFY2(section.errorText().contains(
                 QStringLiteral("The statement id (alerts) provided already exists")),
             qPrintable(section.errorText()));
    QVERIFY(section.editor()->isVisible());

    // Function URL: public access, as the console writes it.
    section.principalKind()->button(int(PermissionsSection::Principal::FunctionUrl))->click();
    section.statementId()->clear();
    QTest::keyClicks(section.statementId(), QStringLiteral("FunctionURLAllowPublicAccess"));
    QCOMPARE(section.principal()->text(), QStringLiteral("*"));
    QCOMPARE(section.action()->currentText(), QStringLiteral("lambda:InvokeFunctionUrl"));
    section.save();
    QTRY_COMPARE_WITH_TIMEOUT(section.model()->rowCount(), 2, 30'000);
    QCOMPARE(section.model()->item(1, 2)->text(),
             QStringLiteral(R"({"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}})"));

    // Another account: its root ARN in the policy.
    section.startAdd();
    section.principalKind()->button(int(PermissionsSection::Principal::Account))->click();
    QTest::keyClicks(section.statementId(), QStringLiteral("partner"));
    QTest::keyClicks(section.principal(), QStringLiteral("111122223333"));
    section.save();
    QTRY_COMPARE_WITH_TIMEOUT(section.model()->rowCount(), 3, 30'000);
    QCOMPARE(section.model()->item(2, 1)->text(), QStringLiteral("arn:aws:iam::111122223333:root"));
    QVERIFY(section.policyDocument().contains(QStringLiteral("\"Version\": \"2012-10-17\"")));

    section.table()->selectRow(0);
    section.deleteSelected(false);
    QTRY_COMPARE_WITH_TIMEOUT(section.model()->rowCount(), 2, 30'000);
    QCOMPARE(section.model()->item(0, 0)->text(), QStringLiteral("FunctionURLAllowPublicAccess"));
    const auto policy = engine.engine().getPolicy("guarded");
    QVERIFY(policy);
    QVERIFY(policy->policy.find("alerts") == std::string::npos);
}

QTEST_MAIN(PermissionsTest)
#include "permissions_test.moc"
