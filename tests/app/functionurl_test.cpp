// Configuration → Function URL: Create function URL with AuthType NONE and CORS (the console's
// public-access statements come with it), the URL answering a real HTTP request, Edit, the
// engine's refusal under the form, Delete.
#include "apptestsupport.h"
#include "testzip.h"

#include "function/functioncontroller.h"
#include "function/functionurlsection.h"
#include "widgets/panel.h"

#include "lambdesk/engine/functionurlserver.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSpinBox>

using namespace lambdesk;
using namespace lambdesk::app;
using lambdesk::app::testing::TestEngine;

class FunctionUrlTest : public QObject {
    Q_OBJECT
private slots:
    void createCallEditDelete();
};

void FunctionUrlTest::createCallEditDelete()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const std::string python = engine.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    QVERIFY(createEchoFunction(engine.engine(), "web", python));
    engine::FunctionUrlServer server(engine.engine(), {});
    QVERIFY(server.start("127.0.0.1", 0));

    FunctionUrlSection section(std::make_shared<FunctionController>(engine.engine(), "web"));
    section.resize(1100, 900);
    section.show();
    QSignalSpy saved(&section, &FunctionUrlSection::saved);
    QSignalSpy changed(&section, &FunctionUrlSection::urlChanged);
    section.reload();
    QTRY_VERIFY_WITH_TIMEOUT(section.loaded(), 30'000);
    QVERIFY(!section.url());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.takeFirst().at(0).toString(), QString());

    // Create: AWS_IAM is the form's default, as in the console.
    section.startEdit();
    QVERIFY(section.editor()->isVisible());
    QCOMPARE(section.authType()->checkedId(), 0);
    QVERIFY(!section.allowOrigins()->isVisible());
    section.authType()->button(1)->click();
    section.configureCors()->click();
    QVERIFY(section.allowOrigins()->isVisible());
    QCOMPARE(section.allowOrigins()->text(), QStringLiteral("*"));
    section.allowOrigins()->setText(QStringLiteral("https://app.example, http://localhost:3000"));
    section.allowMethods()->setText(QStringLiteral("GET,POST"));
    section.maxAge()->setValue(600);
    section.save();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 30'000);
    QVERIFY(!section.editor()->isVisible());
    QVERIFY(section.url());
    const QString address = section.factText(QStringLiteral("Function URL"));
    QVERIFY2(address.startsWith(QStringLiteral("http://")) &&
                 address.contains(QStringLiteral(".lambda-url.localhost:")),
             qPrintable(address));
    QVERIFY(section.urlLink()->text().contains(address));
    QCOMPARE(section.factText(QStringLiteral("Auth type")), QStringLiteral("NONE"));
    QCOMPARE(section.factText(QStringLiteral("Allow origin")),
             QStringLiteral("https://app.example, http://localhost:3000"));
    QCOMPARE(section.factText(QStringLiteral("Allow methods")), QStringLiteral("GET, POST"));
    QCOMPARE(section.factText(QStringLiteral("Max age")), QStringLiteral("600"));
    QCOMPARE(changed.last().at(0).toString(), address);
    const auto policy = engine.engine().getPolicy("web");
    QVERIFY(policy);
    QVERIFY(policy->policy.find("FunctionURLAllowPublicAccess") != std::string::npos);
    QVERIFY(policy->policy.find("FunctionURLAllowInvokeAction") != std::string::npos);

    // The URL answers for real (its plain form: *.localhost needs no resolver that way).
    const QUrl url(address);
    const QString urlId = url.host().section(QLatin1Char('.'), 0, 0);
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(
        QUrl(QStringLiteral("http://127.0.0.1:%1/%2/hello?x=1").arg(url.port()).arg(urlId))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 60'000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonObject event = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(event.value(QStringLiteral("rawPath")).toString(), QStringLiteral("/hello"));
    QCOMPARE(event.value(QStringLiteral("rawQueryString")).toString(), QStringLiteral("x=1"));
    reply->deleteLater();

    // Edit: a bad method is refused under the form, in the engine's words, and nothing changes.
    section.startEdit();
    QCOMPARE(section.authType()->checkedId(), 1);
    QVERIFY(section.configureCors()->isChecked());
    section.allowMethods()->setText(QStringLiteral("TRACE"));
    section.save();
    QVERIFY2(section.errorText().contains(QStringLiteral("Invalid method 'TRACE'")),
             qPrintable(section.errorText()));
    QCOMPARE(engine.engine().getFunctionUrl("web")->settings.cors->allowMethods,
             (std::vector<std::string>{"GET", "POST"}));
    section.allowMethods()->setText(QStringLiteral("*"));
    section.authType()->button(0)->click();
    section.invokeMode()->setCurrentIndex(1);
    section.save();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 2, 30'000);
    QCOMPARE(section.factText(QStringLiteral("Auth type")), QStringLiteral("AWS_IAM"));
    QCOMPARE(section.factText(QStringLiteral("Invoke mode")), QStringLiteral("RESPONSE_STREAM"));
    QCOMPARE(section.factText(QStringLiteral("Function URL")), address); // never changes

    section.deleteUrl(false);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 3, 30'000);
    QVERIFY(!section.url());
    QCOMPARE(changed.last().at(0).toString(), QString());
    QVERIFY(!engine.engine().getFunctionUrl("web"));
}

QTEST_MAIN(FunctionUrlTest)
#include "functionurl_test.moc"
