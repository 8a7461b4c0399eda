#pragma once
// The scrolling body of a long page (Create function, a function's page). A resizable scroll
// area shrinks its widget down to the layout's minimum, which squeezes line edits and combo
// boxes below their natural height when the window is short; this body refuses to be shorter
// than its size hint, so the page scrolls instead.

#include <QWidget>

class QScrollArea;
class QVBoxLayout;

namespace lambdesk::app {

class PageBody : public QWidget {
    Q_OBJECT
public:
    explicit PageBody(QWidget *parent = nullptr);
    QVBoxLayout *layout() const { return m_layout; }

    // Creates a scroll area filling page (which gets a zero-margin layout) with a PageBody in it.
    static PageBody *install(QWidget *page);
    // The wheel over widget (a tab bar, which would switch tabs) scrolls the page around it.
    static void scrollPageOnWheel(QWidget *widget);

private:
    QVBoxLayout *m_layout;
};

} // namespace lambdesk::app
