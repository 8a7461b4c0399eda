#include "function/codefiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <algorithm>

namespace lambdesk::app {

QList<editor::EditorFile> toEditorFiles(const std::vector<engine::CodeFile> &files)
{
    QList<editor::EditorFile> result;
    result.reserve(qsizetype(files.size()));
    for (const engine::CodeFile &file : files)
        result.append({QString::fromStdString(file.path), QByteArray::fromStdString(file.content), file.executable});
    return result;
}

std::vector<engine::CodeFile> toCodeFiles(const QList<editor::EditorFile> &files)
{
    std::vector<engine::CodeFile> result;
    result.reserve(std::size_t(files.size()));
    for (const editor::EditorFile &file : files)
        result.push_back({file.path.toStdString(), file.content.toStdString(), file.executable});
    return result;
}

std::vector<engine::CodeFile> filesInFolder(const QString &folder)
{
    std::vector<engine::CodeFile> files;
    const QDir root(folder);
    QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::NoSymLinks,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = root.relativeFilePath(path);
        if (relative.startsWith(QLatin1String(".git/")))
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        files.push_back({relative.toStdString(), file.readAll().toStdString(),
                         bool(file.permissions() & QFileDevice::ExeOwner)});
    }
    return files;
}

bool sameFiles(std::vector<engine::CodeFile> a, std::vector<engine::CodeFile> b)
{
    if (a.size() != b.size())
        return false;
    auto byPath = [](const engine::CodeFile &x, const engine::CodeFile &y) { return x.path < y.path; };
    std::sort(a.begin(), a.end(), byPath);
    std::sort(b.begin(), b.end(), byPath);
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].path != b[i].path || a[i].content != b[i].content || a[i].executable != b[i].executable)
            return false;
    }
    return true;
}

} // namespace lambdesk::app
