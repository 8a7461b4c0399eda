#include "filetreemodel.h"

#include <QApplication>
#include <QStyle>

#include <algorithm>

namespace lambdesk::editor::detail {
namespace {

bool comesBefore(bool aFolder, const QString &aName, bool bFolder, const QString &bName)
{
    if (aFolder != bFolder)
        return aFolder;
    const int byName = QString::compare(aName, bName, Qt::CaseInsensitive);
    return byName != 0 ? byName < 0 : aName < bName;
}

} // namespace

FileTreeModel::FileTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
    m_root->folder = true;
}

FileTreeModel::~FileTreeModel() = default;

void FileTreeModel::setRootName(const QString &name)
{
    if (name == m_rootName)
        return;
    // Collect first: top() depends on m_rootName.
    QStringList files;
    QStringList folders;
    collect(top(), QString(), files, folders);
    m_rootName = name;
    beginResetModel();
    rebuild(files, folders);
    endResetModel();
}

void FileTreeModel::reset(const QStringList &filePaths)
{
    beginResetModel();
    rebuild(filePaths, {});
    endResetModel();
}

void FileTreeModel::rebuild(const QStringList &files, const QStringList &folders)
{
    m_root = std::make_unique<Node>();
    m_root->folder = true;
    if (!m_rootName.isEmpty()) {
        auto node = std::make_unique<Node>();
        node->name = m_rootName;
        node->folder = true;
        node->parent = m_root.get();
        m_root->children.push_back(std::move(node));
    }
    for (const QString &folder : folders)
        ensureFolder(folder, false);
    for (const QString &path : files) {
        const int slash = path.lastIndexOf(QLatin1Char('/'));
        Node *parent = slash < 0 ? top() : ensureFolder(path.left(slash), false);
        auto node = std::make_unique<Node>();
        node->name = path.mid(slash + 1);
        node->parent = parent;
        parent->children.push_back(std::move(node));
    }
    sortRecursively(m_root.get());
}

void FileTreeModel::collect(const Node *node, const QString &prefix, QStringList &files,
                            QStringList &folders)
{
    for (const auto &child : node->children) {
        const QString path = prefix + child->name;
        if (child->folder) {
            folders.append(path);
            collect(child.get(), path + QLatin1Char('/'), files, folders);
        } else {
            files.append(path);
        }
    }
}

QModelIndex FileTreeModel::addFile(const QString &path)
{
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    Node *parent = slash < 0 ? top() : ensureFolder(path.left(slash), true);
    auto node = std::make_unique<Node>();
    node->name = path.mid(slash + 1);
    return insert(parent, std::move(node), true);
}

QModelIndex FileTreeModel::addFolder(const QString &path)
{
    return indexOf(ensureFolder(path, true));
}

void FileTreeModel::removePath(const QString &path)
{
    Node *node = find(path);
    if (node && node != top())
        take(node);
}

QModelIndex FileTreeModel::renamePath(const QString &from, const QString &to)
{
    Node *node = find(from);
    if (!node || node == top())
        return {};
    std::unique_ptr<Node> taken = take(node);
    const int slash = to.lastIndexOf(QLatin1Char('/'));
    taken->name = to.mid(slash + 1);
    Node *parent = slash < 0 ? top() : ensureFolder(to.left(slash), true);
    return insert(parent, std::move(taken), true);
}

bool FileTreeModel::contains(const QString &path) const
{
    return find(path) != nullptr;
}

bool FileTreeModel::isFolderPath(const QString &path) const
{
    const Node *node = find(path);
    return node && node->folder;
}

QModelIndex FileTreeModel::indexForPath(const QString &path) const
{
    const Node *node = find(path);
    return node ? indexOf(node) : QModelIndex();
}

QString FileTreeModel::pathForIndex(const QModelIndex &index) const
{
    QStringList parts;
    for (const Node *node = nodeFor(index); node && node != top() && node != m_root.get();
         node = node->parent)
        parts.prepend(node->name);
    return parts.join(QLatin1Char('/'));
}

bool FileTreeModel::isFolder(const QModelIndex &index) const
{
    const Node *node = nodeFor(index);
    return node && node->folder;
}

QModelIndex FileTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const Node *parentNode = parent.isValid() ? nodeFor(parent) : m_root.get();
    return createIndex(row, column, parentNode->children[size_t(row)].get());
}

QModelIndex FileTreeModel::parent(const QModelIndex &child) const
{
    const Node *node = nodeFor(child);
    if (!node || node->parent == m_root.get())
        return {};
    return indexOf(node->parent);
}

int FileTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    const Node *node = parent.isValid() ? nodeFor(parent) : m_root.get();
    return int(node->children.size());
}

int FileTreeModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant FileTreeModel::data(const QModelIndex &index, int role) const
{
    const Node *node = nodeFor(index);
    if (!node)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: return role == Qt::DisplayRole ? node->name : pathForIndex(index);
    case Qt::DecorationRole:
        return QApplication::style()->standardIcon(node->folder ? QStyle::SP_DirIcon
                                                                : QStyle::SP_FileIcon);
    case PathRole: return pathForIndex(index);
    case IsFolderRole: return node->folder;
    default: return {};
    }
}

FileTreeModel::Node *FileTreeModel::top() const
{
    return m_rootName.isEmpty() ? m_root.get() : m_root->children.front().get();
}

FileTreeModel::Node *FileTreeModel::find(const QString &path) const
{
    Node *node = top();
    if (path.isEmpty())
        return node;
    for (const QString &part : path.split(QLatin1Char('/'))) {
        const auto it = std::find_if(node->children.begin(), node->children.end(),
                                     [&](const auto &child) { return child->name == part; });
        if (it == node->children.end())
            return nullptr;
        node = it->get();
    }
    return node;
}

FileTreeModel::Node *FileTreeModel::nodeFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : nullptr;
}

QModelIndex FileTreeModel::indexOf(const Node *node) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(rowOf(node), 0, const_cast<Node *>(node));
}

int FileTreeModel::rowOf(const Node *node) const
{
    const auto &siblings = node->parent->children;
    const auto it = std::find_if(siblings.begin(), siblings.end(),
                                 [node](const auto &child) { return child.get() == node; });
    return int(it - siblings.begin());
}

FileTreeModel::Node *FileTreeModel::ensureFolder(const QString &path, bool notify)
{
    Node *node = top();
    for (const QString &part : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        const auto it = std::find_if(node->children.begin(), node->children.end(),
                                     [&](const auto &child) { return child->name == part; });
        if (it != node->children.end()) {
            node = it->get();
            continue;
        }
        auto folder = std::make_unique<Node>();
        folder->name = part;
        folder->folder = true;
        Node *created = folder.get();
        if (notify) {
            insert(node, std::move(folder), true);
        } else {
            folder->parent = node;
            node->children.push_back(std::move(folder));
        }
        node = created;
    }
    return node;
}

QModelIndex FileTreeModel::insert(Node *parent, std::unique_ptr<Node> node, bool notify)
{
    const int row = insertionRow(parent, node.get());
    node->parent = parent;
    Node *raw = node.get();
    if (notify)
        beginInsertRows(indexOf(parent), row, row);
    parent->children.insert(parent->children.begin() + row, std::move(node));
    if (notify)
        endInsertRows();
    return indexOf(raw);
}

std::unique_ptr<FileTreeModel::Node> FileTreeModel::take(Node *node)
{
    Node *parent = node->parent;
    const int row = rowOf(node);
    beginRemoveRows(indexOf(parent), row, row);
    std::unique_ptr<Node> taken = std::move(parent->children[size_t(row)]);
    parent->children.erase(parent->children.begin() + row);
    endRemoveRows();
    taken->parent = nullptr;
    return taken;
}

int FileTreeModel::insertionRow(const Node *parent, const Node *node)
{
    const auto it = std::find_if(parent->children.begin(), parent->children.end(),
                                 [node](const auto &child) {
                                     return comesBefore(node->folder, node->name, child->folder,
                                                        child->name);
                                 });
    return int(it - parent->children.begin());
}

void FileTreeModel::sortRecursively(Node *node)
{
    std::sort(node->children.begin(), node->children.end(), [](const auto &a, const auto &b) {
        return comesBefore(a->folder, a->name, b->folder, b->name);
    });
    for (const auto &child : node->children)
        sortRecursively(child.get());
}

} // namespace lambdesk::editor::detail
