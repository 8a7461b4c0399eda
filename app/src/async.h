#pragma once
// Engine calls off the GUI thread (STYLE.md section 5): the work runs on enginePool() and the
// result comes back on the GUI thread, tied to a context object so closing a screen drops it.

#include <QCoreApplication>
#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>
#include <type_traits>
#include <utility>

namespace lambdesk::app {

// The pool every engine call runs on. Not QThreadPool::globalInstance(): that one has only
// idealThreadCount() threads (2 on the build machine), so one long invoke or a load run would
// starve status polling and every other screen.
QThreadPool *enginePool();

// Runs work() on enginePool(); calls done(result) on the GUI thread unless context is gone.
// work must only touch thread-safe objects (the engine) and values it captured by copy.
// The answer is posted to the application object, never through QFuture::then(context): Qt 6.4's
// context continuations run at once on the pool's thread when the context is gone, inside then()
// when the work is already done, and were seen to crash in reportStarted() under load
// (consoleflow_test). The answer always comes from the event loop, after the call that asked.
template <class Work, class Done>
void runAsync(QObject *context, Work work, Done done)
{
    using R = std::invoke_result_t<Work &>;
    (void)QtConcurrent::run(enginePool(),
                            [work = std::move(work), guard = QPointer<QObject>(context),
                             done = std::move(done)]() mutable {
                                // Result<T> has no default constructor: carried in a shared
                                // pointer.
                                auto result = std::make_shared<R>(work());
                                QMetaObject::invokeMethod(
                                    QCoreApplication::instance(),
                                    [guard = std::move(guard), done = std::move(done),
                                     result = std::move(result)]() mutable {
                                        if (guard)
                                            done(std::move(*result));
                                    },
                                    Qt::QueuedConnection);
                            });
}

// Fire-and-forget work (saving a draft on the way out): nobody waits for the answer, but
// shutdown waits for the pool, so it still completes before the engine closes.
template <class Work>
void runDetached(Work work)
{
    (void)QtConcurrent::run(enginePool(), std::move(work));
}

} // namespace lambdesk::app
