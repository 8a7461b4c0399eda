#include "widgets/flashbar.h"

#include "widgets/ui.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>

namespace lambdesk::app {

namespace {

constexpr int kIconSize = 16;

void drawCross(QPainter &painter, const QRectF &box)
{
    const qreal inset = box.width() * 0.32;
    const QRectF cross = box.adjusted(inset, inset, -inset, -inset);
    painter.drawLine(cross.topLeft(), cross.bottomRight());
    painter.drawLine(cross.topRight(), cross.bottomLeft());
}

QPixmap dismissIcon(const QColor &color, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(14, 14) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(color, 1.6, Qt::SolidLine, Qt::RoundCap));
    drawCross(painter, QRectF(-2, -2, 18, 18));
    return pixmap;
}

} // namespace

QPixmap Flashbar::icon(Kind kind, const QColor &color, int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal stroke = size / 9.0;
    QPen pen(color, stroke, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    painter.setPen(pen);
    const QRectF box =
        QRectF(0, 0, size, size).adjusted(stroke / 2, stroke / 2, -stroke / 2, -stroke / 2);
    const qreal s = size;
    switch (kind) {
    case Kind::Info:
        painter.drawEllipse(box);
        painter.drawLine(QPointF(s / 2, s * 0.45), QPointF(s / 2, s * 0.72));
        painter.drawPoint(QPointF(s / 2, s * 0.28));
        break;
    case Kind::Success:
        painter.drawEllipse(box);
        painter.drawPolyline(QPolygonF(
            {QPointF(s * 0.3, s * 0.52), QPointF(s * 0.45, s * 0.67), QPointF(s * 0.7, s * 0.36)}));
        break;
    case Kind::Error:
        painter.drawEllipse(box);
        drawCross(painter, box);
        break;
    case Kind::Warning: {
        QPainterPath triangle;
        triangle.moveTo(s / 2, box.top());
        triangle.lineTo(box.right(), box.bottom());
        triangle.lineTo(box.left(), box.bottom());
        triangle.closeSubpath();
        painter.drawPath(triangle);
        painter.drawLine(QPointF(s / 2, s * 0.4), QPointF(s / 2, s * 0.65));
        painter.drawPoint(QPointF(s / 2, s * 0.8));
        break;
    }
    }
    return pixmap;
}

Flashbar::Flashbar(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("flash"));
    setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(16, 10, 10, 10);
    layout->setSpacing(10);
    m_icon = new QLabel(this);
    m_icon->setAlignment(Qt::AlignTop);
    m_icon->setFixedSize(kIconSize, kIconSize + 2);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(QStringLiteral("flashText"));
    m_action = secondaryButton(QString(), this);
    m_action->setObjectName(QStringLiteral("flashAction"));
    m_action->hide();
    connect(m_action, &QPushButton::clicked, this, &Flashbar::actionTriggered);
    m_dismiss = new QPushButton(this);
    m_dismiss->setToolTip(QStringLiteral("Dismiss"));
    m_dismiss->setAccessibleName(QStringLiteral("Dismiss"));
    m_dismiss->setCursor(Qt::PointingHandCursor);
    m_dismiss->setFixedSize(22, 22);
    connect(m_dismiss, &QPushButton::clicked, this, &Flashbar::clear);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_dismiss, 0, Qt::AlignTop);
    hide();
}

void Flashbar::setDismissible(bool dismissible)
{
    m_dismiss->setVisible(dismissible);
}

void Flashbar::setAction(const QString &text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
}

void Flashbar::showMessage(Kind kind, const QString &text)
{
    static const char *const kinds[] = {"info", "success", "error", "warning"};
    m_kind = kind;
    setProperty("kind", QLatin1String(kinds[int(kind)]));
    m_text->setText(text);
    repolish(this);
    for (QWidget *child : findChildren<QWidget *>())
        repolish(child);
    // The stylesheet gives the text its colour for this kind; the icons follow it.
    const QColor color = m_text->palette().color(QPalette::WindowText);
    const qreal ratio = devicePixelRatioF();
    m_icon->setPixmap(icon(kind, color, kIconSize, ratio));
    m_dismiss->setIcon(QIcon(dismissIcon(color, ratio)));
    show();
}

void Flashbar::clear()
{
    m_text->clear();
    hide();
}

QString Flashbar::text() const
{
    return isVisible() || !m_text->text().isEmpty() ? m_text->text() : QString();
}

} // namespace lambdesk::app
