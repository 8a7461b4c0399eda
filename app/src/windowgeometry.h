#pragma once

class QWidget;

namespace lambdesk::app {

// The main window's size and place: where the user left it last time (the user's settings), or on
// a first start the console's preferred 1440×900, shrunk to the screen's free area and centred.
void restoreWindowGeometry(QWidget *window);
void saveWindowGeometry(const QWidget *window);

} // namespace lambdesk::app
