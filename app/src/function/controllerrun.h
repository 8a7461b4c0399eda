#pragma once
// FunctionController::run, for the files that implement the controller (functioncontroller.cpp,
// functioncontrollertriggers.cpp).

#include "async.h"
#include "function/functioncontroller.h"

#include "lambdesk/engine/engine.h"

#include <utility>

namespace lambdesk::app {

// The work gets the engine and the function's name by value: it may still run after the page
// (and this controller) are gone, and the engine outlives the pool.
template <class Work, class Done>
void FunctionController::run(QObject *context, Work work, Done done) const
{
    runAsync(
        context,
        [engine = &m_engine, name = m_name, work = std::move(work)]() mutable {
            return work(*engine, name);
        },
        std::move(done));
}

} // namespace lambdesk::app
