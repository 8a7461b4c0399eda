// The `lambdesk` executable as a user starts it: --screenshot renders and exits, a second app on
// a locked data dir says who holds it and exits non-zero, and the REST API is served while the
// window is open. The window fits the screen on first start and comes back where it was left.

#include "apptestsupport.h"
#include "testzip.h"

#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QProcess>
#include <QScreen>
#include <QSettings>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

// The app remembers its window in the user's settings ($XDG_CONFIG_HOME): the apps these tests
// start get a settings directory of their own, never the user's.
QProcessEnvironment offscreen(const QString &configHome = {})
{
    static QTemporaryDir shared;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"),
               configHome.isEmpty() ? shared.path() : configHome);
    return env;
}

int freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

// The app's processes: every descendant of `pid` (sandboxes, runtimes), from /proc.
QList<qint64> descendants(qint64 pid)
{
    QMultiHash<qint64, qint64> children;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool numeric = false;
        const qint64 child = entry.toLongLong(&numeric);
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!numeric || !stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1)
            children.insert(fields[1].toLongLong(), child);
    }
    QList<qint64> found;
    QList<qint64> pending{pid};
    while (!pending.isEmpty()) {
        for (qint64 child : children.values(pending.takeFirst())) {
            found << child;
            pending << child;
        }
    }
    return found;
}

// The app's descendants that belong to a process sandbox: unlike the short-lived helpers the app
// starts while it opens, they stay until the invocation ends, so a wait on them cannot see one
// appear and then vanish.
bool runsASandbox(qint64 pid)
{
    const QList<qint64> all = descendants(pid);
    return std::any_of(all.begin(), all.end(), [](qint64 child) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(child));
        return cmdline.open(QIODevice::ReadOnly) &&
               cmdline.readAll().contains("lambdesk-sandbox-init");
    });
}

// A request as an SDK sends it: Host with the port, and a SigV4 header (any key by default).
QByteArray sdkRequest(const QString &method, const QString &path, int port,
                      const QByteArray &body = {})
{
    return QStringLiteral(
               "%1 %2 HTTP/1.1\r\nHost: 127.0.0.1:%3\r\n"
               "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/lambda/"
               "aws4_request, SignedHeaders=host;x-amz-date, Signature=%4\r\n"
               "Content-Type: application/json\r\nContent-Length: %5\r\nConnection: close\r\n\r\n")
               .arg(method, path)
               .arg(port)
               .arg(QString(64, QLatin1Char('0')))
               .arg(body.size())
               .toLatin1() +
           body;
}

} // namespace

class AppProcessTest : public QObject {
    Q_OBJECT
private slots:
    void screenshotRendersAndExits();
    void lockedDataDirNamesTheHolder();
    void servesTheLambdaApiWhileOpen();
    void badOptionsExitWithUsage();
    void windowFitsTheScreenAndIsRemembered();
    void closingWhileAnInvokeRunsDoesNotWait();
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

void AppProcessTest::windowFitsTheScreenAndIsRemembered()
{
    QTemporaryDir dir;
    const QString configHome = dir.filePath(QStringLiteral("config"));
    const QString settingsFile = configHome + QStringLiteral("/lambdesk/lambdesk.ini");
    int runs = 0;
    auto runAndClose = [&] {
        // A data dir per run: its engine.lock appearing says the engine is up, and the SIGTERM
        // that follows is handled by the window's event loop, closing it as a user would.
        const QString dataDir = dir.filePath(QStringLiteral("data%1").arg(++runs));
        QProcess app;
        app.setProcessEnvironment(offscreen(configHome));
        app.start(QStringLiteral(LAMBDESK_APP_BINARY),
                  {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--listen"),
                   QStringLiteral("off")});
        QVERIFY(app.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dataDir + QStringLiteral("/engine.lock")), 60'000);
        app.terminate();
        QVERIFY(app.waitForFinished(30'000));
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
    };
    // The app's saved geometry, as this process (same platform and screen) restores it.
    auto savedGeometry = [&] {
        QWidget probe;
        const QByteArray saved = QSettings(settingsFile, QSettings::IniFormat)
                                     .value(QStringLiteral("window/geometry"))
                                     .toByteArray();
        return !saved.isEmpty() && probe.restoreGeometry(saved) ? probe.geometry() : QRect();
    };

    // First start: the offscreen screen (800×600) is smaller than the 1440×900 the app prefers.
    runAndClose();
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    const QRect first = savedGeometry();
    QVERIFY2(!first.isNull(), qPrintable(settingsFile));
    QVERIFY2(available.contains(first), qPrintable(QStringLiteral("%1,%2 %3x%4")
                                                       .arg(first.x())
                                                       .arg(first.y())
                                                       .arg(first.width())
                                                       .arg(first.height())));

    // Moved and resized by the user: the next start comes back there.
    QWidget moved;
    moved.setGeometry(QRect(40, 30, 720, 600));
    QSettings(settingsFile, QSettings::IniFormat)
        .setValue(QStringLiteral("window/geometry"), moved.saveGeometry());
    runAndClose();
    QCOMPARE(savedGeometry(), QRect(40, 30, 720, 600));
}

void AppProcessTest::closingWhileAnInvokeRunsDoesNotWait()
{
    // A function that sleeps for ten minutes, created on the data dir before the app opens it.
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("data"));
    {
        engine::EngineOptions options;
        options.dataDir = dataDir.toStdString();
        options.defaultSandbox = "process";
        auto opened = engine::Engine::open(options);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        std::string python;
        for (const engine::Availability &runtime : (*opened)->runtimes())
            if (python.empty() && runtime.available && runtime.id.rfind("python", 0) == 0)
                python = runtime.id;
        if (python.empty())
            QSKIP("no Python runtime available on this machine");
        engine::FunctionConfig config;
        config.name = "sleeper";
        config.runtime = python;
        config.handler = "app.handler";
        config.timeoutSeconds = 600;
        const auto created = (*opened)->createFunction(
            config,
            makeZip({{"app.py", "import time\ndef handler(event, context):\n    time.sleep(600)\n",
                      false}}));
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
    }

    const int port = freePort();
    QVERIFY(port > 0);
    QProcess app;
    app.setProcessEnvironment(offscreen());
    app.start(QStringLiteral(LAMBDESK_APP_BINARY),
              {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--listen"),
               QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--open"),
               QStringLiteral("sleeper")});
    QVERIFY(app.waitForStarted());

    // Invoked as the SDK does; the answer comes when the app closes.
    QTcpSocket invoke;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            invoke.connectToHost(QHostAddress::LocalHost, quint16(port));
            return invoke.waitForConnected(200);
        }(),
        60'000);
    invoke.write(sdkRequest(QStringLiteral("POST"),
                            QStringLiteral("/2015-03-31/functions/sleeper/invocations"), port,
                            QByteArrayLiteral("{}")));
    QVERIFY(invoke.waitForBytesWritten(5'000));
    // In flight: a sandbox runs the function.
    QTRY_VERIFY_WITH_TIMEOUT(runsASandbox(app.processId()), 120'000);
    const QList<qint64> sandbox = descendants(app.processId());

    QElapsedTimer closing;
    closing.start();
    app.terminate(); // as a user closing the window
    QVERIFY(app.waitForFinished(60'000));
    const qint64 elapsed = closing.elapsed();
    qInfo("closing with an invocation in flight took %lld ms", elapsed);
    QVERIFY2(elapsed < 10'000,
             qPrintable(QStringLiteral("the app took %1 ms to close").arg(elapsed)));
    QCOMPARE(app.exitCode(), 0);

    // The invocation was answered as failed, not left hanging, and nothing outlived the app.
    QByteArray response;
    while (invoke.waitForReadyRead(5'000))
        response += invoke.readAll();
    response += invoke.readAll();
    QVERIFY2(response.startsWith("HTTP/1.1 200"), response.constData());
    QVERIFY2(response.contains("X-Amz-Function-Error: Unhandled"), response.constData());
    QTRY_VERIFY_WITH_TIMEOUT(
        std::none_of(sandbox.begin(), sandbox.end(),
                     [](qint64 pid) { return QFile::exists(QStringLiteral("/proc/%1").arg(pid)); }),
        10'000);
}

QTEST_MAIN(AppProcessTest)
#include "appprocess_test.moc"
