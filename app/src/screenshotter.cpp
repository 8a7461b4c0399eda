#include "screenshotter.h"

#include "function/functionpage.h"
#include "function/testtab.h"
#include "guestimagecontroller.h"
#include "mainwindow.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QTimer>
#include <cstdio>

namespace lambdesk::app {
namespace {

constexpr int kLoadTimeoutMs = 120'000;
// After the screen reports loaded: let queued layout, chart and status-bar updates land.
constexpr int kSettleMs = 600;

} // namespace

Screenshotter::Screenshotter(MainWindow *window, const QString &path, bool runTest, QObject *parent)
    : QObject(parent), m_window(window), m_path(path), m_runTest(runTest)
{
}

void Screenshotter::start()
{
    connect(m_window, &MainWindow::currentScreenLoaded, this, &Screenshotter::screenReady);
    if (m_window->isCurrentScreenLoaded())
        QTimer::singleShot(0, this, &Screenshotter::screenReady);
    QTimer::singleShot(kLoadTimeoutMs, this, [this] {
        if (m_done)
            return;
        std::fprintf(stderr, "lambdesk: the screen did not finish loading within %d s\n", kLoadTimeoutMs / 1000);
        QCoreApplication::exit(1);
    });
}

void Screenshotter::screenReady()
{
    // A guest image build the window started shows its banner: capture it with a real step
    // and percentage, not the moment before the build printed anything.
    GuestImageController *image = m_window->guestImage();
    if (!m_waitedForImage && image->state() == GuestImageController::State::Building) {
        m_waitedForImage = true;
        auto resume = [this, image] {
            image->disconnect(this);
            screenReady();
        };
        connect(image, &GuestImageController::progress, this, resume);
        connect(image, &GuestImageController::stateChanged, this, [resume](GuestImageController::State state) {
            if (state != GuestImageController::State::Building)
                resume();
        });
        return;
    }
    FunctionPage *page = m_window->functionPage();
    if (m_runTest && page && page->currentTab() == FunctionPage::Tab::Test) {
        m_runTest = false; // once
        connect(page->testTab(), &TestTab::invoked, this, [this] { QTimer::singleShot(kSettleMs, this, &Screenshotter::capture); });
        page->testTab()->runTest();
        return;
    }
    if (!m_runTest)
        QTimer::singleShot(kSettleMs, this, &Screenshotter::capture);
}

void Screenshotter::capture()
{
    if (m_done)
        return;
    m_done = true;
    const bool saved = m_window->grab().save(m_path, "PNG");
    if (!saved)
        std::fprintf(stderr, "lambdesk: cannot write %s\n", qPrintable(m_path));
    else
        std::fprintf(stdout, "lambdesk: saved %s\n", qPrintable(m_path));
    QCoreApplication::exit(saved ? 0 : 1);
}

} // namespace lambdesk::app
