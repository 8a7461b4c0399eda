#pragma once
// Engine calls off the GUI thread (STYLE.md section 5): the work runs on enginePool() and the
// result comes back on the GUI thread, tied to a context object so closing a screen drops it.

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

// Runs work() on enginePool(); calls done(result) on context's thread unless context is gone.
// work must only touch thread-safe objects (the engine) and values it captured by copy.
template <class Work, class Done>
void runAsync(QObject *context, Work work, Done done)
{
    using R = std::invoke_result_t<Work &>;
    // Result<T> has no default constructor, which QFuture's result store wants: carry a pointer.
    QtConcurrent::run(enginePool(),
                      [work = std::move(work)]() mutable { return std::make_shared<R>(work()); })
        .then(context, [guard = QPointer<QObject>(context),
                        done = std::move(done)](std::shared_ptr<R> result) mutable {
            // Qt 6.4 runs the continuation at once, on the pool's thread, when the context is
            // already gone as the work finishes (QMetaObject::invokeMethod on a null QPointer).
            if (!guard)
                return;
            // And at once, inside then() and so inside the call that asked, when the work
            // finished before then() was attached: the caller may still be setting up ("Saving...",
            // what to select after the reload). The answer always comes from the event loop.
            QMetaObject::invokeMethod(
                guard.data(),
                [guard, done = std::move(done), result = std::move(result)]() mutable {
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
