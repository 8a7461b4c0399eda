#pragma once
// The blueprint cards of Create function → Use a blueprint. Blueprints are embedded from the
// repository's blueprints/ folder (see app/CMakeLists.txt) and read from ":/blueprints".

#include "lambdesk/engine/blueprint.h"
#include "lambdesk/engine/types.h"
#include "models/keywordfilterproxy.h"

#include <QAbstractListModel>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <vector>

namespace lambdesk::app {

struct Blueprint {
    QString id; // folder name
    engine::BlueprintManifest manifest;
    std::vector<engine::CodeFile> files;

    QString text(const std::string engine::BlueprintManifest::*field) const
    {
        return QString::fromStdString(manifest.*field);
    }
};

// Reads every <root>/<folder>/blueprint.json with its code files; skips folders it cannot read.
std::vector<Blueprint> loadBlueprints(const QString &root = QStringLiteral(":/blueprints"));

class BlueprintModel : public QAbstractListModel {
    Q_OBJECT
public:
    // One column; the card delegate draws the fields from these roles.
    enum class Column { Card, Count };
    enum Role {
        NameRole = Qt::UserRole + 1,
        DescriptionRole,
        RuntimeRole,
        TagsRole,            // QStringList
        SearchTextRole,      // everything searchable, lower case
    };

    explicit BlueprintModel(QObject *parent = nullptr);
    void setBlueprints(std::vector<Blueprint> blueprints);
    const Blueprint &blueprint(int row) const { return m_blueprints.at(std::size_t(row)); }
    int rowOf(const QString &id) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

private:
    std::vector<Blueprint> m_blueprints;
};

// "Filter by tags and attributes or search by keyword": every term must match name,
// description, runtime or a tag.
class BlueprintFilterProxy : public KeywordFilterProxy {
    Q_OBJECT
public:
    using KeywordFilterProxy::KeywordFilterProxy;

protected:
    QString searchableText(int sourceRow, const QModelIndex &sourceParent) const override;
};

} // namespace lambdesk::app
