#include "function/eventtemplates.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace lambdesk::app {

QStringList eventTemplateNames()
{
    QStringList names;
    for (const QString &file : QDir(QStringLiteral(":/events")).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        names << file.chopped(5);
    if (names.removeOne(QStringLiteral("hello-world")))
        names.prepend(QStringLiteral("hello-world"));
    return names;
}

QString eventTemplate(const QString &name)
{
    QFile file(QStringLiteral(":/events/%1.json").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

QString eventNameProblem(const QString &name)
{
    static const QRegularExpression rule(QStringLiteral("^[A-Za-z0-9._-]{1,25}$"));
    if (name.isEmpty())
        return QStringLiteral("Enter an event name.");
    if (!rule.match(name).hasMatch())
        return QStringLiteral("Maximum of 25 characters consisting of letters, numbers, dots, hyphens and underscores.");
    return {};
}

} // namespace lambdesk::app
