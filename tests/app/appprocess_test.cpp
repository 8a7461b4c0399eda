// The `lambdesk` executable as a user starts it: --screenshot renders and exits, a second app on
// a locked data dir says who holds it and exits non-zero, and the REST API is served while the
// window is open.

#include "apptestsupport.h"

#include <QImage>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

QProcessEnvironment offscreen()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

int freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

} // namespace

class AppProcessTest : public QObject {
    Q_OBJECT
private slots:
    void screenshotRendersAndExits();
    void lockedDataDirNamesTheHolder();
    void servesTheLambdaApiWhileOpen();
    void badOptionsExitWithUsage();
};

void AppProcessTest::screenshotRendersAndExits()
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("functions.png"));
    QProcess app;
    app.setProcessEnvironment(offscreen());
    app.start(QStringLiteral(LAMBDESK_APP_BINARY),
              {QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")), QStringLiteral("--listen"),
               QStringLiteral("127.0.0.1:0"), QStringLiteral("--screenshot"), png});
    QVERIFY(app.waitForFinished(120'000));
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 1280 && image.height() >= 800);

    // A function that does not exist still renders (with the error), rather than hanging.
    const QString missing = dir.filePath(QStringLiteral("missing.png"));
    app.start(QStringLiteral(LAMBDESK_APP_BINARY),
              {QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")), QStringLiteral("--listen"),
               QStringLiteral("off"), QStringLiteral("--open"), QStringLiteral("nope"), QStringLiteral("--tab"),
               QStringLiteral("monitor"), QStringLiteral("--screenshot"), missing});
    QVERIFY(app.waitForFinished(120'000));
    QCOMPARE(app.exitCode(), 0);
    QVERIFY(QFile::exists(missing));
}

void AppProcessTest::lockedDataDirNamesTheHolder()
{
    testing::TestEngine holder; // this test process holds the lock
    QVERIFY2(holder.ok(), qPrintable(holder.error()));
    QProcess app;
    app.setProcessEnvironment(offscreen());
    app.start(QStringLiteral(LAMBDESK_APP_BINARY),
              {QStringLiteral("--data-dir"), holder.dataDir(), QStringLiteral("--listen"), QStringLiteral("off")});
    QVERIFY(app.waitForFinished(60'000));
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 3);
    const QString error = QString::fromUtf8(app.readAllStandardError());
    QVERIFY2(error.contains(QStringLiteral("in use by")), qPrintable(error));
    QVERIFY2(error.contains(QString::number(QCoreApplication::applicationPid())), qPrintable(error));
}

void AppProcessTest::servesTheLambdaApiWhileOpen()
{
    QTemporaryDir dir;
    const int port = freePort();
    QVERIFY(port > 0);
    QProcess app;
    app.setProcessEnvironment(offscreen());
    app.start(QStringLiteral(LAMBDESK_APP_BINARY),
              {QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")), QStringLiteral("--listen"),
               QStringLiteral("127.0.0.1:%1").arg(port)});
    QVERIFY(app.waitForStarted());

    QByteArray response;
    const bool answered = QTest::qWaitFor([&] {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(port));
        if (!socket.waitForConnected(200))
            return false;
        // As an SDK sends it: Host with the port, and a SigV4 header (any key by default).
        socket.write(QStringLiteral("GET /2015-03-31/functions/ HTTP/1.1\r\nHost: 127.0.0.1:%1\r\n"
                                    "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/lambda/"
                                    "aws4_request, SignedHeaders=host;x-amz-date, Signature=%2\r\n"
                                    "Connection: close\r\n\r\n")
                         .arg(port)
                         .arg(QString(64, QLatin1Char('0')))
                         .toLatin1());
        while (socket.waitForReadyRead(2000))
            response += socket.readAll();
        return !response.isEmpty();
    }, 60'000);
    app.terminate();
    QVERIFY(app.waitForFinished(30'000));
    QVERIFY2(answered, "the app serves the Lambda REST API on --listen");
    QVERIFY2(response.startsWith("HTTP/1.1 200"), response.constData());
    QVERIFY(response.contains("\"Functions\""));
}

void AppProcessTest::badOptionsExitWithUsage()
{
    QProcess app;
    app.setProcessEnvironment(offscreen());
    app.start(QStringLiteral(LAMBDESK_APP_BINARY), {QStringLiteral("--tab"), QStringLiteral("code")});
    QVERIFY(app.waitForFinished(30'000));
    QCOMPARE(app.exitCode(), 2);
    QVERIFY(app.readAllStandardError().contains("--open"));
}

QTEST_MAIN(AppProcessTest)
#include "appprocess_test.moc"
