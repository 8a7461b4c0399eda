#include "editortheme.h"

#include <Qsci/qscilexerbash.h>
#include <Qsci/qscilexercpp.h>
#include <Qsci/qscilexerjava.h>
#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerjson.h>
#include <Qsci/qscilexermarkdown.h>
#include <Qsci/qscilexerpython.h>
#include <Qsci/qscilexerruby.h>
#include <Qsci/qscilexeryaml.h>
#include <Qsci/qsciscintilla.h>

#include <initializer_list>
#include <utility>

namespace lambdesk::editor::detail {
namespace {

// A light palette in the spirit of the Lambda console's editor.
enum class Role { Text, Comment, Keyword, String, Number, Definition, Builtin, Decorator,
                  Property, Error };

QColor colorFor(Role role)
{
    switch (role) {
    case Role::Text: return QColor(0x24, 0x29, 0x2f);
    case Role::Comment: return QColor(0x6e, 0x77, 0x81);
    case Role::Keyword: return QColor(0xcf, 0x22, 0x2e);
    case Role::String: return QColor(0x0a, 0x30, 0x69);
    case Role::Number: return QColor(0x05, 0x50, 0xae);
    case Role::Definition: return QColor(0x82, 0x50, 0xdf);
    case Role::Builtin: return QColor(0x05, 0x50, 0xae);
    case Role::Decorator: return QColor(0x95, 0x38, 0x00);
    case Role::Property: return QColor(0x11, 0x63, 0x29);
    case Role::Error: return QColor(0xcf, 0x22, 0x2e);
    }
    return {};
}

const QColor kPaper(0xff, 0xff, 0xff);
const QColor kGutter(0xf2, 0xf3, 0xf3);
const QColor kGutterText(0x8d, 0x99, 0xa8);
const QColor kCaretLine(0xee, 0xf3, 0xf9);
const QColor kSelection(0xb6, 0xd6, 0xfd);
const QColor kErrorPaper(0xff, 0xeb, 0xe9);

using StyleRoles = std::initializer_list<std::pair<int, Role>>;

// Python with builtins and self/cls highlighted, as Cloud9 does.
class PythonLexer : public QsciLexerPython {
public:
    using QsciLexerPython::QsciLexerPython;
    const char *keywords(int set) const override
    {
        if (set == 2)
            return "self cls print len range dict list set tuple str int float bool bytes "
                   "object type isinstance issubclass enumerate zip map filter sorted sum min "
                   "max abs any all open super getattr setattr hasattr repr iter next round "
                   "Exception ValueError KeyError TypeError RuntimeError";
        return QsciLexerPython::keywords(set);
    }
};

// The stock JavaScript keyword list predates let/async/await.
class JavaScriptLexer : public QsciLexerJavaScript {
public:
    using QsciLexerJavaScript::QsciLexerJavaScript;
    const char *keywords(int set) const override
    {
        if (set == 1)
            return "async await break case catch class const continue debugger default delete "
                   "do else export extends false finally for from function get if import in "
                   "instanceof let new null of return set static super switch this throw true "
                   "try typeof undefined var void while with yield";
        if (set == 4) // styled as GlobalClass
            return "Array Boolean Buffer Date Error JSON Map Math Number Object Promise RegExp "
                   "Set String Symbol console exports module process require";
        return QsciLexerJavaScript::keywords(set);
    }
};

// QScintilla has no Go lexer; the C-family one with Go's keywords reads it well (same
// comments, strings, numbers and braces; raw `strings` as the backquoted kind).
class GoLexer : public QsciLexerCPP {
public:
    using QsciLexerCPP::QsciLexerCPP;
    const char *language() const override { return "Go"; }
    const char *keywords(int set) const override
    {
        if (set == 1)
            return "break case chan const continue default defer else fallthrough for func go "
                   "goto if import interface map package range return select struct switch type "
                   "var true false nil iota";
        if (set == 2) // styled as KeywordSet2: the predeclared types and functions
            return "any bool byte comparable complex64 complex128 error float32 float64 int int8 "
                   "int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr append "
                   "cap close complex copy delete imag len make new panic print println real "
                   "recover";
        return nullptr;
    }
};

void colour(QsciLexer *lexer, StyleRoles roles)
{
    const QFont base = editorFont();
    lexer->setDefaultFont(base);
    lexer->setFont(base, -1);
    lexer->setDefaultPaper(kPaper);
    lexer->setPaper(kPaper, -1);
    lexer->setDefaultColor(colorFor(Role::Text));
    lexer->setColor(colorFor(Role::Text), -1);
    for (const auto &[style, role] : roles) {
        lexer->setColor(colorFor(role), style);
        if (role == Role::Comment) {
            QFont italic = base;
            italic.setItalic(true);
            lexer->setFont(italic, style);
        }
        if (role == Role::Error)
            lexer->setPaper(kErrorPaper, style);
    }
}

void setBold(QsciLexer *lexer, std::initializer_list<int> styles)
{
    QFont bold = editorFont();
    bold.setBold(true);
    for (int style : styles)
        lexer->setFont(bold, style);
}

QsciLexer *pythonLexer(QObject *parent)
{
    using L = QsciLexerPython;
    auto *lexer = new PythonLexer(parent);
    colour(lexer, {{L::Comment, Role::Comment}, {L::CommentBlock, Role::Comment},
                   {L::Number, Role::Number}, {L::Keyword, Role::Keyword},
                   {L::DoubleQuotedString, Role::String}, {L::SingleQuotedString, Role::String},
                   {L::TripleSingleQuotedString, Role::String},
                   {L::TripleDoubleQuotedString, Role::String},
                   {L::DoubleQuotedFString, Role::String}, {L::SingleQuotedFString, Role::String},
                   {L::TripleSingleQuotedFString, Role::String},
                   {L::TripleDoubleQuotedFString, Role::String},
                   {L::ClassName, Role::Definition}, {L::FunctionMethodName, Role::Definition},
                   {L::HighlightedIdentifier, Role::Builtin}, {L::Decorator, Role::Decorator},
                   {L::UnclosedString, Role::Error}});
    return lexer;
}

QsciLexer *javaScriptLexer(QObject *parent)
{
    using L = QsciLexerJavaScript;
    auto *lexer = new JavaScriptLexer(parent);
    lexer->setHighlightBackQuotedStrings(true); // template literals
    colour(lexer, {{L::Comment, Role::Comment}, {L::CommentLine, Role::Comment},
                   {L::CommentDoc, Role::Comment}, {L::CommentLineDoc, Role::Comment},
                   {L::CommentDocKeyword, Role::Comment}, {L::Number, Role::Number},
                   {L::Keyword, Role::Keyword}, {L::DoubleQuotedString, Role::String},
                   {L::SingleQuotedString, Role::String}, {L::RawString, Role::String},
                   {L::Regex, Role::Decorator}, {L::GlobalClass, Role::Builtin},
                   {L::EscapeSequence, Role::Decorator}, {L::UnclosedString, Role::Error}});
    return lexer;
}

// Java and Go share the C family's styles.
void colourCFamily(QsciLexer *lexer)
{
    using L = QsciLexerCPP;
    colour(lexer, {{L::Comment, Role::Comment},
                   {L::CommentLine, Role::Comment},
                   {L::CommentDoc, Role::Comment},
                   {L::CommentLineDoc, Role::Comment},
                   {L::CommentDocKeyword, Role::Comment},
                   {L::Number, Role::Number},
                   {L::Keyword, Role::Keyword},
                   {L::KeywordSet2, Role::Builtin},
                   {L::DoubleQuotedString, Role::String},
                   {L::SingleQuotedString, Role::String},
                   {L::RawString, Role::String},
                   {L::GlobalClass, Role::Builtin},
                   {L::PreProcessor, Role::Decorator},
                   {L::EscapeSequence, Role::Decorator},
                   {L::UnclosedString, Role::Error}});
}

QsciLexer *javaLexer(QObject *parent)
{
    auto *lexer = new QsciLexerJava(parent);
    colourCFamily(lexer);
    return lexer;
}

QsciLexer *goLexer(QObject *parent)
{
    auto *lexer = new GoLexer(parent);
    lexer->setHighlightBackQuotedStrings(true);
    colourCFamily(lexer);
    return lexer;
}

QsciLexer *jsonLexer(QObject *parent)
{
    using L = QsciLexerJSON;
    auto *lexer = new QsciLexerJSON(parent);
    colour(lexer, {{L::Number, Role::Number}, {L::String, Role::String},
                   {L::Property, Role::Definition}, {L::EscapeSequence, Role::Decorator},
                   {L::CommentLine, Role::Comment}, {L::CommentBlock, Role::Comment},
                   {L::Keyword, Role::Keyword}, {L::KeywordLD, Role::Keyword},
                   {L::IRI, Role::Number}, {L::IRICompact, Role::Number},
                   {L::UnclosedString, Role::Error}, {L::Error, Role::Error}});
    return lexer;
}

QsciLexer *shellLexer(QObject *parent)
{
    using L = QsciLexerBash;
    auto *lexer = new QsciLexerBash(parent);
    colour(lexer, {{L::Error, Role::Error}, {L::Comment, Role::Comment}, {L::Number, Role::Number},
                   {L::Keyword, Role::Keyword}, {L::DoubleQuotedString, Role::String},
                   {L::SingleQuotedString, Role::String}, {L::Scalar, Role::Property},
                   {L::ParameterExpansion, Role::Property}, {L::Backticks, Role::Decorator},
                   {L::HereDocumentDelimiter, Role::Decorator},
                   {L::SingleQuotedHereDocument, Role::String}});
    return lexer;
}

QsciLexer *rubyLexer(QObject *parent)
{
    using L = QsciLexerRuby;
    auto *lexer = new QsciLexerRuby(parent);
    colour(lexer, {{L::Error, Role::Error},
                   {L::Comment, Role::Comment},
                   {L::POD, Role::Comment},
                   {L::Number, Role::Number},
                   {L::Keyword, Role::Keyword},
                   {L::DoubleQuotedString, Role::String},
                   {L::SingleQuotedString, Role::String},
                   {L::ClassName, Role::Definition},
                   {L::FunctionMethodName, Role::Definition},
                   {L::ModuleName, Role::Definition},
                   {L::Regex, Role::String},
                   {L::Global, Role::Property},
                   {L::Symbol, Role::Builtin},
                   {L::InstanceVariable, Role::Property},
                   {L::ClassVariable, Role::Property},
                   {L::Backticks, Role::Decorator},
                   {L::HereDocumentDelimiter, Role::Decorator},
                   {L::HereDocument, Role::String},
                   {L::PercentStringq, Role::String},
                   {L::PercentStringQ, Role::String}});
    return lexer;
}

QsciLexer *yamlLexer(QObject *parent)
{
    using L = QsciLexerYAML;
    auto *lexer = new QsciLexerYAML(parent);
    colour(lexer, {{L::Comment, Role::Comment}, {L::Identifier, Role::Definition},
                   {L::Keyword, Role::Keyword}, {L::Number, Role::Number},
                   {L::Reference, Role::Decorator}, {L::DocumentDelimiter, Role::Keyword},
                   {L::TextBlockMarker, Role::Decorator}, {L::SyntaxErrorMarker, Role::Error}});
    return lexer;
}

QsciLexer *markdownLexer(QObject *parent)
{
    using L = QsciLexerMarkdown;
    auto *lexer = new QsciLexerMarkdown(parent);
    colour(lexer, {{L::Header1, Role::Keyword},
                   {L::Header2, Role::Keyword},
                   {L::Header3, Role::Keyword},
                   {L::Header4, Role::Keyword},
                   {L::Header5, Role::Keyword},
                   {L::Header6, Role::Keyword},
                   {L::StrongEmphasisAsterisks, Role::Text},
                   {L::StrongEmphasisUnderscores, Role::Text},
                   {L::UnorderedListItem, Role::Decorator},
                   {L::OrderedListItem, Role::Decorator},
                   {L::BlockQuote, Role::Comment},
                   {L::HorizontalRule, Role::Comment},
                   {L::Link, Role::Number},
                   {L::CodeBackticks, Role::String},
                   {L::CodeDoubleBackticks, Role::String},
                   {L::CodeBlock, Role::String}});
    setBold(lexer, {L::Header1, L::Header2, L::Header3, L::Header4, L::Header5, L::Header6,
                    L::StrongEmphasisAsterisks, L::StrongEmphasisUnderscores});
    return lexer;
}

} // namespace

QFont editorFont()
{
    QFont font(QStringLiteral("DejaVu Sans Mono"));
    font.setStyleHint(QFont::Monospace);
    font.setFixedPitch(true);
    font.setPointSize(10);
    return font;
}

int indentWidth(Language language)
{
    // YAML too: SAM templates and most YAML in the wild use two spaces.
    return language == Language::JavaScript || language == Language::Json ||
                   language == Language::Yaml || language == Language::Ruby
               ? 2
               : 4;
}

QsciLexer *createLexer(Language language, QObject *parent)
{
    switch (language) {
    case Language::Python: return pythonLexer(parent);
    case Language::JavaScript: return javaScriptLexer(parent);
    case Language::Ruby:
        return rubyLexer(parent);
    case Language::Java:
        return javaLexer(parent);
    case Language::Go:
        return goLexer(parent);
    case Language::Json: return jsonLexer(parent);
    case Language::Shell: return shellLexer(parent);
    case Language::Yaml: return yamlLexer(parent);
    case Language::Markdown: return markdownLexer(parent);
    case Language::PlainText: return nullptr;
    }
    return nullptr;
}

void applyEditorTheme(QsciScintilla *editor)
{
    const QFont font = editorFont();
    editor->setFont(font);
    editor->setPaper(kPaper);
    editor->setColor(colorFor(Role::Text));
    editor->setMarginsFont(font);
    editor->setMarginsBackgroundColor(kGutter);
    editor->setMarginsForegroundColor(kGutterText);

    editor->setMarginType(kDiagnosticMargin, QsciScintilla::SymbolMargin);
    editor->setMarginWidth(kDiagnosticMargin, 12);
    editor->setMarginMarkerMask(kDiagnosticMargin, 1 << kDiagnosticMarker);
    editor->setMarginType(kLineNumberMargin, QsciScintilla::NumberMargin);
    editor->setMarginLineNumbers(kLineNumberMargin, true);
    editor->setMarginWidth(kLineNumberMargin, QStringLiteral("0000"));
    editor->setMarginMarkerMask(kLineNumberMargin, 0);

    // Fold arrows like Cloud9's gutter triangles instead of the default +/- boxes.
    editor->setFolding(QsciScintilla::PlainFoldStyle, kFoldMargin);
    editor->setMarginWidth(kFoldMargin, 14);
    editor->setFoldMarginColors(kGutter, kGutter);
    editor->markerDefine(QsciScintilla::DownTriangle, QsciScintillaBase::SC_MARKNUM_FOLDEROPEN);
    editor->markerDefine(QsciScintilla::RightTriangle, QsciScintillaBase::SC_MARKNUM_FOLDER);
    for (int marker : {int(QsciScintillaBase::SC_MARKNUM_FOLDEROPEN),
                       int(QsciScintillaBase::SC_MARKNUM_FOLDER)}) {
        editor->setMarkerBackgroundColor(kGutterText, marker);
        editor->setMarkerForegroundColor(kGutterText, marker);
    }

    // Breathing room between the fold arrows and the text, as in Cloud9.
    editor->SendScintilla(QsciScintillaBase::SCI_SETMARGINLEFT, 0UL, 6L);
    editor->setCaretLineVisible(true);
    editor->setCaretLineBackgroundColor(kCaretLine);
    // Keep the current line visible while the find bar or the tree has focus.
    editor->SendScintilla(QsciScintillaBase::SCI_SETCARETLINEVISIBLEALWAYS, 1L);
    editor->setCaretForegroundColor(colorFor(Role::Text));
    editor->setCaretWidth(2);
    editor->setSelectionBackgroundColor(kSelection);
    editor->resetSelectionForegroundColor();
    editor->setBraceMatching(QsciScintilla::SloppyBraceMatch);
    editor->setMatchedBraceBackgroundColor(QColor(0xd4, 0xf0, 0xd4));
    editor->setMatchedBraceForegroundColor(colorFor(Role::Text));
    editor->setUnmatchedBraceBackgroundColor(kErrorPaper);
    editor->setUnmatchedBraceForegroundColor(colorFor(Role::Error));
    editor->setIndentationGuides(true);
    editor->setIndentationGuidesForegroundColor(QColor(0xe1, 0xe4, 0xe8));
    editor->setIndentationGuidesBackgroundColor(kPaper);
    editor->setExtraAscent(1);
    editor->setExtraDescent(1);

    editor->markerDefine(QsciScintilla::Circle, kDiagnosticMarker);
    editor->setMarkerBackgroundColor(colorFor(Role::Error), kDiagnosticMarker);
    editor->setMarkerForegroundColor(colorFor(Role::Error), kDiagnosticMarker);
    editor->markerDefine(QsciScintilla::Background, kDiagnosticLineMarker);
    editor->setMarkerBackgroundColor(kErrorPaper, kDiagnosticLineMarker);
    editor->indicatorDefine(QsciScintilla::SquiggleIndicator, kDiagnosticIndicator);
    editor->setIndicatorForegroundColor(colorFor(Role::Error), kDiagnosticIndicator);
    editor->indicatorDefine(QsciScintilla::StraightBoxIndicator, kFindIndicator);
    editor->setIndicatorForegroundColor(QColor(0xf5, 0xb5, 0x00, 110), kFindIndicator);
    editor->setIndicatorOutlineColor(QColor(0xd9, 0x9a, 0x00, 200), kFindIndicator);
    editor->setIndicatorDrawUnder(true, kFindIndicator);
    editor->setAnnotationDisplay(QsciScintilla::AnnotationIndented);
    diagnosticAnnotationStyle(editor);
}

void applyDiffTheme(QsciScintilla *editor)
{
    editor->setFolding(QsciScintilla::NoFoldStyle);
    // Scintilla shows a line's one margin text in every text margin: one margin holds both
    // numbers and the sign.
    // Not setMarginLineNumbers(false): it turns the margin back into a symbol margin.
    editor->setMarginType(kDiffGutterMargin, QsciScintilla::TextMargin);
    editor->setMarginMarkerMask(kDiffGutterMargin, 0);
    editor->setMarginWidth(kDiffGutterMargin, QStringLiteral("00000 00000 +0"));
    for (int margin : {1, 2})
        editor->setMarginWidth(margin, 0);
    // GitHub's colours, which readers of diffs know.
    editor->markerDefine(QsciScintilla::Background, kDiffAddedMarker);
    editor->setMarkerBackgroundColor(QColor(0xe6, 0xff, 0xec), kDiffAddedMarker);
    editor->markerDefine(QsciScintilla::Background, kDiffRemovedMarker);
    editor->setMarkerBackgroundColor(kErrorPaper, kDiffRemovedMarker);
    editor->setCaretLineVisible(false);
    // A horizontal scroll bar only when a line is wider than the view.
    editor->SendScintilla(QsciScintillaBase::SCI_SETSCROLLWIDTH, 1UL);
    editor->SendScintilla(QsciScintillaBase::SCI_SETSCROLLWIDTHTRACKING, 1UL);
}

QsciLexer *replaceLexer(QsciScintilla *editor, Language language, QsciLexer *current)
{
    QsciLexer *lexer = createLexer(language, editor);
    editor->setLexer(lexer);
    delete current; // after setLexer, so the editor never points at a dead lexer
    if (!lexer)
        editor->setFont(editorFont());
    applyEditorTheme(editor);
    return lexer;
}

int diagnosticAnnotationStyle(QsciScintilla *editor)
{
    // Styles past the lexers' range; QsciStyle would allocate a fresh number on every call.
    constexpr int kStyle = 250;
    QFont font = editorFont();
    font.setPointSize(9);
    editor->SendScintilla(QsciScintillaBase::SCI_STYLESETFORE, kStyle, colorFor(Role::Error));
    editor->SendScintilla(QsciScintillaBase::SCI_STYLESETBACK, kStyle, kErrorPaper);
    editor->SendScintilla(QsciScintillaBase::SCI_STYLESETFONT, kStyle,
                          font.family().toUtf8().constData());
    editor->SendScintilla(QsciScintillaBase::SCI_STYLESETSIZE, kStyle, font.pointSize());
    return kStyle;
}

} // namespace lambdesk::editor::detail
