#pragma once
// The light, Cloud9-like look shared by every code view: font, lexer colours, margins.

#include "lambdesk/editor/codedocument.h"

#include <QColor>
#include <QFont>

class QObject;
class QsciLexer;
class QsciScintilla;

namespace lambdesk::editor::detail {

// Margin, marker and indicator numbers used by CodeView. Lexers own indicators 0-7.
inline constexpr int kDiagnosticMargin = 0;
inline constexpr int kLineNumberMargin = 1;
inline constexpr int kFoldMargin = 2;
inline constexpr int kDiagnosticMarker = 8;
inline constexpr int kDiagnosticLineMarker = 9;
inline constexpr int kDiagnosticIndicator = 9;
inline constexpr int kFindIndicator = 10;
// The diff view's margins and line markers.
inline constexpr int kDiffGutterMargin = 0;
inline constexpr int kDiffAddedMarker = 11;
inline constexpr int kDiffRemovedMarker = 12;

QFont editorFont();
int indentWidth(Language language); // 2 for JavaScript, JSON and YAML, else 4

// A lexer coloured with the theme, owned by parent; nullptr for plain text.
QsciLexer *createLexer(Language language, QObject *parent);
// Gives the editor a lexer for language in place of current (deleted once the editor no longer
// uses it) and themes it again, since setLexer resets margin fonts and some colours. Returns
// the new lexer, nullptr for plain text.
QsciLexer *replaceLexer(QsciScintilla *editor, Language language, QsciLexer *current);

// Everything that does not depend on the language: margins, caret line, selection, braces,
// folding arrows, diagnostic marker and indicator styles. Call again after setLexer(), which
// resets some of these.
void applyEditorTheme(QsciScintilla *editor);

// The theme for a read-only diff: old and new line numbers and a +/- column in a text margin,
// green and red line backgrounds, no folding. Call after applyEditorTheme(). The margin's text
// takes the line numbers' style (STYLE_LINENUMBER).
void applyDiffTheme(QsciScintilla *editor);

// Style number of the annotation that shows a diagnostic's message under its line.
int diagnosticAnnotationStyle(QsciScintilla *editor);

} // namespace lambdesk::editor::detail
