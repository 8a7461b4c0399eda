#include "function/functiondiagram.h"

#include <QMouseEvent>

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cstring>

namespace lambdesk::app {

namespace {

constexpr int kLinkHeight =
    40; // two lines: "EventBridge (CloudWatch Events)" wraps in a narrow page
constexpr int kLinkGap = 6;
constexpr int kIconSize = 18;
constexpr int kMinIconBoxWidth = 110; // "EventBridge" beside its icon

// The console's service icons, as their category colours (application integration pink, storage
// green, compute orange) with the service's short name: the box's label says which.
// False when the label names no service it knows, or the box is too narrow to give up the room.
bool drawServiceIcon(QPainter &painter, const QRect &box, const QString &label, const QFont &font)
{
    if (box.width() < kMinIconBoxWidth)
        return false;
    struct Icon {
        const char *prefix;
        QColor color;
        const char *glyph;
    };
    static const Icon kIcons[] = {
        {"EventBridge", QColor(0xe7, 0x15, 0x7b), "EB"},
        {"S3", QColor(0x7a, 0xa1, 0x16), "S3"},
        {"SQS", QColor(0xe7, 0x15, 0x7b), "SQS"},
        {"Function URL", QColor(0xed, 0x71, 0x00), "URL"},
        {"Lambda", QColor(0xed, 0x71, 0x00), "λ"},
    };
    // A destination's label is "On success: SQS": its service is after the colon.
    const QString service = label.section(QStringLiteral(": "), -1);
    const Icon *icon = nullptr;
    for (const Icon &candidate : kIcons)
        if (service.startsWith(QString::fromUtf8(candidate.prefix)))
            icon = &candidate;
    if (!icon)
        return false;
    const QRect square(box.left() + 8, box.center().y() - kIconSize / 2 + 1, kIconSize, kIconSize);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(icon->color);
    painter.drawRoundedRect(square, 3, 3);
    QFont glyphFont = font;
    glyphFont.setBold(true);
    glyphFont.setPointSizeF(font.pointSizeF() * (std::strlen(icon->glyph) > 2 ? 0.55 : 0.7));
    painter.setFont(glyphFont);
    painter.setPen(Qt::white);
    painter.drawText(square, Qt::AlignCenter, QString::fromUtf8(icon->glyph));
    painter.restore();
    return true;
}

} // namespace

FunctionDiagram::FunctionDiagram(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
}

void FunctionDiagram::setTriggers(const QStringList &labels)
{
    m_triggers = labels;
    update();
}

QList<FunctionDiagram::Box> FunctionDiagram::boxes() const
{
    QList<Box> grouped;
    for (const QString &label : m_triggers) {
        auto same = std::find_if(grouped.begin(), grouped.end(),
                                 [&label](const Box &box) { return box.label == label; });
        if (same == grouped.end())
            grouped.append({label, 1});
        else
            ++same->count;
    }
    return grouped;
}

QStringList FunctionDiagram::triggerBoxes() const
{
    QStringList texts;
    for (const Box &box : boxes())
        texts.append(box.count > 1 ? QStringLiteral("%1 (%2)").arg(box.label).arg(box.count)
                                   : box.label);
    return texts;
}

int FunctionDiagram::functionWidth() const
{
    return std::min(230, width() / 2 - 40);
}

QRect FunctionDiagram::triggerColumn() const
{
    const int sideWidth = std::min(190, (width() - functionWidth()) / 2 - 20);
    return {4, 0, sideWidth, height()};
}

QRect FunctionDiagram::destinationColumn() const
{
    const int sideWidth = std::min(170, (width() - functionWidth()) / 2 - 30);
    return {width() - sideWidth - 4, 0, sideWidth, height()};
}

// `count` boxes down the middle of `column`.
QList<QRect> FunctionDiagram::stacked(const QRect &column, int count)
{
    const int total = count * kLinkHeight + (count - 1) * kLinkGap;
    int top = (column.height() - total) / 2;
    QList<QRect> rects;
    for (int i = 0; i < count; ++i) {
        rects.append(QRect(column.left(), top, column.width(), kLinkHeight));
        top += kLinkHeight + kLinkGap;
    }
    return rects;
}

QList<QRect> FunctionDiagram::triggerRects() const
{
    return stacked(triggerColumn(), int(boxes().size()) + 1); // and "+ Add trigger"
}

QRect FunctionDiagram::addTriggerRect() const
{
    return triggerRects().back();
}

void FunctionDiagram::setDestinations(const QStringList &labels)
{
    m_destinations = labels;
    update();
}

QList<QRect> FunctionDiagram::destinationRects() const
{
    return stacked(destinationColumn(), int(m_destinations.size()) + 1);
}

QRect FunctionDiagram::addDestinationRect() const
{
    return destinationRects().back();
}

void FunctionDiagram::mousePressEvent(QMouseEvent *event)
{
    const QPoint at = event->position().toPoint();
    const QList<QRect> rects = triggerRects();
    const QList<Box> grouped = boxes();
    for (int i = 0; i < rects.size(); ++i) {
        if (!rects[i].contains(at))
            continue;
        if (i < grouped.size())
            emit triggerClicked(grouped[i].label);
        else
            emit addTriggerClicked();
        return;
    }
    const QList<QRect> destinations = destinationRects();
    for (int i = 0; i < destinations.size(); ++i) {
        if (!destinations[i].contains(at))
            continue;
        if (i < m_destinations.size())
            emit destinationClicked(m_destinations[i]);
        else
            emit addDestinationClicked();
        return;
    }
    QWidget::mousePressEvent(event);
}

void FunctionDiagram::mouseMoveEvent(QMouseEvent *event)
{
    const QList<QRect> rects = triggerRects() + destinationRects();
    const bool overLink = std::any_of(rects.begin(), rects.end(), [event](const QRect &rect) {
        return rect.contains(event->position().toPoint());
    });
    setCursor(overLink ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
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
    const int boxWidth = functionWidth();
    const QRect function((width() - boxWidth) / 2, 14, boxWidth, h - 28);
    const QList<QRect> triggers = triggerRects();
    const QList<QRect> destinations = destinationRects();

    // Connectors first so the boxes sit on top of them.
    painter.setPen(QPen(border, 1.2, Qt::DashLine));
    for (const QRect &trigger : triggers)
        painter.drawLine(trigger.right(), trigger.center().y(), function.left(), h / 2);
    for (const QRect &destination : destinations)
        painter.drawLine(function.right(), h / 2, destination.left(), destination.center().y());

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

    // The triggers and destinations: solid boxes with their names, then the dashed "+ Add".
    for (int i = 0; i < m_destinations.size(); ++i) {
        painter.setPen(QPen(border, 1));
        painter.setBrush(Qt::white);
        painter.drawRoundedRect(QRectF(destinations[i]).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
        // The icon says the service: the column is narrow, the condition is what is left to say.
        const bool icon = drawServiceIcon(painter, destinations[i], m_destinations[i], font());
        painter.setPen(link);
        painter.drawText(destinations[i].adjusted(icon ? 8 + kIconSize + 5 : 8, 0, -8, 0),
                         Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
                         icon ? m_destinations[i].section(QStringLiteral(": "), 0, 0)
                              : m_destinations[i]);
    }
    const QStringList texts = triggerBoxes();
    for (int i = 0; i < texts.size(); ++i) {
        painter.setPen(QPen(border, 1));
        painter.setBrush(Qt::white);
        painter.drawRoundedRect(QRectF(triggers[i]).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
        const bool icon = drawServiceIcon(painter, triggers[i], texts[i], font());
        painter.setPen(link);
        const QRect textRect = triggers[i].adjusted(icon ? 8 + kIconSize + 5 : 8, 0, -8, 0);
        QString text = texts[i];
        // Too narrow for the kind's full name: its first word ("EventBridge"), and the count.
        if (fontMetrics().boundingRect(textRect, Qt::TextWordWrap, text).height() >
            textRect.height())
            text = text.section(QStringLiteral(" ("), 0, 0) +
                   (text.endsWith(QLatin1Char(')')) && text.count(QLatin1Char('(')) > 1
                        ? QLatin1Char(' ') + text.section(QLatin1Char(' '), -1)
                        : QString());
        painter.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap, text);
    }
    for (const auto &[rect, text] :
         {std::pair{triggers.back(), QStringLiteral("+ Add trigger")},
          std::pair{destinations.back(), QStringLiteral("+ Add destination")}}) {
        painter.setPen(QPen(border, 1, Qt::DashLine));
        painter.setBrush(Qt::white);
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
        painter.setPen(link);
        // Two lines ("+ Add" / "destination") when the page is narrow.
        painter.drawText(rect, Qt::AlignCenter | Qt::TextWordWrap, text);
    }
}

} // namespace lambdesk::app
