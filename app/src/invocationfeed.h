#pragma once
// Turns Engine::subscribeInvocations callbacks (engine threads) into a Qt signal on the GUI
// thread. One feed per window; screens connect to invocationRecorded and filter by function.

#include "lambdesk/engine/types.h"

#include <QObject>
#include <memory>

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class InvocationFeed : public QObject {
    Q_OBJECT
public:
    InvocationFeed(engine::Engine &engine, QObject *parent = nullptr);
    ~InvocationFeed() override; // unsubscribes; no signal is queued for this object afterwards

signals:
    void invocationRecorded(const lambdesk::engine::InvocationRecord &record);

private:
    struct Relay;
    engine::Engine &m_engine;
    std::shared_ptr<Relay> m_relay;
    int m_subscription = -1;
};

} // namespace lambdesk::app

Q_DECLARE_METATYPE(lambdesk::engine::InvocationRecord)
