#include "windowgeometry.h"

#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QStyle>
#include <QWidget>

namespace lambdesk::app {
namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
constexpr QSize kPreferredSize(1440, 900);
// Before the window is shown its frame is unknown; this leaves room for a title bar and borders.
constexpr QSize kFrameAllowance(32, 64);

QSettings userSettings()
{
    return QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("lambdesk"),
                     QStringLiteral("lambdesk"));
}

} // namespace

void restoreWindowGeometry(QWidget *window)
{
    const QByteArray saved = userSettings().value(kGeometryKey).toByteArray();
    // restoreGeometry() itself moves a window that was left on a screen that is gone.
    if (!saved.isEmpty() && window->restoreGeometry(saved))
        return;
    const QScreen *screen = QGuiApplication::primaryScreen();
    if (!screen) {
        window->resize(kPreferredSize);
        return;
    }
    const QRect available = screen->availableGeometry();
    window->setGeometry(QStyle::alignedRect(
        Qt::LeftToRight, Qt::AlignCenter,
        kPreferredSize.boundedTo(available.size() - kFrameAllowance), available));
}

void saveWindowGeometry(const QWidget *window)
{
    userSettings().setValue(kGeometryKey, window->saveGeometry());
}

} // namespace lambdesk::app
