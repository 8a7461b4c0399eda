#include "jsontext.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonDocument>

namespace lambdesk::app {
namespace {

// QJsonDocument only takes an object or array at the top, so wrap the text in an array: that
// accepts every JSON value, and error offsets just shift by the one '[' byte.
QJsonDocument parseWrapped(const QByteArray &utf8, QJsonParseError *error)
{
    return QJsonDocument::fromJson('[' + utf8 + "\n]", error);
}

JsonProblem problemAt(const QByteArray &utf8, int offset, const QString &message)
{
    offset = std::clamp(offset, 0, int(utf8.size()));
    const QString before = QString::fromUtf8(utf8.left(offset));
    JsonProblem problem;
    problem.line = int(before.count(QLatin1Char('\n'))) + 1;
    problem.column = int(before.size() - (before.lastIndexOf(QLatin1Char('\n')) + 1)) + 1;
    problem.message = message;
    return problem;
}

} // namespace

std::optional<JsonProblem> checkJson(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.trimmed().isEmpty())
        return JsonProblem{1, 1, QStringLiteral("The event is empty; enter a JSON value such as {}.")};
    QJsonParseError error;
    const QJsonDocument document = parseWrapped(utf8, &error);
    if (error.error != QJsonParseError::NoError)
        return problemAt(utf8, error.offset - 1, error.errorString());
    if (document.array().size() != 1)
        return problemAt(utf8, int(utf8.size()), QStringLiteral("more than one JSON value"));
    return std::nullopt;
}

QString prettyJson(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = parseWrapped(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return text;
    const QJsonValue value = document.array().first();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    return text.trimmed();
}

} // namespace lambdesk::app
