#include "function/functiondiagram.h"

#include <QPainter>
#include <QPainterPath>

namespace lambdesk::app {

FunctionDiagram::FunctionDiagram(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void FunctionDiagram::setFunction(const QString &name, int layerCount)
{
    m_name = name;
    m_layers = layerCount;
    update();
}

QSize FunctionDiagram::sizeHint() const
{
    return {620, 150};
}

QSize FunctionDiagram::minimumSizeHint() const
{
    return {420, 150};
}

void FunctionDiagram::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor border(0xaa, 0xb7, 0xb8);
    const QColor ink(0x16, 0x19, 0x1f);
    const QColor link(0x00, 0x73, 0xbb);
    const int h = height();
    const int boxWidth = std::min(260, width() / 2 - 20);
    const QRect function((width() - boxWidth) / 2, 14, boxWidth, h - 28);
    const int sideWidth = std::min(150, (width() - boxWidth) / 2 - 30);
    const QRect trigger(4, h / 2 - 20, sideWidth, 40);
    const QRect destination(width() - sideWidth - 4, h / 2 - 20, sideWidth, 40);

    // Connectors first so the boxes sit on top of them.
    painter.setPen(QPen(border, 1.2, Qt::DashLine));
    painter.drawLine(trigger.right(), h / 2, function.left(), h / 2);
    painter.drawLine(function.right(), h / 2, destination.left(), h / 2);

    painter.setPen(QPen(border, 1));
    painter.setBrush(Qt::white);
    painter.drawRoundedRect(QRectF(function).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);

    // The Lambda mark: an orange square with a λ.
    const QRect icon(function.left() + 14, function.top() + 16, 34, 34);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0xec, 0x72, 0x11));
    painter.drawRoundedRect(icon, 3, 3);
    QFont iconFont = font();
    iconFont.setPointSizeF(font().pointSizeF() * 1.8);
    iconFont.setBold(true);
    painter.setFont(iconFont);
    painter.setPen(Qt::white);
    painter.drawText(icon, Qt::AlignCenter, QStringLiteral("λ"));

    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(ink);
    const QRect nameRect(icon.right() + 10, icon.top(), function.right() - icon.right() - 20, icon.height());
    painter.drawText(nameRect, Qt::AlignVCenter | Qt::AlignLeft,
                     QFontMetrics(bold).elidedText(m_name, Qt::ElideMiddle, nameRect.width()));

    // Layers (n), as a small bar across the bottom of the function box.
    const QRect layers(function.left() + 14, function.bottom() - 40, function.width() - 28, 28);
    painter.setPen(QPen(border, 1));
    painter.setBrush(QColor(0xfa, 0xfa, 0xfa));
    painter.drawRoundedRect(layers, 2, 2);
    painter.setFont(font());
    painter.setPen(ink);
    painter.drawText(layers.adjusted(10, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                     QStringLiteral("≡  Layers (%1)").arg(m_layers));

    for (const auto &[rect, text] : {std::pair{trigger, QStringLiteral("+ Add trigger")},
                                     std::pair{destination, QStringLiteral("+ Add destination")}}) {
        painter.setPen(QPen(border, 1, Qt::DashLine));
        painter.setBrush(Qt::white);
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
        painter.setPen(link);
        // Two lines ("+ Add" / "destination") when the page is narrow.
        painter.drawText(rect, Qt::AlignCenter | Qt::TextWordWrap, text);
    }
}

} // namespace lambdesk::app
