#include "models/versionmodel.h"

#include "format.h"

namespace lambdesk::app {

VersionModel::VersionModel(QObject *parent) : QAbstractTableModel(parent) {}

void VersionModel::setVersions(const std::vector<engine::FunctionInfo> &versions)
{
    beginResetModel();
    m_rows.clear();
    for (const engine::FunctionInfo &info : versions) {
        Row row;
        row.version = QString::fromStdString(info.version);
        row.description = QString::fromStdString(info.config.description);
        row.codeSha256 = QString::fromStdString(info.codeSha256);
        row.runtime = QString::fromStdString(info.config.runtime);
        row.arn = QString::fromStdString(info.functionArn);
        row.lastModifiedMs = info.lastModifiedMs;
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

int VersionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int VersionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant VersionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    const auto column = Column(index.column());
    if (role == Qt::ToolTipRole)
        return r.arn;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case Column::Version:
        // Numeric order for published versions, $LATEST on top.
        if (role == SortRole)
            return r.version == QLatin1String("$LATEST") ? -1 : r.version.toInt();
        return r.version;
    case Column::Description: return r.description.isEmpty() ? QStringLiteral("-") : r.description;
    case Column::CodeSha256: return r.codeSha256;
    case Column::Runtime: return r.runtime;
    case Column::LastModified:
        return role == SortRole ? QVariant(r.lastModifiedMs)
                                : QVariant(QStringLiteral("%1 (%2)").arg(relativeTime(r.lastModifiedMs),
                                                                         timestamp(r.lastModifiedMs)));
    case Column::Count: break;
    }
    return {};
}

QVariant VersionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Version: return QStringLiteral("Version");
    case Column::Description: return QStringLiteral("Description");
    case Column::CodeSha256: return QStringLiteral("Code SHA-256");
    case Column::Runtime: return QStringLiteral("Runtime");
    case Column::LastModified: return QStringLiteral("Last modified");
    case Column::Count: break;
    }
    return {};
}

} // namespace lambdesk::app
