#include "lambdesk/editor/codedocument.h"

#include "documentimpl.h"
#include "editortheme.h"
#include "findbar.h"

#include <Qsci/qscilexer.h>
#include <Qsci/qsciscintilla.h>

#include <QPointer>
#include <QShortcut>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <vector>

namespace lambdesk::editor {

using namespace detail;

namespace {

using Sci = QsciScintillaBase;
constexpr int kMaxHighlightedMatches = 10000; // keeps highlighting snappy in huge files

struct Range {
    long start = 0; // byte positions in the Scintilla document
    long end = 0;
};

long utf8Length(QStringView text)
{
    long bytes = 0;
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        // A surrogate pair is one 4-byte code point: 2 bytes per half.
        bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : c.isSurrogate() ? 2 : 3;
    }
    return bytes;
}

// Every non-overlapping match of needle, in document order, at most limit of them. Searches the
// QString rather than with SCI_SEARCHINTARGET because Scintilla folds only ASCII case here
// ("CAFÉ" would not find "café"). Plain text, never a regex.
std::vector<Range> findAll(QsciScintilla *editor, const QString &needle, bool caseSensitive,
                           size_t limit = std::numeric_limits<size_t>::max())
{
    std::vector<Range> matches;
    if (needle.isEmpty())
        return matches;
    const QString text = editor->text();
    const Qt::CaseSensitivity sensitivity = caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive;
    qsizetype scanned = 0;
    long bytes = 0;
    for (qsizetype index = text.indexOf(needle, 0, sensitivity);
         index >= 0 && matches.size() < limit; index = text.indexOf(needle, scanned, sensitivity)) {
        bytes += utf8Length(QStringView(text).mid(scanned, index - scanned));
        const long length = utf8Length(QStringView(text).mid(index, needle.size()));
        matches.push_back({bytes, bytes + length});
        bytes += length;
        scanned = index + needle.size();
    }
    return matches;
}

long documentLength(QsciScintilla *editor)
{
    return editor->SendScintilla(Sci::SCI_GETLENGTH);
}

} // namespace

struct CodeView::Impl {
    QPointer<CodeDocument> document;
    QWidget *container = nullptr;
    QsciScintilla *editor = nullptr;
    FindBar *findBar = nullptr;
    QsciLexer *lexer = nullptr;
    QTimer *highlightTimer = nullptr;

    void applyLanguage(Language language);
    void applyLineEnds();
    bool find(const QString &text, bool caseSensitive, bool forward, bool fromSelectionStart);
    void highlightMatches();
    void clearFindHighlight();
    void replaceCurrent();
    void findFromBar(bool forward);
    void markDiagnostic(const Diagnostic &diagnostic);
};

void CodeView::Impl::applyLanguage(Language language)
{
    lexer = replaceLexer(editor, language, lexer);
    const int width = indentWidth(language);
    editor->setIndentationsUseTabs(false);
    editor->setTabWidth(width);
    editor->setIndentationWidth(width);
}

void CodeView::Impl::applyLineEnds()
{
    if (!document)
        return;
    const auto mode = document->m_impl->windowsLineEnds ? QsciScintilla::EolWindows
                                                        : QsciScintilla::EolUnix;
    if (editor->eolMode() != mode)
        editor->setEolMode(mode);
}

bool CodeView::Impl::find(const QString &text, bool caseSensitive, bool forward,
                          bool fromSelectionStart)
{
    const std::vector<Range> matches = findAll(editor, text, caseSensitive);
    if (matches.empty())
        return false;
    const long selectionStart = editor->SendScintilla(Sci::SCI_GETSELECTIONSTART);
    const long selectionEnd = editor->SendScintilla(Sci::SCI_GETSELECTIONEND);
    Range match;
    if (forward) {
        const long from = fromSelectionStart ? selectionStart : selectionEnd;
        const auto it = std::find_if(matches.begin(), matches.end(),
                                     [from](const Range &r) { return r.start >= from; });
        match = it != matches.end() ? *it : matches.front(); // wrap around
    } else {
        const auto it =
            std::find_if(matches.rbegin(), matches.rend(),
                         [selectionStart](const Range &r) { return r.start < selectionStart; });
        match = it != matches.rend() ? *it : matches.back();
    }
    int line = 0;
    int index = 0;
    editor->lineIndexFromPosition(int(match.start), &line, &index);
    editor->ensureLineVisible(line); // unfolds a folded block around the match
    editor->SendScintilla(Sci::SCI_SETSEL, match.start, match.end);
    return true;
}

void CodeView::Impl::findFromBar(bool forward)
{
    find(findBar->findText(), findBar->isCaseSensitive(), forward, false);
    highlightMatches();
}

void CodeView::Impl::clearFindHighlight()
{
    editor->SendScintilla(Sci::SCI_SETINDICATORCURRENT, kFindIndicator);
    editor->SendScintilla(Sci::SCI_INDICATORCLEARRANGE, 0, documentLength(editor));
}

void CodeView::Impl::highlightMatches()
{
    clearFindHighlight();
    const QString text = findBar->findText();
    if (text.isEmpty() || findBar->isHidden()) {
        findBar->setMatchInfo(0, 0);
        return;
    }
    const std::vector<Range> matches =
        findAll(editor, text, findBar->isCaseSensitive(), kMaxHighlightedMatches);
    const long selectionStart = editor->SendScintilla(Sci::SCI_GETSELECTIONSTART);
    const long selectionEnd = editor->SendScintilla(Sci::SCI_GETSELECTIONEND);
    const int total = int(matches.size());
    int current = 0;
    editor->SendScintilla(Sci::SCI_SETINDICATORCURRENT, kFindIndicator);
    for (int i = 0; i < total; ++i) {
        const Range &match = matches[size_t(i)];
        if (match.start == selectionStart && match.end == selectionEnd)
            current = i + 1;
        editor->SendScintilla(Sci::SCI_INDICATORFILLRANGE, match.start, match.end - match.start);
    }
    findBar->setMatchInfo(current, total);
}

void CodeView::Impl::replaceCurrent()
{
    const QString text = findBar->findText();
    if (text.isEmpty() || editor->isReadOnly())
        return;
    const Qt::CaseSensitivity sensitivity =
        findBar->isCaseSensitive() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    if (editor->selectedText().compare(text, sensitivity) == 0) {
        const QByteArray replacement = findBar->replaceText().toUtf8();
        editor->SendScintilla(Sci::SCI_TARGETFROMSELECTION);
        editor->SendScintilla(Sci::SCI_REPLACETARGET, static_cast<uintptr_t>(replacement.size()),
                              replacement.constData());
        const long end = editor->SendScintilla(Sci::SCI_GETTARGETEND);
        editor->SendScintilla(Sci::SCI_SETSEL, end, end);
    }
    find(text, findBar->isCaseSensitive(), true, false);
    highlightMatches();
}

void CodeView::Impl::markDiagnostic(const Diagnostic &diagnostic)
{
    const int lines = std::max(1, editor->lines());
    const int line = std::clamp(diagnostic.line - 1, 0, lines - 1);
    editor->markerAdd(line, kDiagnosticMarker);
    editor->markerAdd(line, kDiagnosticLineMarker);

    const long lineStart = editor->SendScintilla(Sci::SCI_POSITIONFROMLINE, line);
    const long lineEnd = editor->SendScintilla(Sci::SCI_GETLINEENDPOSITION, line);
    long start = editor->SendScintilla(Sci::SCI_GETLINEINDENTPOSITION, line);
    long end = lineEnd;
    if (diagnostic.column > 0) {
        start = std::min<long>(editor->positionFromLineIndex(line, diagnostic.column - 1), lineEnd);
        end = editor->SendScintilla(Sci::SCI_WORDENDPOSITION, start, 1L);
        if (end <= start) // on punctuation or past the end: mark one character
            end = start < lineEnd ? editor->SendScintilla(Sci::SCI_POSITIONAFTER, start) : lineEnd;
        if (start == lineEnd && start > lineStart) // "unexpected end of line": the last character
            start = editor->SendScintilla(Sci::SCI_POSITIONBEFORE, start);
        end = std::min(end, lineEnd);
    }
    if (end > start) {
        editor->SendScintilla(Sci::SCI_SETINDICATORCURRENT, kDiagnosticIndicator);
        editor->SendScintilla(Sci::SCI_INDICATORFILLRANGE, start, end - start);
    }

    // Several problems on one line share one annotation, one message per row.
    const QString existing = editor->annotation(line);
    const QString message = existing.isEmpty() ? diagnostic.message
                                               : existing + QLatin1Char('\n') + diagnostic.message;
    editor->annotate(line, message, diagnosticAnnotationStyle(editor));
}

CodeView *CodeView::create(CodeDocument *document, QWidget *parent)
{
    // Owned by the view widget created in the constructor (Qt parent ownership).
    return new CodeView(document, parent);
}

CodeView::CodeView(CodeDocument *document, QWidget *parent) : m_impl(std::make_unique<Impl>())
{
    Q_ASSERT(document);
    Impl &d = *m_impl;
    d.document = document;
    d.container = new QWidget(parent);
    d.container->setObjectName(QStringLiteral("codeView"));
    setParent(d.container);

    d.editor = new QsciScintilla(d.container);
    d.editor->setObjectName(QStringLiteral("codeEditor"));
    d.editor->setDocument(document->m_impl->host->document());
    d.editor->setUtf8(true);
    d.editor->setFrameShape(QFrame::NoFrame);
    d.editor->setAutoIndent(true);
    d.editor->setTabIndents(true);
    d.editor->setBackspaceUnindents(true);
    d.editor->setScrollWidth(1);
    d.editor->setScrollWidthTracking(true);
    d.applyLanguage(document->language());
    d.applyLineEnds();

    d.findBar = new FindBar(d.container);
    d.findBar->hide();
    d.highlightTimer = new QTimer(this);
    d.highlightTimer->setSingleShot(true);
    d.highlightTimer->setInterval(150);

    auto *layout = new QVBoxLayout(d.container);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(d.editor, 1);
    layout->addWidget(d.findBar);
    d.container->setFocusProxy(d.editor);

    connect(document, &CodeDocument::languageChanged, this,
            [this](Language language) { m_impl->applyLanguage(language); });
    connect(document, &CodeDocument::textChanged, this, [this] {
        m_impl->applyLineEnds();
        if (m_impl->findBar->isVisible())
            m_impl->highlightTimer->start();
    });
    // A view outliving its document keeps the last text but must not pretend to edit it.
    connect(document, &QObject::destroyed, this, [this] { m_impl->editor->setReadOnly(true); });
    connect(d.editor, &QsciScintilla::cursorPositionChanged, this,
            [this](int line, int index) { emit cursorMoved(line + 1, index + 1); });
    connect(d.highlightTimer, &QTimer::timeout, this, [this] { m_impl->highlightMatches(); });

    connect(d.findBar, &FindBar::findRequested, this,
            [this](bool forward) { m_impl->findFromBar(forward); });
    connect(d.findBar, &FindBar::searchChanged, this, [this] {
        // Incremental: stay on the match under the cursor while the search text grows.
        m_impl->find(m_impl->findBar->findText(), m_impl->findBar->isCaseSensitive(), true, true);
        m_impl->highlightMatches();
    });
    connect(d.findBar, &FindBar::replaceRequested, this, [this] { m_impl->replaceCurrent(); });
    connect(d.findBar, &FindBar::replaceAllRequested, this, [this] {
        replaceAll(m_impl->findBar->findText(), m_impl->findBar->replaceText(),
                   m_impl->findBar->isCaseSensitive());
        m_impl->highlightMatches();
    });
    connect(d.findBar, &FindBar::closed, this, [this] {
        m_impl->clearFindHighlight();
        m_impl->editor->setFocus();
    });

    auto *findShortcut = new QShortcut(QKeySequence::Find, d.container, nullptr, nullptr,
                                       Qt::WidgetWithChildrenShortcut);
    connect(findShortcut, &QShortcut::activated, this, &CodeView::showFind);
    auto *nextShortcut = new QShortcut(QKeySequence::FindNext, d.container, nullptr, nullptr,
                                       Qt::WidgetWithChildrenShortcut);
    connect(nextShortcut, &QShortcut::activated, this, [this] { m_impl->findFromBar(true); });
    auto *previousShortcut = new QShortcut(QKeySequence::FindPrevious, d.container, nullptr,
                                           nullptr, Qt::WidgetWithChildrenShortcut);
    connect(previousShortcut, &QShortcut::activated, this,
            [this] { m_impl->findFromBar(false); });
}

CodeView::~CodeView() = default;

QWidget *CodeView::widget() const
{
    return m_impl->container;
}

CodeDocument *CodeView::document() const
{
    return m_impl->document.data();
}

void CodeView::setReadOnly(bool readOnly)
{
    m_impl->editor->setReadOnly(readOnly || !m_impl->document);
}

void CodeView::showFind()
{
    m_impl->findBar->activate(m_impl->editor->selectedText());
}

bool CodeView::findNext(const QString &text, bool caseSensitive)
{
    return m_impl->find(text, caseSensitive, true, false);
}

int CodeView::replaceAll(const QString &text, const QString &replacement, bool caseSensitive)
{
    QsciScintilla *editor = m_impl->editor;
    if (text.isEmpty() || editor->isReadOnly())
        return 0;
    const std::vector<Range> matches = findAll(editor, text, caseSensitive);
    const QByteArray bytes = replacement.toUtf8();
    editor->beginUndoAction(); // one Ctrl+Z undoes the whole replace
    // Back to front, so earlier positions stay valid.
    for (auto it = matches.rbegin(); it != matches.rend(); ++it) {
        editor->SendScintilla(Sci::SCI_SETTARGETRANGE, it->start, it->end);
        editor->SendScintilla(Sci::SCI_REPLACETARGET, static_cast<uintptr_t>(bytes.size()),
                              bytes.constData());
    }
    editor->endUndoAction();
    return int(matches.size());
}

void CodeView::goToLine(int line)
{
    QsciScintilla *editor = m_impl->editor;
    const int target = std::clamp(line, 1, std::max(1, editor->lines())) - 1;
    editor->ensureLineVisible(target);
    editor->setCursorPosition(target, 0);
    editor->SendScintilla(Sci::SCI_VERTICALCENTRECARET);
    editor->setFocus();
}

int CodeView::cursorLine() const
{
    int line = 0;
    int index = 0;
    m_impl->editor->getCursorPosition(&line, &index);
    return line + 1;
}

void CodeView::setDiagnostics(const QList<Diagnostic> &diagnostics)
{
    QsciScintilla *editor = m_impl->editor;
    editor->markerDeleteAll(kDiagnosticMarker);
    editor->markerDeleteAll(kDiagnosticLineMarker);
    editor->SendScintilla(Sci::SCI_SETINDICATORCURRENT, kDiagnosticIndicator);
    editor->SendScintilla(Sci::SCI_INDICATORCLEARRANGE, 0, documentLength(editor));
    editor->clearAnnotations();
    for (const Diagnostic &diagnostic : diagnostics)
        m_impl->markDiagnostic(diagnostic);
}

} // namespace lambdesk::editor
