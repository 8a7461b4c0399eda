#pragma once
// Test event templates embedded from resources/events/ (hello-world plus the SAM CLI samples)
// and the console's rule for saved event names.

#include <QString>
#include <QStringList>

namespace lambdesk::app {

QStringList eventTemplateNames();                 // "hello-world" first, then alphabetical
QString eventTemplate(const QString &name);       // JSON text; empty when unknown
// Empty when fine, else the message to show under the Event name field.
QString eventNameProblem(const QString &name);

} // namespace lambdesk::app
