#pragma once
// Draws a blueprint as a console card: name, one-line description, runtime and tag chips.

#include <QStyledItemDelegate>

namespace lambdesk::app {

class BlueprintCardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static constexpr int kCardWidth = 300;
    static constexpr int kCardHeight = 118;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace lambdesk::app
