#pragma once
// "Run N invocations, C concurrent": C workers on the engine pool share one counter and invoke
// until N are done or stop() is called. Progress is read from atomics by a GUI-thread timer, so
// the workers never touch widgets.

#include "function/functioncontroller.h"

#include <QObject>
#include <atomic>
#include <memory>
#include <string>

namespace lambdesk::app {

class LoadRunner : public QObject {
    Q_OBJECT
public:
    LoadRunner(SharedFunction function, QObject *parent = nullptr);
    ~LoadRunner() override; // asks running workers to stop; they finish their current invoke

    void start(const std::string &payload, int count, int concurrency);
    void stop();
    bool isRunning() const { return m_running; }
    int total() const;
    int completed() const;
    int failed() const;

signals:
    void progress(int completed, int total);
    void finished(int completed, int failed, bool stopped);

private:
    struct State {
        std::atomic<int> next{0};
        std::atomic<int> completed{0};
        std::atomic<int> failed{0};
        std::atomic<bool> stop{false};
        int total = 0;
    };
    SharedFunction m_controller;
    std::shared_ptr<State> m_state;
    int m_workersLeft = 0;
    bool m_running = false;
};

} // namespace lambdesk::app
