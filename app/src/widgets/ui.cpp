#include "widgets/ui.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace lambdesk::app {

QPushButton *primaryButton(const QString &text, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setProperty("primary", true);
    button->setCursor(Qt::PointingHandCursor);
    return button;
}

QPushButton *secondaryButton(const QString &text, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setCursor(Qt::PointingHandCursor);
    return button;
}

QPushButton *linkButton(const QString &text, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setProperty("link", true);
    button->setCursor(Qt::PointingHandCursor);
    button->setFlat(true);
    return button;
}

QToolButton *menuButton(const QString &text, QMenu *menu, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(QStringLiteral("menuButton"));
    button->setText(text);
    button->setPopupMode(QToolButton::InstantPopup);
    button->setCursor(Qt::PointingHandCursor);
    menu->setParent(button, menu->windowFlags());
    button->setMenu(menu);
    return button;
}

QLabel *styledLabel(const QString &text, const char *objectName, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(QLatin1String(objectName));
    return label;
}

namespace {

// A wrapped label that tells its layout a plain minimum height (the lines it needs at its current
// width) instead of height-for-width: nested box layouts under-estimate height-for-width and
// squeeze the line edits and combo boxes beside such labels. A width change asks again.
class WrappedLabel : public QLabel {
public:
    using QLabel::QLabel;
    bool hasHeightForWidth() const override { return false; }
    QSize minimumSizeHint() const override
    {
        const int width = this->width() > 0 ? this->width() : QLabel::sizeHint().width();
        return {QLabel::minimumSizeHint().width(), QLabel::heightForWidth(width)};
    }
    QSize sizeHint() const override
    {
        return {QLabel::sizeHint().width(), minimumSizeHint().height()};
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QLabel::resizeEvent(event);
        if (event->oldSize().width() != event->size().width())
            updateGeometry();
    }
};

} // namespace

QLabel *hintLabel(const QString &text, QWidget *parent)
{
    auto *label = new WrappedLabel(text, parent);
    label->setObjectName(QStringLiteral("hint"));
    label->setWordWrap(true);
    return label;
}

QWidget *fieldRow(const QString &label, QWidget *field, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(styledLabel(label, "fieldLabel", row));
    field->setParent(row);
    layout->addWidget(field, 0, Qt::AlignLeft);
    return row;
}

QLabel *inlineErrorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("inlineError"));
    label->setWordWrap(true);
    label->hide();
    return label;
}

FormButtons formButtons(const QString &confirmText, QWidget *parent)
{
    FormButtons buttons{new QHBoxLayout, linkButton(QStringLiteral("Cancel"), parent),
                        primaryButton(confirmText, parent)};
    buttons.row->addStretch();
    buttons.row->addWidget(buttons.cancel);
    buttons.row->addSpacing(12);
    buttons.row->addWidget(buttons.confirm);
    return buttons;
}

void revealInScrollArea(QWidget *widget)
{
    // Once the layout has placed the widget it just showed.
    QTimer::singleShot(0, widget, [widget] {
        for (QWidget *ancestor = widget->parentWidget(); ancestor;
             ancestor = ancestor->parentWidget())
            if (auto *area = qobject_cast<QScrollArea *>(ancestor)) {
                area->ensureWidgetVisible(widget, 0, 24);
                return;
            }
    });
}

void repolish(QWidget *widget)
{
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
    widget->update();
}

void setInvalid(QWidget *widget, bool invalid)
{
    if (widget->property("invalid").toBool() == invalid)
        return;
    widget->setProperty("invalid", invalid);
    repolish(widget);
}

} // namespace lambdesk::app
