#pragma once
// Conversions between the engine's code files and the editor workspace's.

#include "lambdesk/editor/codediffview.h"
#include "lambdesk/editor/codeworkspace.h"
#include "lambdesk/engine/codediff.h"
#include "lambdesk/engine/types.h"

#include <QList>
#include <QString>
#include <vector>

namespace lambdesk::app {

QList<editor::EditorFile> toEditorFiles(const std::vector<engine::CodeFile> &files);
std::vector<engine::CodeFile> toCodeFiles(const QList<editor::EditorFile> &files);
// The file the handler lives in ("lambda_function.lambda_handler" -> lambda_function.py; the
// bootstrap of a provided runtime), else the first file; "" when there are none.
QString handlerFile(const QList<editor::EditorFile> &files, const QString &handler,
                    const QString &runtime);
QList<editor::FileDiff> toEditorDiff(const std::vector<engine::FileDiff> &files);
// Every regular file under `folder` (symlinks and hidden VCS folders skipped), with paths relative
// to it and the owner's execute bit: what "Upload a folder" sends. Reads the disk: call it off
// the GUI thread.
std::vector<engine::CodeFile> filesInFolder(const QString &folder);
// Same paths, contents and modes, in any order.
bool sameFiles(std::vector<engine::CodeFile> a, std::vector<engine::CodeFile> b);

} // namespace lambdesk::app
