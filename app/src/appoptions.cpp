#include "appoptions.h"

#include "function/functionpage.h"

#include <QCommandLineParser>
#include <QRegularExpression>

namespace lambdesk::app {
namespace {

bool parseListen(const QString &value, AppOptions &options)
{
    if (value == QLatin1String("off") || value == QLatin1String("none")) {
        options.serveApi = false;
        return true;
    }
    const int colon = int(value.lastIndexOf(QLatin1Char(':')));
    const QString host = colon >= 0 ? value.left(colon) : options.listenHost;
    bool ok = false;
    const int port = value.mid(colon + 1).toInt(&ok);
    if (!ok || port < 0 || port > 65535 || host.isEmpty())
        return false;
    options.listenHost = host;
    options.listenPort = port;
    return true;
}

} // namespace

std::optional<AppOptions> parseOptions(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Lambdesk: a desktop console for local Lambda functions."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
        QStringLiteral("Engine data directory (default: $XDG_DATA_HOME/lambdesk)."), QStringLiteral("DIR"));
    const QCommandLineOption listen(QStringLiteral("listen"),
        QStringLiteral("Lambda REST API address HOST:PORT, PORT, or off (default 127.0.0.1:9001)."),
        QStringLiteral("ADDRESS"));
    const QCommandLineOption open(QStringLiteral("open"), QStringLiteral("Open this function's page."),
        QStringLiteral("FUNCTION"));
    const QCommandLineOption tab(QStringLiteral("tab"),
                                 QStringLiteral("Tab of the function page: %1.")
                                     .arg(FunctionPage::tabNames().join(QStringLiteral(", "))),
                                 QStringLiteral("TAB"));
    const QCommandLineOption screen(
        QStringLiteral("screen"),
        QStringLiteral("Start on a screen: functions, create, blueprints, layers, create-layer, "
                       "queues or dashboard."),
        QStringLiteral("SCREEN"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the screen once it has loaded, save it as PNG and exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption size(QStringLiteral("size"),
        QStringLiteral("Window size for --screenshot, WIDTHxHEIGHT (at least 1280x800)."),
        QStringLiteral("WxH"));
    const QCommandLineOption runTest(QStringLiteral("run-test"),
        QStringLiteral("With --tab test: run the selected test event once loaded."));
    const QCommandLineOption sandbox(QStringLiteral("sandbox"),
        QStringLiteral("Default sandbox of functions without a lambdesk:sandbox tag: auto, process, gvisor or "
                       "microvm (default auto). microvm builds its guest image on first use."),
        QStringLiteral("SANDBOX"));
    const QCommandLineOption auth(QStringLiteral("auth"),
        QStringLiteral("Lambda API authentication: any-key (a well-formed SigV4 header, any key; default) or "
                       "verify (signatures checked against the data directory's key pair)."),
        QStringLiteral("MODE"));
    const QCommandLineOption allowOrigin(QStringLiteral("allow-origin"),
        QStringLiteral("A browser Origin whose requests to the Lambda API are not refused (repeatable)."),
        QStringLiteral("ORIGIN"));
    parser.addOptions({dataDir, listen, open, tab, screen, screenshot, size, runTest, sandbox, auth, allowOrigin});
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty()) {
        *error = QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first());
        return std::nullopt;
    }

    AppOptions options;
    options.dataDir = parser.value(dataDir);
    if (parser.isSet(listen) && !parseListen(parser.value(listen), options)) {
        *error = QStringLiteral("--listen: '%1' is not HOST:PORT, PORT or off").arg(parser.value(listen));
        return std::nullopt;
    }
    options.openFunction = parser.value(open);
    options.tab = parser.value(tab).toLower();
    const QStringList &tabs = FunctionPage::tabNames();
    if (!options.tab.isEmpty() && !tabs.contains(options.tab)) {
        *error = QStringLiteral("--tab: '%1' is not one of %2").arg(options.tab, tabs.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    if (!options.tab.isEmpty() && options.openFunction.isEmpty()) {
        *error = QStringLiteral("--tab needs --open FUNCTION");
        return std::nullopt;
    }
    options.screen = parser.value(screen).toLower();
    static const QStringList screens{QStringLiteral("functions"),    QStringLiteral("create"),
                                     QStringLiteral("blueprints"),   QStringLiteral("layers"),
                                     QStringLiteral("create-layer"), QStringLiteral("dashboard"),
                                     QStringLiteral("queues")};
    if (!options.screen.isEmpty() && !screens.contains(options.screen)) {
        *error = QStringLiteral("--screen: '%1' is not one of %2").arg(options.screen, screens.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    options.screenshot = parser.value(screenshot);
    if (parser.isSet(size)) {
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(parser.value(size));
        if (!m.hasMatch() || m.captured(1).toInt() < 1280 || m.captured(2).toInt() < 800) {
            *error = QStringLiteral("--size: '%1' is not WIDTHxHEIGHT of at least 1280x800").arg(parser.value(size));
            return std::nullopt;
        }
        options.screenshotSize = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    }
    options.runTest = parser.isSet(runTest);
    options.sandbox = parser.value(sandbox).toLower();
    static const QStringList sandboxes{QStringLiteral("auto"), QStringLiteral("process"), QStringLiteral("gvisor"),
                                       QStringLiteral("microvm")};
    if (!options.sandbox.isEmpty() && !sandboxes.contains(options.sandbox)) {
        *error = QStringLiteral("--sandbox: '%1' is not one of %2").arg(options.sandbox, sandboxes.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    const QString authMode = parser.value(auth).toLower();
    if (!authMode.isEmpty() && authMode != QLatin1String("any-key") && authMode != QLatin1String("verify")) {
        *error = QStringLiteral("--auth: '%1' is not any-key or verify").arg(authMode);
        return std::nullopt;
    }
    options.verifySignatures = authMode == QLatin1String("verify");
    options.allowedOrigins = parser.values(allowOrigin);
    return options;
}

} // namespace lambdesk::app
