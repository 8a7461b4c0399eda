#pragma once
// Conversions between the engine's code files and the editor workspace's.

#include "lambdesk/editor/codeworkspace.h"
#include "lambdesk/engine/types.h"

#include <QList>
#include <vector>

namespace lambdesk::app {

QList<editor::EditorFile> toEditorFiles(const std::vector<engine::CodeFile> &files);
std::vector<engine::CodeFile> toCodeFiles(const QList<editor::EditorFile> &files);
// Same paths, contents and modes, in any order.
bool sameFiles(std::vector<engine::CodeFile> a, std::vector<engine::CodeFile> b);

} // namespace lambdesk::app
