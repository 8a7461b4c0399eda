#pragma once
// Versions tab: $LATEST and every published version, from Engine::listVersions().

#include "lambdesk/engine/types.h"

#include <QAbstractTableModel>
#include <vector>

namespace lambdesk::app {

class VersionModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Version, Description, CodeSha256, Runtime, LastModified, Count };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit VersionModel(QObject *parent = nullptr);
    void setVersions(const std::vector<engine::FunctionInfo> &versions);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        QString version;
        QString description;
        QString codeSha256;
        QString runtime;
        QString arn;
        qint64 lastModifiedMs = 0;
    };
    std::vector<Row> m_rows;
};

} // namespace lambdesk::app
