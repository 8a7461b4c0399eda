#pragma once
// The Code tab's editing area: an "Environment" file tree on the left and one editor tab per
// open file, over an in-memory copy of a function's files. It never touches disk or the engine:
// the host loads files with setFiles(), reads them back with files() to save or deploy, and calls
// markAllSaved() once they are safe. GUI thread only.

#include "lambdesk/editor/codedocument.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QWidget>

#include <memory>

namespace lambdesk::editor {

class CodeDocument;
class CodeView;

struct EditorFile {
    QString path;          // relative, '/'-separated: "lambda_function.py", "lib/util.py"
    QByteArray content;
    bool executable = false;
};

class CodeWorkspace : public QWidget {
    Q_OBJECT
public:
    explicit CodeWorkspace(QWidget *parent = nullptr);
    ~CodeWorkspace() override;

    // Replaces everything: closes all tabs, loads the tree, opens nothing. All files unmodified.
    void setFiles(const QList<EditorFile> &files);
    // Every file (opened or not, new, renamed) with its current content, sorted by path. Files
    // that are not valid UTF-8 text are returned byte for byte and cannot be edited.
    QList<EditorFile> files() const;
    // True if any file was edited, created, renamed or deleted since setFiles/markAllSaved.
    bool isModified() const;
    void markAllSaved();

    bool openFile(const QString &path);  // opens or focuses its tab; false if no such file
    CodeView *currentView() const;       // nullptr when no tab is open; owned by the workspace
    QString currentFile() const;         // "" when no tab is open
    // The document behind path (created on first use), for extra views such as a diff; owned by
    // the workspace and deleted when the file is deleted or setFiles() runs. nullptr if unknown.
    CodeDocument *document(const QString &path);

    // Read-only: every view refuses edits, the tree offers no menu, and the file actions
    // (createFile and the rest) fail with "This code is read-only.".
    void setReadOnly(bool readOnly);
    bool isReadOnly() const;

    // Problems the host found in files (a failed build's compiler errors), by path: shown in the
    // file's views, now and when it is opened later. Replaces the previous set; {} clears it.
    void setDiagnostics(const QHash<QString, QList<Diagnostic>> &byPath);

    // The runtime ("python3.12", "nodejs20.x", or just "python"/"node") picks new files' names.
    void setLanguageHint(const QString &runtime);
    // Shows one top folder with this name (the function's) holding all files, as Cloud9 does.
    void setRootName(const QString &name);

    // The tree's context menu actions, also usable directly. On failure they return false and,
    // if error is given, say why ("'app.py' already exists").
    bool createFile(const QString &path, const QByteArray &content = {}, QString *error = nullptr);
    bool createFolder(const QString &path, QString *error = nullptr);
    bool renamePath(const QString &from, const QString &to, QString *error = nullptr);
    bool removePath(const QString &path, QString *error = nullptr);

signals:
    void modifiedChanged(bool modified);
    void currentFileChanged(const QString &path);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::editor
