#pragma once
// Owns the in-process engine and its REST API server for the app's lifetime, so the CLI, SDKs
// and the app see the same functions.

#include "lambdesk/engine/apiserver.h"
#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/functionurlserver.h"

#include <QString>
#include <QStringList>
#include <memory>

namespace lambdesk::app {

struct AppOptions;

struct HostError {
    QString title;
    QString message;
    int exitCode = 1; // 3: the data dir is locked by another engine or app
};

class EngineHost {
public:
    // Opens the engine on options.dataDir and, when options.serveApi, starts the API server and the
    // function URL listener (on the API's port + 1, or a free port when the API's is picked
    // freely). Blocking: called from main() before any window exists.
    static std::unique_ptr<EngineHost> start(const AppOptions &options, HostError *error);
    ~EngineHost(); // waits for in-flight engine calls, then stops the server and the engine

    engine::Engine &engine() { return *m_engine; }
    QString apiAddress() const { return m_apiAddress; } // "http://127.0.0.1:9001"; empty when off
    QString urlAddress() const { return m_urlAddress; } // function URLs' listener; empty when off
    QString apiAuth() const { return m_apiAuth; }       // "SigV4 verified", ...; empty when off
    // The `aws configure` lines for the verified key pair; empty unless --auth verify.
    QStringList apiConfigureLines() const { return m_apiConfigureLines; }

private:
    EngineHost() = default;
    std::unique_ptr<engine::Engine> m_engine;
    std::unique_ptr<engine::ApiServer> m_server;
    std::unique_ptr<engine::FunctionUrlServer> m_urls;
    QString m_apiAddress;
    QString m_urlAddress;
    QString m_apiAuth;
    QStringList m_apiConfigureLines;
};

} // namespace lambdesk::app
