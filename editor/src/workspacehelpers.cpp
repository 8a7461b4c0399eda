#include "workspaceimpl.h"

#include <QStringDecoder>

namespace lambdesk::editor {

namespace detail {

QString pathError(const QString &path)
{
    if (path.isEmpty())
        return CodeWorkspace::tr("The name is empty.");
    if (path.size() > 1024)
        return CodeWorkspace::tr("The path is longer than 1024 characters.");
    if (path.startsWith(QLatin1Char('/')) || path.endsWith(QLatin1Char('/')))
        return CodeWorkspace::tr("'%1' must not start or end with '/'.").arg(path);
    if (path.contains(QLatin1Char('\\')))
        return CodeWorkspace::tr("'%1' contains '\\'; use '/' between folders.").arg(path);
    for (const QChar c : path) {
        if (c.category() == QChar::Other_Control)
            return CodeWorkspace::tr("'%1' contains a control character.").arg(path);
    }
    for (const QString &part : path.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return CodeWorkspace::tr("'%1' has an empty, '.' or '..' part.").arg(path);
    }
    return {};
}

bool isBinary(const QByteArray &content)
{
    if (content.contains('\0'))
        return true;
    QStringDecoder decoder(QStringDecoder::Utf8);
    [[maybe_unused]] const QString decoded = decoder.decode(content);
    return decoder.hasError();
}

QString languageName(Language language)
{
    switch (language) {
    case Language::Python: return QStringLiteral("Python");
    case Language::JavaScript: return QStringLiteral("JavaScript");
    case Language::Ruby:
        return QStringLiteral("Ruby");
    case Language::Java:
        return QStringLiteral("Java");
    case Language::Go:
        return QStringLiteral("Go");
    case Language::Json: return QStringLiteral("JSON");
    case Language::Shell: return QStringLiteral("Shell");
    case Language::Yaml: return QStringLiteral("YAML");
    case Language::Markdown: return QStringLiteral("Markdown");
    case Language::PlainText: return QStringLiteral("Text");
    }
    return {};
}

} // namespace detail

} // namespace lambdesk::editor
