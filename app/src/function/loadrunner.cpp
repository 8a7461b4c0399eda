#include "function/loadrunner.h"

#include "async.h"

#include "function/functioncontroller.h"

#include <QTimer>

namespace lambdesk::app {

LoadRunner::LoadRunner(SharedFunction function, QObject *parent)
    : QObject(parent), m_controller(std::move(function))
{
}

LoadRunner::~LoadRunner()
{
    stop();
}

void LoadRunner::start(const std::string &payload, int count, int concurrency)
{
    if (m_running || count <= 0)
        return;
    m_state = std::make_shared<State>();
    m_state->total = count;
    m_running = true;
    m_workersLeft = std::max(1, std::min(concurrency, count));

    auto *ticker = new QTimer(this);
    ticker->setInterval(100);
    connect(ticker, &QTimer::timeout, this, [this, ticker, state = m_state] {
        emit progress(state->completed.load(), state->total);
        if (!m_running || state != m_state)
            ticker->deleteLater();
    });
    ticker->start();

    for (int worker = 0; worker < m_workersLeft; ++worker) {
        runAsync(
            this,
            [invoke = m_controller->invoker(), state = m_state, payload] {
                while (!state->stop.load() && state->next.fetch_add(1) < state->total) {
                    auto result = invoke(payload);
                    if (!result || result->functionError)
                        state->failed.fetch_add(1);
                    state->completed.fetch_add(1);
                }
                return true;
            },
            [this, state = m_state](bool) {
                if (state != m_state || --m_workersLeft > 0)
                    return;
                m_running = false;
                emit progress(state->completed.load(), state->total);
                emit finished(state->completed.load(), state->failed.load(), state->stop.load());
            });
    }
}

void LoadRunner::stop()
{
    if (m_state)
        m_state->stop.store(true);
}

int LoadRunner::total() const
{
    return m_state ? m_state->total : 0;
}

int LoadRunner::completed() const
{
    return m_state ? m_state->completed.load() : 0;
}

int LoadRunner::failed() const
{
    return m_state ? m_state->failed.load() : 0;
}

} // namespace lambdesk::app
