#include "models/keyvaluemodel.h"

#include <QBrush>
#include <QColor>

namespace lambdesk::app {

KeyValueModel::KeyValueModel(QObject *parent) : QAbstractTableModel(parent) {}

void KeyValueModel::setKeyValidator(KeyValidator validator)
{
    m_validator = std::move(validator);
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, int(Column::Count) - 1));
}

void KeyValueModel::setHeaders(const QString &key, const QString &value)
{
    m_keyHeader = key;
    m_valueHeader = value;
    emit headerDataChanged(Qt::Horizontal, 0, int(Column::Count) - 1);
}

void KeyValueModel::setPairs(const std::map<std::string, std::string> &pairs)
{
    beginResetModel();
    m_rows.clear();
    for (const auto &[key, value] : pairs)
        m_rows.push_back({QString::fromStdString(key), QString::fromStdString(value)});
    endResetModel();
}

std::map<std::string, std::string> KeyValueModel::pairs() const
{
    std::map<std::string, std::string> result;
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (problemAt(i).isEmpty())
            result[m_rows[std::size_t(i)].key.toStdString()] = m_rows[std::size_t(i)].value.toStdString();
    }
    return result;
}

int KeyValueModel::addRow(const QString &key, const QString &value)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back({key, value});
    endInsertRows();
    emit edited();
    return row;
}

void KeyValueModel::removeRowAt(int row)
{
    if (row < 0 || row >= int(m_rows.size()))
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    // A removed duplicate can make another row valid again.
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, int(Column::Count) - 1));
    emit edited();
}

QString KeyValueModel::problemAt(int row) const
{
    const QString &key = m_rows.at(std::size_t(row)).key;
    if (key.isEmpty())
        return QStringLiteral("The key must not be empty.");
    if (m_validator) {
        const QString problem = m_validator(key);
        if (!problem.isEmpty())
            return problem;
    }
    for (int i = 0; i < row; ++i) {
        if (m_rows[std::size_t(i)].key == key)
            return QStringLiteral("Duplicate key '%1'.").arg(key);
    }
    return {};
}

QStringList KeyValueModel::problems() const
{
    QStringList result;
    for (int i = 0; i < int(m_rows.size()); ++i) {
        const QString problem = problemAt(i);
        if (!problem.isEmpty())
            result << QStringLiteral("Row %1: %2").arg(i + 1).arg(problem);
    }
    return result;
}

int KeyValueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KeyValueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant KeyValueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    const bool keyColumn = Column(index.column()) == Column::Key;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: return keyColumn ? r.key : r.value;
    case Qt::ToolTipRole: return keyColumn ? problemAt(index.row()) : QVariant();
    case Qt::ForegroundRole:
        return keyColumn && !problemAt(index.row()).isEmpty() ? QVariant(QBrush(QColor(0xd1, 0x32, 0x12)))
                                                              : QVariant();
    case Qt::BackgroundRole:
        return keyColumn && !problemAt(index.row()).isEmpty() ? QVariant(QBrush(QColor(0xfd, 0xf3, 0xf1)))
                                                              : QVariant();
    default: return {};
    }
}

bool KeyValueModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Row &r = m_rows[std::size_t(index.row())];
    QString &target = Column(index.column()) == Column::Key ? r.key : r.value;
    const QString text = Column(index.column()) == Column::Key ? value.toString().trimmed() : value.toString();
    if (target == text)
        return true;
    target = text;
    // A key edit can change whether other rows are duplicates: refresh every row's key cell.
    emit dataChanged(this->index(0, 0), this->index(int(m_rows.size()) - 1, int(Column::Count) - 1));
    emit edited();
    return true;
}

Qt::ItemFlags KeyValueModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

QVariant KeyValueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return Column(section) == Column::Key ? m_keyHeader : m_valueHeader;
}

} // namespace lambdesk::app
