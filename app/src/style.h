#pragma once
// The app's look: embedded resources and the console stylesheet (resources/style/lambdesk.qss).

class QApplication;

namespace lambdesk::app {

// Registers the embedded resources (the qrc sits in a static library, whose unreferenced
// initialiser the linker would drop). Call once before loading any ":/" path.
void initResources();
// Sets the Fusion style, palette and stylesheet.
void applyStyle(QApplication &application);

} // namespace lambdesk::app
