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

QList<editor::FileDiff> toEditorDiff(const std::vector<engine::FileDiff> &files)
{
    auto change = [](engine::FileDiff::Change c) {
        switch (c) {
        case engine::FileDiff::Change::Added:
            return editor::FileDiff::Change::Added;
        case engine::FileDiff::Change::Deleted:
            return editor::FileDiff::Change::Deleted;
        case engine::FileDiff::Change::Modified:
            break;
        }
        return editor::FileDiff::Change::Modified;
    };
    auto kind = [](engine::DiffLine::Kind k) {
        switch (k) {
        case engine::DiffLine::Kind::Added:
            return editor::DiffLine::Kind::Added;
        case engine::DiffLine::Kind::Removed:
            return editor::DiffLine::Kind::Removed;
        case engine::DiffLine::Kind::Context:
            break;
        }
        return editor::DiffLine::Kind::Context;
    };
    QList<editor::FileDiff> result;
    result.reserve(qsizetype(files.size()));
    for (const engine::FileDiff &file : files) {
        editor::FileDiff out{QString::fromStdString(file.path),
                             change(file.change),
                             file.binary,
                             file.modeChanged,
                             file.addedLines,
                             file.removedLines,
                             {}};
        out.lines.reserve(qsizetype(file.lines.size()));
        for (const engine::DiffLine &line : file.lines)
            out.lines.append(
                {kind(line.kind), line.oldLine, line.newLine, QString::fromStdString(line.text)});
        result.append(std::move(out));
    }
    return result;
}

QString handlerFile(const QList<editor::EditorFile> &files, const QString &handler,
                    const QString &runtime)
{
    if (runtime.startsWith(QLatin1String("provided"))) {
        // A Go module's source, not the bootstrap Deploy builds from it.
        for (const char *entry : {"main.go", "bootstrap"}) {
            for (const editor::EditorFile &file : files) {
                if (file.path == QLatin1String(entry))
                    return file.path;
            }
        }
    }
    if (runtime.startsWith(QLatin1String("java"))) {
        // "example.Hello::handleRequest": the source of example.Hello, wherever its tree starts.
        const QString source = handler.left(handler.indexOf(QLatin1String("::")))
                                   .replace(QLatin1Char('.'), QLatin1Char('/')) +
                               QLatin1String(".java");
        for (const editor::EditorFile &file : files) {
            if (file.path == source || file.path.endsWith(QLatin1Char('/') + source))
                return file.path;
        }
        // A source outside its package's folders (javac takes it anywhere): by its file name.
        const QString name = source.mid(source.lastIndexOf(QLatin1Char('/')) + 1);
        for (const editor::EditorFile &file : files) {
            if (file.path == name || file.path.endsWith(QLatin1Char('/') + name))
                return file.path;
        }
    }
    const QString module = handler.left(handler.lastIndexOf(QLatin1Char('.')));
    for (const editor::EditorFile &file : files) {
        const QString path = file.path;
        const QString stem = path.left(path.lastIndexOf(QLatin1Char('.')));
        if (!module.isEmpty() && stem == module)
            return path;
    }
    return files.isEmpty() ? QString() : files.first().path;
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
