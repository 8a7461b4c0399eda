#include "widgets/pagebody.h"

#include <QApplication>
#include <QLayout>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

namespace lambdesk::app {

namespace {

// QScrollArea sizes a resizable widget whose layout has height-for-width (any word-wrapped
// label) from numbers that come out below the line edits' natural height, so it squeezes them.
// This content widget hides height-for-width from the scroll area and reports as its minimum
// the height it needs at its current width; a width change asks the scroll area again.
class Content : public QWidget {
public:
    using QWidget::QWidget;
    bool hasHeightForWidth() const override { return false; }
    QSize minimumSizeHint() const override
    {
        int height = sizeHint().height();
        if (layout() && width() > 0)
            height = std::max(height, layout()->totalHeightForWidth(width()));
        return {QWidget::minimumSizeHint().width(), height};
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QWidget::resizeEvent(event);
        if (event->oldSize().width() != event->size().width())
            updateGeometry();
    }
};

// Hands a wheel event to the scroll bar of the page the watched widget sits in.
class WheelToPage : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Wheel)
            return QObject::eventFilter(watched, event);
        for (QObject *ancestor = watched->parent(); ancestor; ancestor = ancestor->parent()) {
            auto *scroll = qobject_cast<QScrollArea *>(ancestor);
            if (scroll && scroll->objectName() == QLatin1String("pageScroll")) {
                QApplication::sendEvent(scroll->verticalScrollBar(), event);
                break;
            }
        }
        return true;
    }
};

} // namespace

void PageBody::scrollPageOnWheel(QWidget *widget)
{
    widget->installEventFilter(new WheelToPage(widget));
}

PageBody::PageBody(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("pageBody"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *content = new Content(this);
    content->setObjectName(QStringLiteral("pageBody"));
    outer->addWidget(content);
    m_layout = new QVBoxLayout(content);
    m_layout->setContentsMargins(24, 8, 24, 24);
    m_layout->setSpacing(14);
}

PageBody *PageBody::install(QWidget *page)
{
    auto *outer = new QVBoxLayout(page);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(page);
    scroll->setObjectName(QStringLiteral("pageScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);
    auto *body = new PageBody(scroll);
    scroll->setWidget(body);
    return body;
}

} // namespace lambdesk::app
