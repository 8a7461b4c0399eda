#pragma once
// A function's page as the page tests open it: on an invocation feed of its own, at 1280x1000,
// shown and loading.

#include "function/functionpage.h"
#include "invocationfeed.h"

namespace lambdesk::app::testing {

class ShownFunctionPage {
public:
    ShownFunctionPage(engine::Engine &engine, const QString &name)
        : m_feed(engine), m_page(engine, &m_feed, name)
    {
        m_page.resize(1280, 1000);
        m_page.show();
        m_page.load();
    }
    FunctionPage &page() { return m_page; }

private:
    InvocationFeed m_feed;
    FunctionPage m_page;
};

} // namespace lambdesk::app::testing
