#include "invocationfeed.h"

#include "lambdesk/engine/engine.h"

#include <QMetaObject>
#include <QPointer>
#include <mutex>

namespace lambdesk::app {

// The engine may call the observer on any thread, even while the feed is being destroyed on
// the GUI thread. The relay outlives both sides (shared_ptr) and its mutex makes "is the feed
// still there?" and "queue a call to it" one step, so a queued call never targets a dead object.
struct InvocationFeed::Relay {
    std::mutex mutex;
    InvocationFeed *feed = nullptr;
};

InvocationFeed::InvocationFeed(engine::Engine &engine, QObject *parent)
    : QObject(parent), m_engine(engine), m_relay(std::make_shared<Relay>())
{
    qRegisterMetaType<engine::InvocationRecord>();
    m_relay->feed = this;
    m_subscription = m_engine.subscribeInvocations([relay = m_relay](const engine::InvocationRecord &record) {
        std::lock_guard lock(relay->mutex);
        if (!relay->feed)
            return;
        InvocationFeed *feed = relay->feed;
        // Queued: runs on the feed's (GUI) thread. Qt drops it if the feed is deleted first.
        QMetaObject::invokeMethod(feed, [feed, record] { emit feed->invocationRecorded(record); },
                                  Qt::QueuedConnection);
    });
}

InvocationFeed::~InvocationFeed()
{
    {
        std::lock_guard lock(m_relay->mutex);
        m_relay->feed = nullptr;
    }
    m_engine.unsubscribeInvocations(m_subscription);
}

} // namespace lambdesk::app
