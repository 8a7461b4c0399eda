#include "screens/starters.h"

#include "format.h"

#include <QDir>
#include <QFile>

namespace lambdesk::app {

std::vector<engine::CodeFile> starterFiles(const QString &runtimeId)
{
    std::vector<engine::CodeFile> files;
    const QDir dir(QStringLiteral(":/starters/") + runtimeFamily(runtimeId));
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        // Resources carry no file modes: the custom runtime's entry point must be executable.
        files.push_back({name.toStdString(), file.readAll().toStdString(), name == QLatin1String("bootstrap")});
    }
    return files;
}

QString starterHandler(const QString &runtimeId)
{
    const QString family = runtimeFamily(runtimeId);
    if (family == QLatin1String("python") || family == QLatin1String("ruby"))
        return QStringLiteral("lambda_function.lambda_handler");
    if (family == QLatin1String("nodejs"))
        return QStringLiteral("index.handler");
    return QStringLiteral("function.handler");
}

} // namespace lambdesk::app
