#pragma once
// SIGTERM / SIGINT / SIGHUP end the event loop like closing the window, so the window's
// teardown runs (edits are kept as drafts) and the engine closes cleanly. Unix self-pipe:
// the handler only writes a byte; a socket notifier quits on the GUI thread.

namespace lambdesk::app {

// Call once, after the QApplication exists.
void quitOnTerminationSignals();

} // namespace lambdesk::app
