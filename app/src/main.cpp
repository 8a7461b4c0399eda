// lambdesk: the desktop console. Opens the engine in-process, serves the Lambda REST API on
// loopback for the CLI and SDKs, and shows the console window.

#include "appoptions.h"
#include "enginehost.h"
#include "mainwindow.h"
#include "quitonsignal.h"
#include "screenshotter.h"
#include "style.h"
#include "windowgeometry.h"

#include <QApplication>
#include <QGuiApplication>
#include <QMessageBox>
#include <cstdio>

using namespace lambdesk::app;

int main(int argc, char *argv[])
{
    QApplication application(argc, argv);
    QApplication::setApplicationName(QStringLiteral("lambdesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("Lambdesk"));
    QApplication::setApplicationVersion(QStringLiteral(LAMBDESK_VERSION));
    initResources();
    applyStyle(application);
    quitOnTerminationSignals();

    QString error;
    const std::optional<AppOptions> options = parseOptions(QApplication::arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "lambdesk: %s\nTry 'lambdesk --help'.\n", qPrintable(error));
        return 2;
    }

    // Blocking on purpose: there is no window yet, and without the engine there is nothing to show.
    HostError hostError;
    std::unique_ptr<EngineHost> host = EngineHost::start(*options, &hostError);
    if (!host) {
        std::fprintf(stderr, "lambdesk: %s: %s\n", qPrintable(hostError.title), qPrintable(hostError.message));
        const bool headless = !options->screenshot.isEmpty() ||
                              QGuiApplication::platformName() == QLatin1String("offscreen") ||
                              QGuiApplication::platformName() == QLatin1String("minimal");
        if (!headless)
            QMessageBox::critical(nullptr, hostError.title, hostError.message);
        return hostError.exitCode;
    }

    int exitCode = 0;
    {
        MainWindow window(host->engine(), host->apiAddress());
        window.showApiAuth(host->apiAuth(), host->apiConfigureLines());
        const bool screenshot = !options->screenshot.isEmpty();
        if (screenshot)
            window.resize(options->screenshotSize);
        else
            restoreWindowGeometry(&window);
        if (!options->openFunction.isEmpty())
            window.openFunction(options->openFunction, options->tab);
        else if (options->screen == QLatin1String("create"))
            window.showCreateFunction(false);
        else if (options->screen == QLatin1String("layers"))
            window.showLayers();
        else if (options->screen == QLatin1String("queues"))
            window.showQueues();
        else if (options->screen == QLatin1String("dashboard"))
            window.showDashboard();
        else if (options->screen == QLatin1String("create-layer"))
            window.showCreateLayer();
        else if (options->screen == QLatin1String("blueprints"))
            window.showCreateFunction(true);

        std::unique_ptr<Screenshotter> screenshotter;
        if (screenshot) {
            screenshotter = std::make_unique<Screenshotter>(&window, options->screenshot, options->runTest);
            screenshotter->start();
        }
        window.show();
        exitCode = QApplication::exec();
        if (!screenshot)
            saveWindowGeometry(&window);
    } // the window (and its drafts-on-exit) goes before the engine
    host.reset();
    return exitCode;
}
