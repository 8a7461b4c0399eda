#pragma once
// CodeDocument's private state, shared with CodeView (a friend) so views can attach to the same
// Scintilla document.

#include "lambdesk/editor/codedocument.h"

#include <Qsci/qsciscintilla.h>

#include <memory>

namespace lambdesk::editor {

struct CodeDocument::Impl {
    // A never-shown editor that owns the Scintilla document. Views attach to its document, so the
    // text lives here even while no view exists, and every view sees every edit.
    std::unique_ptr<QsciScintilla> host;
    Language language = Language::PlainText;
    QString fileName;
    QString savedText;        // baseline for isModified()
    qsizetype savedLength = 0; // savedText's UTF-8 length, comparable with the host's byte length
    bool loading = false;     // setText in progress: its intermediate states are not edits
    bool modified = false;
    bool windowsLineEnds = false; // new lines typed in a view follow the file's existing style
};

} // namespace lambdesk::editor
