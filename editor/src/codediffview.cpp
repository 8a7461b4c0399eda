#include "lambdesk/editor/codediffview.h"

#include "lambdesk/editor/codedocument.h"

#include "editortheme.h"

#include <Qsci/qscilexer.h>
#include <Qsci/qsciscintilla.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QShortcut>
#include <QSplitter>
#include <QVBoxLayout>

namespace lambdesk::editor {

using namespace detail;

namespace {

QString changeLetter(FileDiff::Change change)
{
    switch (change) {
    case FileDiff::Change::Added:
        return QStringLiteral("A");
    case FileDiff::Change::Deleted:
        return QStringLiteral("D");
    case FileDiff::Change::Modified:
        break;
    }
    return QStringLiteral("M");
}

QString changeWord(FileDiff::Change change)
{
    switch (change) {
    case FileDiff::Change::Added:
        return QStringLiteral("Added");
    case FileDiff::Change::Deleted:
        return QStringLiteral("Deleted");
    case FileDiff::Change::Modified:
        break;
    }
    return QStringLiteral("Modified");
}

QString lineCount(int count, const char *what)
{
    return QStringLiteral("%1 %2").arg(count).arg(QLatin1String(what));
}

} // namespace

struct CodeDiffView::Impl {
    QList<FileDiff> files;
    int current = -1;
    QListWidget *list = nullptr;
    QLabel *caption = nullptr;
    QsciScintilla *editor = nullptr;
    QsciLexer *lexer = nullptr;

    void show(int index);
    void setLanguage(Language language);
};

void CodeDiffView::Impl::setLanguage(Language language)
{
    lexer = replaceLexer(editor, language, lexer);
    applyDiffTheme(editor);
}

void CodeDiffView::Impl::show(int index)
{
    current = index;
    editor->setReadOnly(false);
    editor->clear();
    editor->clearMarginText();
    if (index < 0 || index >= files.size()) {
        caption->setText(files.isEmpty() ? QStringLiteral("No differences: the files are the same.")
                                         : QString());
        editor->setReadOnly(true);
        return;
    }
    const FileDiff &file = files[index];
    setLanguage(languageForFileName(file.path));
    QStringList text;
    text.reserve(file.lines.size());
    for (const DiffLine &line : file.lines)
        text << line.text;
    editor->setText(text.join(QLatin1Char('\n')));
    for (int i = 0; i < file.lines.size(); ++i) {
        const DiffLine &line = file.lines[i];
        // Scintilla keeps one margin text per line, so the old number, the new number and the
        // sign share one margin, padded into columns.
        const QString sign = line.kind == DiffLine::Kind::Added     ? QStringLiteral("+")
                             : line.kind == DiffLine::Kind::Removed ? QStringLiteral("-")
                                                                    : QStringLiteral(" ");
        editor->setMarginText(
            i,
            QStringLiteral("%1 %2 %3")
                .arg(line.oldLine > 0 ? QString::number(line.oldLine) : QString(), 5)
                .arg(line.newLine > 0 ? QString::number(line.newLine) : QString(), 5)
                .arg(sign),
            QsciScintillaBase::STYLE_LINENUMBER);
        if (line.kind == DiffLine::Kind::Added)
            editor->markerAdd(i, kDiffAddedMarker);
        else if (line.kind == DiffLine::Kind::Removed)
            editor->markerAdd(i, kDiffRemovedMarker);
    }
    QStringList parts{changeWord(file.change)};
    if (file.binary)
        parts << QStringLiteral("binary content, not shown");
    else
        parts << lineCount(file.addedLines, "added") + QStringLiteral(", ") +
                     lineCount(file.removedLines, "removed");
    if (file.modeChanged)
        parts << QStringLiteral("executable bit changed");
    caption->setText(QStringLiteral("<b>%1</b> &nbsp;%2")
                         .arg(file.path.toHtmlEscaped(), parts.join(QStringLiteral(" · "))));
    editor->setReadOnly(true);
    editor->setCursorPosition(0, 0);
    if (list->currentRow() != index)
        list->setCurrentRow(index);
}

CodeDiffView::CodeDiffView(QWidget *parent) : QWidget(parent), m_impl(std::make_unique<Impl>())
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter);
    m_impl->list = new QListWidget(splitter);
    m_impl->list->setObjectName(QStringLiteral("diffFiles"));
    m_impl->list->setAccessibleName(QStringLiteral("Changed files"));
    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->setSpacing(4);
    m_impl->caption = new QLabel(right);
    m_impl->caption->setObjectName(QStringLiteral("diffCaption"));
    m_impl->caption->setTextFormat(Qt::RichText);
    m_impl->editor = new QsciScintilla(right);
    m_impl->editor->setObjectName(QStringLiteral("diffText"));
    m_impl->editor->setReadOnly(true);
    m_impl->setLanguage(Language::PlainText);
    rightLayout->addWidget(m_impl->caption);
    rightLayout->addWidget(m_impl->editor, 1);
    splitter->addWidget(m_impl->list);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 700});
    connect(m_impl->list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row != m_impl->current)
            m_impl->show(row);
    });
    auto *next = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Down), this);
    next->setContext(Qt::WidgetWithChildrenShortcut);
    connect(next, &QShortcut::activated, this, [this] { goToChange(true); });
    auto *previous = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Up), this);
    previous->setContext(Qt::WidgetWithChildrenShortcut);
    connect(previous, &QShortcut::activated, this, [this] { goToChange(false); });
}

CodeDiffView::~CodeDiffView() = default;

void CodeDiffView::setDiff(const QList<FileDiff> &files)
{
    m_impl->files = files;
    m_impl->current = -1;
    const QSignalBlocker blocker(m_impl->list);
    m_impl->list->clear();
    for (const FileDiff &file : files) {
        auto *item = new QListWidgetItem(
            QStringLiteral("%1  %2").arg(changeLetter(file.change), file.path), m_impl->list);
        item->setToolTip(QStringLiteral("%1: %2").arg(changeWord(file.change), file.path));
    }
    m_impl->show(files.isEmpty() ? -1 : 0);
}

bool CodeDiffView::showFile(const QString &path)
{
    for (int i = 0; i < m_impl->files.size(); ++i) {
        if (m_impl->files[i].path == path) {
            m_impl->show(i);
            return true;
        }
    }
    return false;
}

QString CodeDiffView::currentFile() const
{
    return m_impl->current >= 0 ? m_impl->files[m_impl->current].path : QString();
}

QStringList CodeDiffView::files() const
{
    QStringList paths;
    for (const FileDiff &file : m_impl->files)
        paths << file.path;
    return paths;
}

bool CodeDiffView::goToChange(bool forward)
{
    if (m_impl->current < 0)
        return false;
    const QList<DiffLine> &lines = m_impl->files[m_impl->current].lines;
    const int count = int(lines.size());
    auto changed = [&](int i) { return lines[i].kind != DiffLine::Kind::Context; };
    // The first line of each block of changes, in order.
    QList<int> starts;
    for (int i = 0; i < count; ++i) {
        if (changed(i) && (i == 0 || !changed(i - 1)))
            starts << i;
    }
    if (starts.isEmpty())
        return false;
    const int here = currentLine() - 1;
    int target = forward ? starts.front() : starts.back(); // wraps around
    if (forward) {
        for (int start : starts) {
            if (start > here) {
                target = start;
                break;
            }
        }
    } else {
        for (auto it = starts.crbegin(); it != starts.crend(); ++it) {
            if (*it < here) {
                target = *it;
                break;
            }
        }
    }
    m_impl->editor->setCursorPosition(target, 0);
    m_impl->editor->ensureLineVisible(target);
    return true;
}

int CodeDiffView::currentLine() const
{
    int line = 0;
    int index = 0;
    m_impl->editor->getCursorPosition(&line, &index);
    return line + 1;
}

QString CodeDiffView::shownText() const
{
    return m_impl->editor->text();
}

QList<DiffLine::Kind> CodeDiffView::shownKinds() const
{
    QList<DiffLine::Kind> kinds;
    if (m_impl->current < 0)
        return kinds;
    for (int i = 0; i < m_impl->editor->lines(); ++i) {
        const unsigned mask = m_impl->editor->markersAtLine(i);
        kinds << ((mask & (1U << kDiffAddedMarker))     ? DiffLine::Kind::Added
                  : (mask & (1U << kDiffRemovedMarker)) ? DiffLine::Kind::Removed
                                                        : DiffLine::Kind::Context);
    }
    return kinds;
}

QString CodeDiffView::shownMargin(int line) const
{
    QsciScintilla *editor = m_impl->editor;
    const long length = editor->SendScintilla(QsciScintillaBase::SCI_MARGINGETTEXT, line - 1, 0L);
    if (length <= 0)
        return {};
    QByteArray text(length, '\0');
    editor->SendScintilla(QsciScintillaBase::SCI_MARGINGETTEXT, line - 1, text.data());
    return QString::fromUtf8(text);
}

QString CodeDiffView::summary() const
{
    return m_impl->caption->text();
}

} // namespace lambdesk::editor
