#include "enginehost.h"

#include "appoptions.h"
#include "async.h"
#include "errortext.h"

#include <QDir>

namespace lambdesk::app {

std::unique_ptr<EngineHost> EngineHost::start(const AppOptions &options, HostError *error)
{
    engine::EngineOptions engineOptions;
    engineOptions.dataDir = options.dataDir.isEmpty()
        ? engine::defaultDataDir()
        : std::filesystem::path(QDir(options.dataDir).absolutePath().toStdString());
    if (!options.sandbox.isEmpty())
        engineOptions.defaultSandbox = options.sandbox.toStdString();
    const QString dataDir = QString::fromStdString(engineOptions.dataDir.string());

    auto opened = engine::Engine::open(engineOptions);
    if (!opened) {
        if (opened.error().code == engine::ErrorCode::EngineLocked) {
            const QString holder =
                QString::fromStdString(engine::dataDirLockHolder(engineOptions.dataDir));
            *error = {QStringLiteral("Data directory in use"),
                      QStringLiteral("The data directory %1 is in use by %2.\n\nClose that program, or "
                                     "start Lambdesk with --data-dir DIR to use another directory.")
                          .arg(dataDir, holder.isEmpty() ? QStringLiteral("another process") : holder),
                      3};
        } else {
            *error = {QStringLiteral("The engine could not start"),
                      QStringLiteral("Opening the engine on %1 failed:\n%2")
                          .arg(dataDir, engineErrorText(opened.error())),
                      1};
        }
        return nullptr;
    }

    std::unique_ptr<EngineHost> host(new EngineHost);
    host->m_engine = std::move(opened.value());
    if (options.serveApi) {
        // The same rules as lambdesk-engine: the app is one more client of the same listener.
        engine::ApiAccess access;
        for (const QString &origin : options.allowedOrigins)
            access.allowedOrigins.push_back(origin.toStdString());
        if (options.verifySignatures) {
            auto credentials = engine::loadOrCreateApiCredentials(engineOptions.dataDir);
            if (!credentials) {
                *error = {QStringLiteral("The Lambda API could not start"),
                          engineErrorText(credentials.error()), 1};
                return nullptr;
            }
            access.auth = engine::ApiAuthMode::Verify;
            access.credentials = *credentials;
            for (const auto &line : engine::awsConfigureLines(*credentials))
                host->m_apiConfigureLines << QString::fromStdString(line);
        }
        host->m_apiAuth = QString::fromStdString(engine::describeAuthMode(access.auth));
        host->m_server = std::make_unique<engine::ApiServer>(*host->m_engine, access);
        auto port = host->m_server->start(options.listenHost.toStdString(), options.listenPort);
        if (!port) {
            *error = {QStringLiteral("The Lambda API could not start"),
                      QStringLiteral("Serving the Lambda REST API on %1:%2 failed:\n%3\n\nStart "
                                     "Lambdesk with --listen HOST:PORT to use another address, or "
                                     "--listen off.")
                          .arg(options.listenHost)
                          .arg(options.listenPort)
                          .arg(engineErrorText(port.error())),
                      1};
            return nullptr;
        }
        host->m_apiAddress = QString::fromStdString(host->m_server->baseUrl());
        host->m_urls = std::make_unique<engine::FunctionUrlServer>(*host->m_engine, access);
        // The port after the API's when it is free, else any: URLs name whichever it is.
        const int urlPort = *port < 65535 ? *port + 1 : 0;
        auto urls = host->m_urls->start(options.listenHost.toStdString(), urlPort);
        if (!urls)
            urls = host->m_urls->start(options.listenHost.toStdString(), 0);
        if (!urls) {
            *error = {QStringLiteral("Function URLs could not start"),
                      QStringLiteral("Serving function URLs on %1 failed:\n%2\n\nStart Lambdesk "
                                     "with --listen HOST:PORT to use another address, or "
                                     "--listen off.")
                          .arg(options.listenHost, engineErrorText(urls.error())),
                      1};
            return nullptr;
        }
        host->m_urlAddress = QString::fromStdString(host->m_urls->baseUrl());
    }
    return host;
}

EngineHost::~EngineHost()
{
    // Screens are gone by now, but work they started may still be inside the engine: the
    // shutdown answers invocations in flight (as failed, recorded) instead of waiting for them.
    if (m_engine)
        m_engine->shutdown();
    enginePool()->waitForDone();
    if (m_urls)
        m_urls->stop();
    if (m_server)
        m_server->stop();
    m_urls.reset();
    m_server.reset();
    m_engine.reset();
}

} // namespace lambdesk::app
