#include "widgets/consoletable.h"

#include <QHeaderView>
#include <QStyledItemDelegate>
#include <QTableView>

#include <optional>

namespace lambdesk::app {
namespace {

// Rows are selected whole; a focus frame around one cell looks like an input the user could edit.
class RowDelegate : public QStyledItemDelegate {
public:
    explicit RowDelegate(QObject *parent, std::optional<Qt::TextElideMode> elide = std::nullopt)
        : QStyledItemDelegate(parent), m_elide(elide)
    {
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->state &= ~QStyle::State_HasFocus;
        if (m_elide)
            option->textElideMode = *m_elide;
    }

private:
    std::optional<Qt::TextElideMode> m_elide;
};

// Each column at least as wide as its title as the stylesheet draws it (bold, 8 px padding on each
// side) plus room for the sort arrow, so "Billed duration" never shows as "Billed durati".
void fitSectionsToTitles(QTableView *table)
{
    QHeaderView *header = table->horizontalHeader();
    QFont bold = header->font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    constexpr int kPaddingAndSortArrow = 16 + 16;
    for (int section = 0; section < header->count(); ++section) {
        const QString title = table->model()->headerData(section, Qt::Horizontal).toString();
        const int needed = metrics.horizontalAdvance(title) + kPaddingAndSortArrow;
        if (header->sectionSize(section) < needed)
            header->resizeSection(section, needed);
    }
}

} // namespace

QTableView *consoleTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setItemDelegate(new RowDelegate(table));
    table->setSortingEnabled(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideRight);
    table->verticalHeader()->hide();
    table->setShowGrid(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    fitSectionsToTitles(table);
    return table;
}

void elideArnColumn(QTableView *table, int column)
{
    table->setItemDelegateForColumn(column, new RowDelegate(table, Qt::ElideLeft));
}

} // namespace lambdesk::app
