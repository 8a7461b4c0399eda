#include "lambdesk/editor/codeworkspace.h"

#include "editortheme.h"
#include "filetreemodel.h"
#include "workspaceimpl.h"

#include <QFileInfo>
#include <QLabel>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>

#include <algorithm>

namespace lambdesk::editor {


using detail::FileTreeModel;

namespace {

QString parentOf(const QString &path)
{
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : path.left(slash);
}

constexpr char kColumnProperty[] = "lambdeskCursorColumn";

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

CodeWorkspace::CodeWorkspace(QWidget *parent) : QWidget(parent), m_impl(std::make_unique<Impl>())
{
    m_impl->q = this;
    m_impl->buildUi();
}

CodeWorkspace::~CodeWorkspace()
{
    // Views go before the documents they show; no tab signal may reach the dying m_impl.
    QObject::disconnect(m_impl->tabs, nullptr, this, nullptr);
    while (m_impl->tabs->count() > 0)
        m_impl->closeTab(0);
}

void CodeWorkspace::setFiles(const QList<EditorFile> &files)
{
    const QString previousFile = currentFile();
    while (m_impl->tabs->count() > 0)
        m_impl->closeTab(0);
    for (auto &[path, entry] : m_impl->entries)
        delete entry.document;
    m_impl->entries.clear();
    m_impl->savedPaths.clear();
    m_impl->diagnostics.clear();
    for (const EditorFile &file : files) {
        FileEntry entry;
        entry.content = file.content;
        entry.executable = file.executable;
        entry.binary = detail::isBinary(file.content);
        m_impl->entries[file.path] = std::move(entry); // a repeated path: the last one wins
        m_impl->savedPaths.insert(file.path);
    }
    QStringList paths;
    paths.reserve(qsizetype(m_impl->entries.size()));
    for (const auto &[path, entry] : m_impl->entries)
        paths.append(path);
    m_impl->model->reset(paths);
    // Cloud9 starts with the environment root open and every folder below it closed.
    if (m_impl->model->rowCount() == 1 && m_impl->model->isFolder(m_impl->model->index(0, 0)))
        m_impl->tree->expand(m_impl->model->index(0, 0));
    m_impl->updateModified();
    if (!previousFile.isEmpty())
        m_impl->onCurrentTabChanged();
}

QList<EditorFile> CodeWorkspace::files() const
{
    QList<EditorFile> result;
    result.reserve(qsizetype(m_impl->entries.size()));
    for (const auto &[path, entry] : m_impl->entries) {
        const bool edited = entry.document && !entry.binary && entry.document->isModified();
        result.append({path, edited ? entry.document->text().toUtf8() : entry.content,
                       entry.executable});
    }
    return result;
}

bool CodeWorkspace::isModified() const
{
    return m_impl->lastModified;
}

void CodeWorkspace::markAllSaved()
{
    for (auto &[path, entry] : m_impl->entries) {
        if (entry.document && !entry.binary && entry.document->isModified()) {
            entry.content = entry.document->text().toUtf8();
            entry.document->markSaved();
        }
        entry.createdSinceSave = false;
    }
    m_impl->savedPaths.clear();
    for (const auto &[path, entry] : m_impl->entries)
        m_impl->savedPaths.insert(path);
    for (const auto &[path, entry] : m_impl->entries)
        m_impl->updateTab(path);
    m_impl->updateModified();
}

bool CodeWorkspace::openFile(const QString &path)
{
    const int existing = m_impl->tabForPath(path);
    if (existing >= 0) {
        m_impl->tabs->setCurrentIndex(existing);
        return true;
    }
    CodeDocument *document = m_impl->ensureDocument(path);
    if (!document)
        return false;
    CodeView *view = CodeView::create(document, m_impl->tabs);
    view->setReadOnly(m_impl->readOnly || m_impl->entries.at(path).binary);
    connect(view, &CodeView::cursorMoved, this, [this, view](int, int column) {
        view->setProperty(kColumnProperty, column); // shown again when the tab comes back
        if (view == currentView())
            m_impl->updateStatus();
    });
    const int index = m_impl->tabs->addTab(view->widget(), QFileInfo(path).fileName());
    m_impl->tabs->setTabToolTip(index, path);
    // A flat "x" instead of the style's close button, which the tab style sheet turns into a box.
    auto *close = new QToolButton(m_impl->tabs->tabBar());
    close->setObjectName(QStringLiteral("tabClose"));
    close->setText(QStringLiteral("\u00d7"));
    close->setToolTip(tr("Close"));
    close->setFixedSize(16, 16);
    close->setFocusPolicy(Qt::NoFocus);
    QWidget *page = view->widget();
    connect(close, &QToolButton::clicked, this,
            [this, page] { m_impl->closeTab(m_impl->tabs->indexOf(page)); });
    m_impl->tabs->tabBar()->setTabButton(index, QTabBar::RightSide, close);
    if (const auto found = m_impl->diagnostics.constFind(path);
        found != m_impl->diagnostics.constEnd())
        view->setDiagnostics(*found);
    m_impl->updateTab(path);
    m_impl->tabs->setCurrentIndex(index);
    m_impl->stack->setCurrentIndex(1);
    return true;
}

void CodeWorkspace::setDiagnostics(const QHash<QString, QList<Diagnostic>> &byPath)
{
    m_impl->diagnostics = byPath;
    for (int i = 0; i < m_impl->tabs->count(); ++i) {
        if (CodeView *view = m_impl->viewAt(i))
            view->setDiagnostics(byPath.value(view->document()->fileName()));
    }
}

CodeView *CodeWorkspace::currentView() const
{
    return m_impl->viewAt(m_impl->tabs->currentIndex());
}

QString CodeWorkspace::currentFile() const
{
    const CodeView *view = currentView();
    return view && view->document() ? view->document()->fileName() : QString();
}

CodeDocument *CodeWorkspace::document(const QString &path)
{
    return m_impl->ensureDocument(path);
}

void CodeWorkspace::setLanguageHint(const QString &runtime)
{
    const QString id = runtime.toLower();
    if (id.startsWith(QLatin1String("python")))
        m_impl->languageHint = QStringLiteral("python");
    else if (id.startsWith(QLatin1String("node")))
        m_impl->languageHint = QStringLiteral("node");
    else
        m_impl->languageHint.clear();
}

void CodeWorkspace::setRootName(const QString &name)
{
    m_impl->model->setRootName(name);
    if (!name.isEmpty())
        m_impl->tree->expand(m_impl->model->index(0, 0));
}

void CodeWorkspace::setReadOnly(bool readOnly)
{
    m_impl->readOnly = readOnly;
    for (int i = 0; i < m_impl->tabs->count(); ++i) {
        if (CodeView *view = m_impl->viewAt(i))
            view->setReadOnly(readOnly || m_impl->entries.at(view->document()->fileName()).binary);
    }
}

bool CodeWorkspace::isReadOnly() const
{
    return m_impl->readOnly;
}

bool CodeWorkspace::createFile(const QString &path, const QByteArray &content, QString *error)
{
    if (m_impl->readOnly)
        return fail(error, tr("This code is read-only."));
    if (const QString problem = detail::pathError(path); !problem.isEmpty())
        return fail(error, problem);
    if (m_impl->model->contains(path))
        return fail(error, tr("'%1' already exists.").arg(path));
    for (QString parent = parentOf(path); !parent.isEmpty(); parent = parentOf(parent)) {
        if (m_impl->entries.count(parent))
            return fail(error, tr("'%1' is a file, not a folder.").arg(parent));
    }
    FileEntry entry;
    entry.content = content;
    entry.binary = detail::isBinary(content);
    entry.createdSinceSave = true;
    m_impl->entries[path] = std::move(entry);
    m_impl->model->addFile(path);
    m_impl->revealInTree(path);
    m_impl->updateModified();
    return true;
}

bool CodeWorkspace::createFolder(const QString &path, QString *error)
{
    if (m_impl->readOnly)
        return fail(error, tr("This code is read-only."));
    if (const QString problem = detail::pathError(path); !problem.isEmpty())
        return fail(error, problem);
    if (m_impl->model->contains(path))
        return fail(error, tr("'%1' already exists.").arg(path));
    for (QString parent = parentOf(path); !parent.isEmpty(); parent = parentOf(parent)) {
        if (m_impl->entries.count(parent))
            return fail(error, tr("'%1' is a file, not a folder.").arg(parent));
    }
    // An empty folder is not a file: it shows in the tree but not in files().
    m_impl->model->addFolder(path);
    m_impl->revealInTree(path);
    return true;
}

bool CodeWorkspace::renamePath(const QString &from, const QString &to, QString *error)
{
    if (m_impl->readOnly)
        return fail(error, tr("This code is read-only."));
    if (from.isEmpty() || !m_impl->model->contains(from))
        return fail(error, tr("'%1' does not exist.").arg(from));
    if (from == to)
        return true;
    const QString previousFile = currentFile();
    if (const QString problem = detail::pathError(to); !problem.isEmpty())
        return fail(error, problem);
    if (m_impl->model->contains(to))
        return fail(error, tr("'%1' already exists.").arg(to));
    if (to.startsWith(from + QLatin1Char('/')))
        return fail(error, tr("A folder cannot move into itself."));
    for (QString parent = parentOf(to); !parent.isEmpty(); parent = parentOf(parent)) {
        if (m_impl->entries.count(parent))
            return fail(error, tr("'%1' is a file, not a folder.").arg(parent));
    }

    const QString prefix = from + QLatin1Char('/');
    QStringList moved;
    for (const auto &[path, entry] : m_impl->entries) {
        if (path == from || path.startsWith(prefix))
            moved.append(path);
    }
    for (const QString &oldPath : moved) {
        const QString newPath = to + oldPath.mid(from.size());
        auto node = m_impl->entries.extract(oldPath);
        node.key() = newPath;
        FileEntry &entry = node.mapped();
        if (entry.document) {
            entry.document->setFileName(newPath);
            if (!entry.binary)
                entry.document->setLanguage(languageForFileName(newPath));
        }
        m_impl->entries.insert(std::move(node));
        const int tab = m_impl->tabForPath(newPath);
        if (tab >= 0)
            m_impl->tabs->setTabToolTip(tab, newPath);
        m_impl->updateTab(newPath);
    }
    m_impl->model->renamePath(from, to);
    m_impl->revealInTree(to);
    m_impl->updateModified();
    if (currentFile() != previousFile)
        m_impl->onCurrentTabChanged();
    return true;
}

bool CodeWorkspace::removePath(const QString &path, QString *error)
{
    if (m_impl->readOnly)
        return fail(error, tr("This code is read-only."));
    if (path.isEmpty() || !m_impl->model->contains(path))
        return fail(error, tr("'%1' does not exist.").arg(path));
    const QString prefix = path + QLatin1Char('/');
    for (auto it = m_impl->entries.begin(); it != m_impl->entries.end();) {
        if (it->first != path && !it->first.startsWith(prefix)) {
            ++it;
            continue;
        }
        const int tab = m_impl->tabForPath(it->first);
        if (tab >= 0)
            m_impl->closeTab(tab);
        delete it->second.document;
        it = m_impl->entries.erase(it);
    }
    m_impl->model->removePath(path);
    m_impl->updateModified();
    return true;
}

CodeDocument *CodeWorkspace::Impl::ensureDocument(const QString &path)
{
    const auto it = entries.find(path);
    if (it == entries.end())
        return nullptr;
    FileEntry &entry = it->second;
    if (entry.document)
        return entry.document;
    auto *document = new CodeDocument(q); // owned by the workspace (Qt parent)
    document->setFileName(path);
    if (entry.binary) {
        document->setText(CodeWorkspace::tr("%1 is not UTF-8 text (%2 bytes); it is kept as is "
                                            "and cannot be edited here.")
                              .arg(path)
                              .arg(entry.content.size()));
    } else {
        document->setLanguage(languageForFileName(path)); // before the text: lex once
        document->setText(QString::fromUtf8(entry.content));
    }
    QObject::connect(document, &CodeDocument::modifiedChanged, q, [this, document] {
        updateTab(document->fileName());
        updateModified();
    });
    entry.document = document;
    return document;
}

CodeView *CodeWorkspace::Impl::viewAt(int index) const
{
    QWidget *page = tabs->widget(index);
    return page ? page->findChild<CodeView *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

int CodeWorkspace::Impl::tabForPath(const QString &path) const
{
    for (int i = 0; i < tabs->count(); ++i) {
        const CodeView *view = viewAt(i);
        if (view && view->document() && view->document()->fileName() == path)
            return i;
    }
    return -1;
}

void CodeWorkspace::Impl::closeTab(int index)
{
    QWidget *page = tabs->widget(index);
    tabs->removeTab(index);
    delete page; // the document stays: closing a tab never loses edits
    if (tabs->count() == 0)
        stack->setCurrentIndex(0);
}

void CodeWorkspace::Impl::updateTab(const QString &path)
{
    const int index = tabForPath(path);
    const auto it = entries.find(path);
    if (index < 0 || it == entries.end())
        return;
    const QString name = QFileInfo(path).fileName();
    // The dot stands in for Cloud9's unsaved-changes circle.
    tabs->setTabText(index, isEntryModified(path, it->second) ? name + QStringLiteral(" \u2022")
                                                              : name);
}

bool CodeWorkspace::Impl::isEntryModified(const QString &path, const FileEntry &entry) const
{
    return entry.createdSinceSave || !savedPaths.contains(path) ||
           (entry.document && !entry.binary && entry.document->isModified());
}

void CodeWorkspace::Impl::updateModified()
{
    bool modified = qsizetype(entries.size()) != savedPaths.size();
    for (auto it = entries.begin(); !modified && it != entries.end(); ++it)
        modified = isEntryModified(it->first, it->second);
    if (modified == lastModified)
        return;
    lastModified = modified;
    emit q->modifiedChanged(modified);
}

void CodeWorkspace::Impl::updateStatus()
{
    const CodeView *view = q->currentView();
    status->setVisible(view != nullptr);
    if (!view || !view->document()) {
        status->clear();
        return;
    }
    const Language language = view->document()->language();
    const int column = std::max(1, view->property(kColumnProperty).toInt());
    status->setText(CodeWorkspace::tr("Ln %1, Col %2     %3     Spaces: %4")
                        .arg(view->cursorLine())
                        .arg(column)
                        .arg(detail::languageName(language))
                        .arg(detail::indentWidth(language)));
}

void CodeWorkspace::Impl::onCurrentTabChanged()
{
    const QString path = q->currentFile();
    if (!path.isEmpty())
        revealInTree(path);
    updateStatus();
    emit q->currentFileChanged(path);
}

} // namespace lambdesk::editor
