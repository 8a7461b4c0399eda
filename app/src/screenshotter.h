#pragma once
// --screenshot: waits until the window's current screen has loaded (and, with --run-test, until
// the test run finished), renders the window to a PNG and quits the application.

#include <QObject>
#include <QString>

namespace lambdesk::app {

class MainWindow;

class Screenshotter : public QObject {
    Q_OBJECT
public:
    Screenshotter(MainWindow *window, const QString &path, bool runTest, QObject *parent = nullptr);
    void start(); // call after the window is shown and the screen was chosen

private:
    void screenReady();
    void capture();
    MainWindow *m_window;
    QString m_path;
    bool m_runTest;
    bool m_done = false;
    bool m_waitedForImage = false;
};

} // namespace lambdesk::app
