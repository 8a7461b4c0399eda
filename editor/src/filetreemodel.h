#pragma once
// The workspace's file tree: folders first, then files, each sorted by name. Paths are relative
// and '/'-separated ("src/app.py"). Holds names only; file contents live in CodeWorkspace.

#include <QAbstractItemModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace lambdesk::editor::detail {

class FileTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role { PathRole = Qt::UserRole + 1, IsFolderRole };

    explicit FileTreeModel(QObject *parent = nullptr);
    ~FileTreeModel() override;

    // With a name set, one top folder of that name (path "") holds everything, like Cloud9's
    // environment root. Empty name: files sit at the top level.
    void setRootName(const QString &name);
    void reset(const QStringList &filePaths);
    QModelIndex addFile(const QString &path);   // creates missing parent folders
    QModelIndex addFolder(const QString &path); // and its missing parents
    void removePath(const QString &path);       // a folder goes with everything under it
    QModelIndex renamePath(const QString &from, const QString &to);

    bool contains(const QString &path) const;
    bool isFolderPath(const QString &path) const;
    QModelIndex indexForPath(const QString &path) const;
    QString pathForIndex(const QModelIndex &index) const;
    bool isFolder(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    struct Node {
        QString name;
        bool folder = false;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
    };

    void rebuild(const QStringList &files, const QStringList &folders);
    static void collect(const Node *node, const QString &prefix, QStringList &files,
                        QStringList &folders);
    Node *top() const; // the node whose children are the top-level entries
    Node *find(const QString &path) const;
    Node *nodeFor(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node) const;
    int rowOf(const Node *node) const;
    Node *ensureFolder(const QString &path, bool notify);
    QModelIndex insert(Node *parent, std::unique_ptr<Node> node, bool notify);
    std::unique_ptr<Node> take(Node *node);
    static int insertionRow(const Node *parent, const Node *node);
    static void sortRecursively(Node *node);

    std::unique_ptr<Node> m_root;
    QString m_rootName;
};

} // namespace lambdesk::editor::detail
