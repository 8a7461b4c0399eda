#include "async.h"

namespace lambdesk::app {

QThreadPool *enginePool()
{
    // Invokes may each wait up to a function's timeout; 32 threads leave room for a load run
    // next to the status poll and the screens' one-shot calls. EngineHost waits for it to drain
    // before the engine closes.
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setMaxThreadCount(32);
        return true;
    }();
    (void)configured;
    return &pool;
}

} // namespace lambdesk::app
