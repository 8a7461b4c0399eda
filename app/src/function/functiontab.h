#pragma once
// What the function page's tabs have in common: the function they show, a loaded() signal for
// --screenshot and tests, and messages for the page's flashbar.

#include "function/functioncontroller.h"
#include "lambdesk/engine/types.h"

#include <QWidget>

namespace lambdesk::app {

class FunctionTab : public QWidget {
    Q_OBJECT
public:
    FunctionTab(SharedFunction function, QWidget *parent = nullptr)
        : QWidget(parent), m_controller(std::move(function))
    {
    }

    // Called with the first FunctionInfo (the tab then loads its own data) and after every
    // change. GUI thread.
    virtual void setFunction(const engine::FunctionInfo &info) = 0;
    bool isLoaded() const { return m_loaded; }
    const engine::FunctionInfo &function() const { return m_function; }

signals:
    void loaded();
    void flashRequested(int kind, const QString &text); // kind: Flashbar::Kind
    void functionUpdated(const lambdesk::engine::FunctionInfo &info);

protected:
    void markLoaded()
    {
        if (!m_loaded) {
            m_loaded = true;
            emit loaded();
        }
    }
    QString functionName() const { return QString::fromStdString(m_function.config.name); }

    SharedFunction m_controller;
    engine::FunctionInfo m_function;

private:
    bool m_loaded = false;
};

} // namespace lambdesk::app
