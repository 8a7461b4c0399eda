#include "errortext.h"

namespace lambdesk::app {

QString engineErrorText(const engine::Error &error)
{
    const QString message = QString::fromStdString(error.message).trimmed();
    return message.isEmpty() ? QStringLiteral("The engine reported an error without a message.")
                             : message;
}

} // namespace lambdesk::app
