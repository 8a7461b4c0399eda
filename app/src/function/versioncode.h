#pragma once
// Reading published code: a version's files read-only (View code), and what changed between two
// versions, $LATEST or the Code tab's draft (Compare). Both open beside the Versions tab.

#include "function/functioncontroller.h"

#include <QDialog>

class QComboBox;
class QLabel;

namespace lambdesk::editor {
class CodeDiffView;
class CodeWorkspace;
} // namespace lambdesk::editor

namespace lambdesk::app {

class VersionCodeDialog : public QDialog {
    Q_OBJECT
public:
    // version: the version as listed (its number, handler and runtime).
    VersionCodeDialog(SharedFunction function, const engine::FunctionInfo &version,
                      QWidget *parent = nullptr);
    editor::CodeWorkspace *workspace() const { return m_workspace; }

signals:
    void loaded();

private:
    QString m_handler;
    QString m_runtime;
    editor::CodeWorkspace *m_workspace;
    QLabel *m_error;
};

class CompareCodeDialog : public QDialog {
    Q_OBJECT
public:
    // versions: "$LATEST" and the published version numbers; both lists also offer the draft.
    CompareCodeDialog(SharedFunction function, const QStringList &versions,
                      const engine::CodeRevision &from, const engine::CodeRevision &to,
                      QWidget *parent = nullptr);
    editor::CodeDiffView *diffView() const { return m_view; }
    QComboBox *fromBox() const { return m_from; }
    QComboBox *toBox() const { return m_to; }

signals:
    void compared(); // the view shows the comparison the boxes name

private:
    void compare();
    SharedFunction m_controller;
    QComboBox *m_from;
    QComboBox *m_to;
    editor::CodeDiffView *m_view;
    QLabel *m_error;
    int m_generation = 0; // a slow answer for boxes since changed is dropped
};

} // namespace lambdesk::app
