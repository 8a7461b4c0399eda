#pragma once
// The one place an engine error becomes the text a user reads in a banner, a form or a dialog.
// The engine's messages are already in AWS's words ("Function not found: arn:..."); screens add
// what they were doing ("Publishing a version failed: %1"), never their own wording of the cause.

#include "lambdesk/engine/result.h"

#include <QString>

namespace lambdesk::app {

QString engineErrorText(const engine::Error &error);

} // namespace lambdesk::app
