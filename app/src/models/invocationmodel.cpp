#include "models/invocationmodel.h"

#include "format.h"

#include <QBrush>
#include <QColor>

namespace lambdesk::app {

namespace {

QString sourceLabel(const std::string &source)
{
    if (source == engine::kInvocationSourceFunctionUrl)
        return QStringLiteral("Function URL");
    if (source == engine::kInvocationSourceSchedule)
        return QStringLiteral("Schedule");
    if (source == engine::kInvocationSourceFolder)
        return QStringLiteral("Folder");
    if (source == engine::kInvocationSourceQueue)
        return QStringLiteral("Queue");
    if (source == engine::kInvocationSourceAsyncRetry)
        return QStringLiteral("Async retry");
    if (source == engine::kInvocationSourceDestination)
        return QStringLiteral("Destination");
    return QStringLiteral("Invoke");
}

} // namespace

InvocationModel::InvocationModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(capacity)
{
}

InvocationModel::Row InvocationModel::toRow(const engine::InvocationRecord &record)
{
    Row row;
    row.requestId = QString::fromStdString(record.requestId);
    row.startTimeMs = record.startTimeMs;
    row.durationMs = record.durationMs;
    row.billedDurationMs = record.billedDurationMs;
    row.memorySizeMb = record.memorySizeMb;
    row.maxMemoryUsedMb = record.maxMemoryUsedMb;
    row.initDurationMs = record.initDurationMs;
    row.restored = record.restored;
    row.status = record.status;
    row.errorType = QString::fromStdString(record.errorType);
    row.sandbox = QString::fromStdString(record.sandbox);
    row.source = sourceLabel(record.source);
    row.log = QString::fromStdString(record.log);
    return row;
}

void InvocationModel::setRecords(const std::vector<engine::InvocationRecord> &records)
{
    beginResetModel();
    m_rows.clear();
    const std::size_t first = records.size() > std::size_t(m_capacity) ? records.size() - std::size_t(m_capacity) : 0;
    for (std::size_t i = first; i < records.size(); ++i)
        m_rows.push_front(toRow(records[i]));
    endResetModel();
}

void InvocationModel::addRecord(const engine::InvocationRecord &record)
{
    if (int(m_rows.size()) >= m_capacity) {
        const int last = int(m_rows.size()) - 1;
        beginRemoveRows({}, last, last);
        m_rows.pop_back();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_rows.push_front(toRow(record));
    endInsertRows();
}

int InvocationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int InvocationModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QString InvocationModel::statusText(engine::InvocationStatus status)
{
    switch (status) {
    case engine::InvocationStatus::Succeeded: return QStringLiteral("Succeeded");
    case engine::InvocationStatus::FunctionError: return QStringLiteral("Error");
    case engine::InvocationStatus::TimedOut: return QStringLiteral("Timed out");
    case engine::InvocationStatus::Throttled: return QStringLiteral("Throttled");
    }
    return {};
}

QVariant InvocationModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    const auto column = Column(index.column());
    if (role == LogRole)
        return r.log;
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (column) {
        case Column::Timestamp: return sort ? QVariant(r.startTimeMs) : QVariant(timestamp(r.startTimeMs));
        case Column::RequestId: return r.requestId;
        case Column::Status:
            return r.errorType.isEmpty() || sort ? statusText(r.status)
                                                 : QStringLiteral("%1 (%2)").arg(statusText(r.status), r.errorType);
        case Column::Duration: return sort ? QVariant(r.durationMs) : QVariant(milliseconds(r.durationMs));
        case Column::BilledDuration:
            return sort ? QVariant(r.billedDurationMs) : QVariant(QStringLiteral("%1 ms").arg(r.billedDurationMs));
        case Column::MemorySize: return sort ? QVariant(r.memorySizeMb) : QVariant(megabytes(r.memorySizeMb));
        case Column::MaxMemoryUsed:
            return sort ? QVariant(r.maxMemoryUsedMb) : QVariant(megabytes(r.maxMemoryUsedMb));
        case Column::InitDuration:
            if (sort)
                return r.initDurationMs;
            if (r.initDurationMs <= 0)
                return QStringLiteral("-");
            return r.restored ? QStringLiteral("%1 (restore)").arg(milliseconds(r.initDurationMs))
                              : milliseconds(r.initDurationMs);
        case Column::Sandbox: return r.sandbox;
        case Column::Source:
            return r.source;
        case Column::Count: break;
        }
    }
    if (role == Qt::ForegroundRole && column == Column::Status &&
        r.status != engine::InvocationStatus::Succeeded)
        return QBrush(QColor(0xd1, 0x32, 0x12));
    return {};
}

QVariant InvocationModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Timestamp: return QStringLiteral("Timestamp");
    case Column::RequestId: return QStringLiteral("Request ID");
    case Column::Status: return QStringLiteral("Status");
    case Column::Duration: return QStringLiteral("Duration");
    case Column::BilledDuration: return QStringLiteral("Billed duration");
    case Column::MemorySize: return QStringLiteral("Memory size");
    case Column::MaxMemoryUsed: return QStringLiteral("Max memory used");
    case Column::InitDuration: return QStringLiteral("Init duration");
    case Column::Sandbox: return QStringLiteral("Sandbox");
    case Column::Source:
        return QStringLiteral("Source");
    case Column::Count: break;
    }
    return {};
}

} // namespace lambdesk::app
