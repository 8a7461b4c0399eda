#pragma once
// The console's white panel: a bold title (with an optional count and actions on the right) over
// a body. Callers add their widgets to bodyLayout().

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QVBoxLayout;

namespace lambdesk::app {

class Panel : public QFrame {
    Q_OBJECT
public:
    explicit Panel(const QString &title, QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setCount(const QString &count);     // grey "(3)" beside the title
    void setDescription(const QString &text); // grey line under the title
    void addHeaderWidget(QWidget *widget);    // right side of the header, in order
    QVBoxLayout *bodyLayout() const { return m_body; }
    QLabel *titleLabel() const { return m_title; }

private:
    QLabel *m_title;
    QLabel *m_count;
    QLabel *m_description;
    QHBoxLayout *m_headerActions;
    QVBoxLayout *m_body;
};

} // namespace lambdesk::app
