#include "screens/starters.h"

#include "format.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <algorithm>

namespace lambdesk::app {

std::vector<engine::CodeFile> starterFiles(const QString &runtimeId)
{
    std::vector<engine::CodeFile> files;
    const QDir dir(QStringLiteral(":/starters/") + runtimeFamily(runtimeId));
    QDirIterator it(dir.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QString name = dir.relativeFilePath(file.fileName());
        // Resources carry no file modes: the custom runtime's entry point must be executable.
        files.push_back({name.toStdString(), file.readAll().toStdString(), name == QLatin1String("bootstrap")});
    }
    std::sort(files.begin(), files.end(),
              [](const auto &a, const auto &b) { return a.path < b.path; });
    return files;
}

QString starterHandler(const QString &runtimeId)
{
    const QString family = runtimeFamily(runtimeId);
    if (family == QLatin1String("python") || family == QLatin1String("ruby"))
        return QStringLiteral("lambda_function.lambda_handler");
    if (family == QLatin1String("nodejs"))
        return QStringLiteral("index.handler");
    if (family == QLatin1String("java"))
        return QStringLiteral("example.Hello::handleRequest");
    return QStringLiteral("function.handler");
}

} // namespace lambdesk::app
