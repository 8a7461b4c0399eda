#pragma once
// CodeWorkspace's private state, shared by codeworkspace.cpp (files and tabs) and
// workspacetree.cpp (layout, tree menu and dialogs).

#include "lambdesk/editor/codedocument.h"
#include "lambdesk/editor/codeworkspace.h"

#include <QHash>
#include <QSet>

#include <map>

class QLabel;
class QPoint;
class QStackedWidget;
class QTabWidget;
class QTreeView;

namespace lambdesk::editor {

namespace detail {
class FileTreeModel;

// Why path cannot name a file or folder ("" if it can): relative, '/'-separated, no "." or "..".
QString pathError(const QString &path);
// Content the editor must not round-trip through QString: NUL bytes or invalid UTF-8.
bool isBinary(const QByteArray &content);
QString languageName(Language language);
} // namespace detail

struct FileEntry {
    QByteArray content;               // as loaded, created or last saved; exact for binary files
    bool executable = false;
    bool binary = false;
    bool createdSinceSave = false;
    CodeDocument *document = nullptr; // made on first open; a child of the workspace
};

struct CodeWorkspace::Impl {
    CodeWorkspace *q = nullptr;
    std::map<QString, FileEntry> entries; // sorted, so files() comes out in path order
    QSet<QString> savedPaths;             // the file set at the last setFiles/markAllSaved
    QHash<QString, QList<Diagnostic>> diagnostics; // by path, shown in each view of the file
    QString languageHint;                 // "python", "node" or ""
    bool lastModified = false;
    bool readOnly = false; // a published version: look, never change

    detail::FileTreeModel *model = nullptr;
    QTreeView *tree = nullptr;
    QTabWidget *tabs = nullptr;
    QStackedWidget *stack = nullptr;      // the tabs, or a hint when none is open
    QLabel *status = nullptr;

    // workspacetree.cpp
    void buildUi();
    void showContextMenu(const QPoint &position);
    void promptNewFile(const QString &folder);
    void promptNewFolder(const QString &folder);
    void promptRename(const QString &path);
    void promptDelete(const QString &path);
    void revealInTree(const QString &path);
    QString defaultNewFileName() const;

    // codeworkspace.cpp
    CodeDocument *ensureDocument(const QString &path);
    CodeView *viewAt(int index) const;
    int tabForPath(const QString &path) const;
    void closeTab(int index);
    void updateTab(const QString &path);
    bool isEntryModified(const QString &path, const FileEntry &entry) const;
    void updateModified();
    void updateStatus();
    void onCurrentTabChanged();
};

} // namespace lambdesk::editor
