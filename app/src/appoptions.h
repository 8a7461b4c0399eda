#pragma once
// Command-line options of the `lambdesk` executable.

#include <QSize>
#include <QString>
#include <QStringList>
#include <optional>

namespace lambdesk::app {

struct AppOptions {
    QString dataDir;                       // empty: engine::defaultDataDir()
    QString listenHost = QStringLiteral("127.0.0.1");
    int listenPort = 9001;
    bool serveApi = true;                  // --listen off disables the REST API
    QString openFunction;                  // --open
    QString tab;                           // --tab code|test|monitor|configuration|versions
    QString screen;                        // --screen functions|create|blueprints
    QString screenshot;                    // --screenshot FILE
    QSize screenshotSize{1280, 800};       // --size WxH
    bool runTest = false;                  // --run-test: press Test once the Test tab loaded
    QString sandbox;                       // --sandbox auto|process|gvisor|microvm; empty: auto
    bool verifySignatures = false;         // --auth verify (default any-key)
    QStringList allowedOrigins;            // --allow-origin ORIGIN, repeatable
};

// Parses arguments (argv including the program name). On error returns nullopt and sets *error;
// --help and --version print and exit inside QCommandLineParser.
std::optional<AppOptions> parseOptions(const QStringList &arguments, QString *error);

} // namespace lambdesk::app
