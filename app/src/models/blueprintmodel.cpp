#include "models/blueprintmodel.h"

#include <QDir>
#include <QFile>

namespace lambdesk::app {
namespace {

std::optional<Blueprint> readBlueprint(const QDir &dir)
{
    QFile manifestFile(dir.filePath(QStringLiteral("blueprint.json")));
    if (!manifestFile.open(QIODevice::ReadOnly))
        return std::nullopt;
    auto manifest = engine::parseBlueprintManifest(manifestFile.readAll().toStdString());
    if (!manifest) {
        qWarning("blueprint %s skipped: %s", qPrintable(dir.dirName()),
                 manifest.error().message.c_str());
        return std::nullopt;
    }
    Blueprint blueprint;
    blueprint.id = dir.dirName();
    QStringList executables{QStringLiteral("bootstrap")};
    for (const std::string &name : manifest->executables)
        executables << QString::fromStdString(name);
    blueprint.manifest = std::move(*manifest);

    const QStringList names = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &name : names) {
        if (name == QLatin1String("blueprint.json"))
            continue;
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        engine::CodeFile code;
        code.path = name.toStdString();
        code.content = file.readAll().toStdString();
        code.executable = executables.contains(name);
        blueprint.files.push_back(std::move(code));
    }
    return blueprint;
}

QStringList tagList(const engine::BlueprintManifest &manifest)
{
    QStringList tags;
    for (const std::string &tag : manifest.tags)
        tags << QString::fromStdString(tag);
    return tags;
}

} // namespace

std::vector<Blueprint> loadBlueprints(const QString &root)
{
    std::vector<Blueprint> blueprints;
    const QDir rootDir(root);
    for (const QString &folder : rootDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (auto blueprint = readBlueprint(QDir(rootDir.filePath(folder))))
            blueprints.push_back(std::move(*blueprint));
    }
    return blueprints;
}

BlueprintModel::BlueprintModel(QObject *parent) : QAbstractListModel(parent) {}

void BlueprintModel::setBlueprints(std::vector<Blueprint> blueprints)
{
    beginResetModel();
    m_blueprints = std::move(blueprints);
    endResetModel();
}

int BlueprintModel::rowOf(const QString &id) const
{
    for (std::size_t i = 0; i < m_blueprints.size(); ++i) {
        if (m_blueprints[i].id == id ||
            m_blueprints[i].text(&engine::BlueprintManifest::name) == id)
            return int(i);
    }
    return -1;
}

int BlueprintModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_blueprints.size());
}

QVariant BlueprintModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Blueprint &b = m_blueprints[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return b.text(&engine::BlueprintManifest::name);
    case Qt::ToolTipRole:
    case DescriptionRole:
        return b.text(&engine::BlueprintManifest::description);
    case RuntimeRole:
        return b.text(&engine::BlueprintManifest::runtime);
    case TagsRole:
        return tagList(b.manifest);
    case SearchTextRole:
        return QStringList{b.text(&engine::BlueprintManifest::name),
                           b.text(&engine::BlueprintManifest::description),
                           b.text(&engine::BlueprintManifest::runtime),
                           tagList(b.manifest).join(QLatin1Char(' ')),
                           b.text(&engine::BlueprintManifest::triggerService)}
            .join(QLatin1Char(' '))
            .toLower();
    default: return {};
    }
}

QString BlueprintFilterProxy::searchableText(int sourceRow, const QModelIndex &sourceParent) const
{
    return sourceModel()
        ->index(sourceRow, 0, sourceParent)
        .data(BlueprintModel::SearchTextRole)
        .toString();
}

} // namespace lambdesk::app
