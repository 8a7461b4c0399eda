#include "lambdesk/editor/codedocument.h"

#include "documentimpl.h"

#include <QFileInfo>
#include <QHash>

namespace lambdesk::editor {

Language languageForFileName(const QString &fileName)
{
    const QString name = QFileInfo(fileName).fileName().toLower();
    // Lambda custom runtimes start from an extensionless shell script called "bootstrap".
    if (name == QLatin1String("bootstrap"))
        return Language::Shell;
    if (name == QLatin1String("gemfile") || name == QLatin1String("rakefile"))
        return Language::Ruby;
    if (name == QLatin1String("go.mod") || name == QLatin1String("go.sum"))
        return Language::PlainText;
    static const QHash<QString, Language> bySuffix = {
        {QStringLiteral("py"), Language::Python},
        {QStringLiteral("pyi"), Language::Python},
        {QStringLiteral("pyw"), Language::Python},
        {QStringLiteral("js"), Language::JavaScript},
        {QStringLiteral("mjs"), Language::JavaScript},
        {QStringLiteral("cjs"), Language::JavaScript},
        {QStringLiteral("jsx"), Language::JavaScript},
        {QStringLiteral("ts"), Language::JavaScript},
        {QStringLiteral("mts"), Language::JavaScript},
        {QStringLiteral("cts"), Language::JavaScript},
        {QStringLiteral("tsx"), Language::JavaScript},
        {QStringLiteral("rb"), Language::Ruby},
        {QStringLiteral("gemspec"), Language::Ruby},
        {QStringLiteral("java"), Language::Java},
        {QStringLiteral("go"), Language::Go},
        {QStringLiteral("json"), Language::Json},
        {QStringLiteral("jsonc"), Language::Json},
        {QStringLiteral("sh"), Language::Shell},
        {QStringLiteral("bash"), Language::Shell},
        {QStringLiteral("yml"), Language::Yaml},
        {QStringLiteral("yaml"), Language::Yaml},
        {QStringLiteral("md"), Language::Markdown},
        {QStringLiteral("markdown"), Language::Markdown},
    };
    const int dot = name.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0) // no suffix, or a dot file such as ".env"
        return Language::PlainText;
    return bySuffix.value(name.mid(dot + 1), Language::PlainText);
}

CodeDocument::CodeDocument(QObject *parent) : QObject(parent), m_impl(std::make_unique<Impl>())
{
    m_impl->host = std::make_unique<QsciScintilla>();
    m_impl->host->setUtf8(true);
    m_impl->host->setEolMode(QsciScintilla::EolUnix);
    // Fires for edits made through any view, because all views share the host's document.
    connect(m_impl->host.get(), &QsciScintilla::textChanged, this, [this] {
        if (m_impl->loading)
            return;
        QsciScintilla *host = m_impl->host.get();
        // Comparing lengths first keeps typing cheap; full text is compared only when they match.
        const bool nowModified =
            host->length() != m_impl->savedLength || host->text() != m_impl->savedText;
        emit textChanged();
        if (nowModified != m_impl->modified) {
            m_impl->modified = nowModified;
            emit modifiedChanged(nowModified);
        }
    });
}

CodeDocument::~CodeDocument() = default;

QString CodeDocument::text() const
{
    return m_impl->host->text();
}

void CodeDocument::setText(const QString &text)
{
    m_impl->savedText = text;
    m_impl->savedLength = text.toUtf8().size();
    m_impl->windowsLineEnds = text.contains(QLatin1String("\r\n"));
    m_impl->loading = true;
    m_impl->host->setText(text);
    m_impl->loading = false;
    // Undo must not walk back past the loaded text into an empty buffer.
    m_impl->host->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
    emit textChanged();
    if (m_impl->modified) {
        m_impl->modified = false;
        emit modifiedChanged(false);
    }
}

Language CodeDocument::language() const
{
    return m_impl->language;
}

void CodeDocument::setLanguage(Language language)
{
    if (language == m_impl->language)
        return;
    m_impl->language = language;
    emit languageChanged(language);
}

QString CodeDocument::fileName() const
{
    return m_impl->fileName;
}

void CodeDocument::setFileName(const QString &fileName)
{
    m_impl->fileName = fileName;
}

bool CodeDocument::isModified() const
{
    return m_impl->modified;
}

void CodeDocument::markSaved()
{
    m_impl->savedText = m_impl->host->text();
    m_impl->savedLength = m_impl->host->length();
    if (m_impl->modified) {
        m_impl->modified = false;
        emit modifiedChanged(false);
    }
}

} // namespace lambdesk::editor
