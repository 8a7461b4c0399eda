#include "widgets/blueprintcarddelegate.h"

#include "models/blueprintmodel.h"

#include <QPainter>
#include <QTextLayout>

namespace lambdesk::app {

void BlueprintCardDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;
    const QRectF card = QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5);
    painter->setPen(QPen(selected ? QColor(0x00, 0x73, 0xbb) : hovered ? QColor(0x54, 0x5b, 0x64) : QColor(0xaa, 0xb7, 0xb8),
                         selected ? 2.0 : 1.0));
    painter->setBrush(selected ? QColor(0xf1, 0xfa, 0xff) : QColor(Qt::white));
    painter->drawRoundedRect(card, 2, 2);

    const QRect inner = option.rect.adjusted(14, 10, -14, -10);
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(QColor(0x00, 0x73, 0xbb));
    const QFontMetrics boldMetrics(bold);
    painter->drawText(QRect(inner.left(), inner.top(), inner.width(), boldMetrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      boldMetrics.elidedText(index.data(BlueprintModel::NameRole).toString(), Qt::ElideRight, inner.width()));

    painter->setFont(option.font);
    const QFontMetrics metrics(option.font);
    painter->setPen(QColor(0x16, 0x19, 0x1f));
    const QRect descriptionRect(inner.left(), inner.top() + boldMetrics.height() + 4, inner.width(),
                                metrics.lineSpacing() * 2);
    painter->drawText(descriptionRect, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop,
                      index.data(BlueprintModel::DescriptionRole).toString());

    int y = descriptionRect.bottom() + 6;
    painter->setPen(QColor(0x68, 0x70, 0x78));
    painter->drawText(QRect(inner.left(), y, inner.width(), metrics.height()), Qt::AlignLeft,
                      QStringLiteral("Runtime: %1").arg(index.data(BlueprintModel::RuntimeRole).toString()));
    y += metrics.height() + 4;

    // Tag chips, as many as fit on one line.
    QFont small = option.font;
    small.setPointSizeF(option.font.pointSizeF() * 0.9);
    painter->setFont(small);
    const QFontMetrics smallMetrics(small);
    int x = inner.left();
    for (const QString &tag : index.data(BlueprintModel::TagsRole).toStringList()) {
        const int width = smallMetrics.horizontalAdvance(tag) + 12;
        if (x + width > inner.right())
            break;
        const QRect chip(x, y, width, smallMetrics.height() + 4);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xea, 0xed, 0xed));
        painter->drawRoundedRect(chip, 8, 8);
        painter->setPen(QColor(0x54, 0x5b, 0x64));
        painter->drawText(chip, Qt::AlignCenter, tag);
        x += width + 6;
    }
    painter->restore();
}

QSize BlueprintCardDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return {kCardWidth, kCardHeight};
}

} // namespace lambdesk::app
