#include "models/functionlistmodel.h"

#include "format.h"

#include <QBrush>
#include <QColor>
#include <algorithm>

namespace lambdesk::app {

FunctionListModel::FunctionListModel(QObject *parent) : QAbstractTableModel(parent) {}

void FunctionListModel::setFunctions(const std::vector<engine::FunctionInfo> &functions)
{
    std::vector<Row> rows;
    rows.reserve(functions.size());
    for (const engine::FunctionInfo &info : functions) {
        Row row;
        row.name = QString::fromStdString(info.config.name);
        row.description = QString::fromStdString(info.config.description);
        row.runtime = QString::fromStdString(info.config.runtime);
        row.arn = QString::fromStdString(info.functionArn);
        row.codeSize = info.codeSize;
        row.memoryMb = info.config.memorySizeMb;
        row.lastModifiedMs = info.lastModifiedMs;
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.name < b.name; });

    // Merge by name: remove rows that went away, update changed ones, insert new ones. Both
    // lists are sorted by name, so one pass keeps the view's selection and scroll position.
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < m_rows.size() || j < rows.size()) {
        if (j == rows.size() || (i < m_rows.size() && m_rows[i].name < rows[j].name)) {
            beginRemoveRows({}, int(i), int(i));
            m_rows.erase(m_rows.begin() + std::ptrdiff_t(i));
            endRemoveRows();
        } else if (i == m_rows.size() || rows[j].name < m_rows[i].name) {
            beginInsertRows({}, int(i), int(i));
            m_rows.insert(m_rows.begin() + std::ptrdiff_t(i), rows[j]);
            endInsertRows();
            ++i;
            ++j;
        } else {
            m_rows[i] = rows[j];
            emit dataChanged(index(int(i), 0), index(int(i), int(Column::Count) - 1));
            ++i;
            ++j;
        }
    }
}

void FunctionListModel::refreshRelativeTimes()
{
    if (m_rows.empty())
        return;
    const int column = int(Column::LastModified);
    emit dataChanged(index(0, column), index(int(m_rows.size()) - 1, column), {Qt::DisplayRole});
}

int FunctionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FunctionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant FunctionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    const auto column = Column(index.column());
    if (role == NameRole)
        return r.name;
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (column) {
        case Column::Name: return r.name;
        case Column::Description: return r.description.isEmpty() && !sort ? QStringLiteral("-") : r.description;
        case Column::PackageType: return QStringLiteral("Zip");
        case Column::Runtime: return r.runtime;
        case Column::CodeSize: return sort ? QVariant(r.codeSize) : QVariant(byteSize(r.codeSize));
        case Column::Memory: return sort ? QVariant(r.memoryMb) : QVariant(megabytes(r.memoryMb));
        case Column::LastModified:
            return sort ? QVariant(r.lastModifiedMs) : QVariant(relativeTime(r.lastModifiedMs));
        case Column::Count: break;
        }
    }
    if (role == Qt::ToolTipRole) {
        if (column == Column::LastModified)
            return timestamp(r.lastModifiedMs);
        if (column == Column::Name)
            return r.arn;
    }
    if (role == Qt::ForegroundRole && column == Column::Name)
        return QBrush(QColor(0x00, 0x73, 0xbb)); // a link, as in the console
    return {};
}

QVariant FunctionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Name: return QStringLiteral("Function name");
    case Column::Description: return QStringLiteral("Description");
    case Column::PackageType: return QStringLiteral("Package type");
    case Column::Runtime: return QStringLiteral("Runtime");
    case Column::CodeSize: return QStringLiteral("Code size");
    case Column::Memory: return QStringLiteral("Memory");
    case Column::LastModified: return QStringLiteral("Last modified");
    case Column::Count: break;
    }
    return {};
}

FunctionFilterProxy::FunctionFilterProxy(QObject *parent) : KeywordFilterProxy(parent)
{
    setSortRole(FunctionListModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

QString FunctionFilterProxy::searchableText(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    QStringList columns;
    for (int column = 0; column < model->columnCount(sourceParent); ++column)
        columns << model->index(sourceRow, column, sourceParent).data().toString();
    return columns.join(QLatin1Char(' '));
}

} // namespace lambdesk::app
