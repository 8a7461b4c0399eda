#pragma once
// The console window: navy top bar, breadcrumbs, left navigation, the current screen, and a
// status bar with the engine state, the API address and the warm environments.

#include "function/functionpage.h"

#include <QMainWindow>
#include <QPointer>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class CreateFunctionPage;
class CreateLayerPage;
class DashboardPage;
class LayersPage;
class QueuesPage;
class FunctionListPage;
class GuestImageBanner;
class GuestImageController;
class InvocationFeed;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // apiAddress: "http://127.0.0.1:9001", or empty when the REST API is off.
    MainWindow(engine::Engine &engine, const QString &apiAddress, QWidget *parent = nullptr);
    ~MainWindow() override;

    void showFunctions();
    void showLayers();
    void showDashboard();
    void showCreateLayer(const QString &layerName = {}); // empty: a new layer
    void showQueues();
    void showCreateFunction(bool blueprint = false);
    // tab: "code", "test", ... (empty: Code); flash: a success message shown on the page.
    void openFunction(const QString &name, const QString &tab = {}, const QString &flash = {},
                      const QString &testEvent = {});
    bool isCurrentScreenLoaded() const;
    // The status bar names the REST API's authentication; with configureLines (verify mode) a
    // "Credentials" button shows the lines that set up the CLI profile.
    void showApiAuth(const QString &mode, const QStringList &configureLines);

    FunctionListPage *functionListPage() const { return m_functions; }
    CreateFunctionPage *createFunctionPage() const { return m_create; }
    LayersPage *layersPage() const { return m_layers; }
    QueuesPage *queuesPage() const { return m_queues; }
    DashboardPage *dashboardPage() const { return m_dashboard; }
    CreateLayerPage *createLayerPage() const { return m_createLayer; }
    FunctionPage *functionPage() const { return m_functionPage; }
    InvocationFeed *feed() const { return m_feed; }
    QLabel *statusLabel() const { return m_statusEngine; }
    GuestImageController *guestImage() const { return m_guestImage; }
    GuestImageBanner *guestImageBanner() const { return m_imageBanner; }

signals:
    void currentScreenLoaded();

private:
    QWidget *buildTopBar();
    QWidget *buildSideNav();
    void setBreadcrumbs(const QStringList &crumbs);
    void setCurrent(QWidget *screen);
    void pollStatus();
    void closeFunctionPage();
    void prepareGuestImage();

    engine::Engine &m_engine;
    QString m_apiAddress;
    QPushButton *m_statusCredentials = nullptr;
    InvocationFeed *m_feed;
    GuestImageController *m_guestImage;
    GuestImageBanner *m_imageBanner;
    QLabel *m_breadcrumbs;
    QStackedWidget *m_stack;
    FunctionListPage *m_functions;
    CreateFunctionPage *m_create;
    LayersPage *m_layers;
    QueuesPage *m_queues;
    DashboardPage *m_dashboard;
    CreateLayerPage *m_createLayer;
    QPointer<FunctionPage> m_functionPage;
    QPushButton *m_navFunctions;
    QPushButton *m_navLayers;
    QPushButton *m_navQueues;
    QPushButton *m_navDashboard;
    QLabel *m_statusEngine;
    QLabel *m_statusApi;
    QLabel *m_statusWarm;
    QLabel *m_statusSandbox;
    QTimer *m_statusTimer;
    bool m_polling = false;
};

} // namespace lambdesk::app
