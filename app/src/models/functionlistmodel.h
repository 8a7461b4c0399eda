#pragma once
// The Functions table: one row per function, copied from Engine::listFunctions().

#include "lambdesk/engine/types.h"
#include "models/keywordfilterproxy.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <vector>

namespace lambdesk::app {

class FunctionListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Name, Description, PackageType, Runtime, CodeSize, Memory, LastModified, Count };
    // Raw value for sorting (bytes, MB, epoch ms) where the display text would sort wrongly.
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int NameRole = Qt::UserRole + 2;

    struct Row {
        QString name;
        QString description;
        QString runtime;
        QString arn;
        qint64 codeSize = 0;
        int memoryMb = 0;
        qint64 lastModifiedMs = 0;
    };

    explicit FunctionListModel(QObject *parent = nullptr);

    // Replaces the rows, keeping rows that did not change so selections survive a refresh.
    void setFunctions(const std::vector<engine::FunctionInfo> &functions);
    const Row &row(int index) const { return m_rows.at(std::size_t(index)); }
    // Re-renders "3 minutes ago" as time passes.
    void refreshRelativeTimes();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<Row> m_rows;
};

// Keyword search over every column, sorted by SortRole.
class FunctionFilterProxy : public KeywordFilterProxy {
    Q_OBJECT
public:
    explicit FunctionFilterProxy(QObject *parent = nullptr);

protected:
    QString searchableText(int sourceRow, const QModelIndex &sourceParent) const override;
};

} // namespace lambdesk::app
