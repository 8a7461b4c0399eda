#pragma once
// A read-only comparison of two sets of files: the changed files on the left, and the selected
// file whole on the right with the editor's syntax highlighting, removed lines on red and added
// lines on green, and each line's number in the earlier and the later file. The host computes
// the diff (the engine reads both sides from git); this only shows it.

#include <QList>
#include <QString>
#include <QWidget>

#include <memory>

namespace lambdesk::editor {

struct DiffLine {
    enum class Kind { Context, Added, Removed };
    Kind kind = Kind::Context;
    int oldLine = 0; // 1-based; 0 for an added line
    int newLine = 0; // 1-based; 0 for a removed line
    QString text;
};

struct FileDiff {
    enum class Change { Added, Deleted, Modified };
    QString path;
    Change change = Change::Modified;
    bool binary = false;
    bool modeChanged = false; // the executable bit changed
    int addedLines = 0;
    int removedLines = 0;
    QList<DiffLine> lines;
};

class CodeDiffView : public QWidget {
    Q_OBJECT
public:
    explicit CodeDiffView(QWidget *parent = nullptr);
    ~CodeDiffView() override;

    // Replaces the comparison and shows its first file (or says there is no difference).
    void setDiff(const QList<FileDiff> &files);
    bool showFile(const QString &path); // false if the path is not among the changed files
    QString currentFile() const;
    QStringList files() const;
    // Moves to the next (or previous) block of added or removed lines in the file, wrapping
    // around; Alt+Down and Alt+Up do the same. False when the file has no changed lines.
    bool goToChange(bool forward = true);
    int currentLine() const; // 1-based line of the view (not of either file)

    // What the view shows, for tests and screenshots: its text, and each line's kind.
    QString shownText() const;
    QList<DiffLine::Kind> shownKinds() const;
    // The gutter of a view line (1-based): "old new sign", e.g. "    2       -".
    QString shownMargin(int line) const;
    QString summary() const; // the caption over the file ("Modified · 1 added, 1 removed")

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::editor
