#include "mainwindow.h"

#include "async.h"
#include "function/configurationtab.h"
#include "function/functionpage.h"
#include "function/tagssection.h"
#include "guestimagecontroller.h"
#include "invocationfeed.h"
#include "screens/createfunctionpage.h"
#include "screens/createlayerpage.h"
#include "screens/dashboardpage.h"
#include "screens/functionlistpage.h"
#include "screens/layerspage.h"
#include "screens/queuespage.h"
#include "widgets/credentialsdialog.h"
#include "widgets/flashbar.h"
#include "widgets/guestimagebanner.h"
#include "widgets/ui.h"

#include "lambdesk/engine/engine.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace lambdesk::app {

MainWindow::MainWindow(engine::Engine &engine, const QString &apiAddress, QWidget *parent)
    : QMainWindow(parent), m_engine(engine), m_apiAddress(apiAddress)
{
    setWindowTitle(QStringLiteral("Lambdesk — Lambda console"));
    m_feed = new InvocationFeed(engine, this);
    m_guestImage = new GuestImageController(engine, this);

    auto *central = new QWidget(this);
    central->setObjectName(QStringLiteral("page"));
    auto *outer = new QVBoxLayout(central);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    outer->addWidget(buildTopBar());
    auto *row = new QHBoxLayout;
    row->setSpacing(0);
    row->addWidget(buildSideNav());
    auto *content = new QVBoxLayout;
    content->setContentsMargins(0, 0, 0, 0);
    content->setSpacing(0);
    m_breadcrumbs = new QLabel(central);
    m_breadcrumbs->setObjectName(QStringLiteral("breadcrumbs"));
    m_breadcrumbs->setContentsMargins(24, 12, 24, 4);
    m_breadcrumbs->setTextFormat(Qt::RichText);
    connect(m_breadcrumbs, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link == QLatin1String("functions"))
            showFunctions();
        else if (link == QLatin1String("layers"))
            showLayers();
        else if (link.startsWith(QLatin1String("function:")))
            openFunction(link.mid(9)); // from NAME:ALIAS back to NAME
    });
    content->addWidget(m_breadcrumbs);
    m_imageBanner = new GuestImageBanner(m_guestImage, central);
    m_imageBanner->setActive(false);
    auto *bannerRow = new QVBoxLayout;
    bannerRow->setContentsMargins(24, 8, 24, 0);
    bannerRow->addWidget(m_imageBanner);
    content->addLayout(bannerRow);
    m_stack = new QStackedWidget(central);
    content->addWidget(m_stack, 1);
    row->addLayout(content, 1);
    outer->addLayout(row, 1);
    setCentralWidget(central);

    m_functions = new FunctionListPage(engine, m_stack);
    m_create = new CreateFunctionPage(engine, m_stack);
    m_stack->addWidget(m_functions);
    m_stack->addWidget(m_create);
    connect(m_functions, &FunctionListPage::createRequested, this, [this] { showCreateFunction(); });
    connect(m_functions, &FunctionListPage::functionActivated, this, [this](const QString &name) { openFunction(name); });
    connect(m_functions, &FunctionListPage::loaded, this, [this] {
        if (m_stack->currentWidget() == m_functions)
            emit currentScreenLoaded();
    });
    m_dashboard = new DashboardPage(engine, m_feed, m_stack);
    m_stack->addWidget(m_dashboard);
    connect(m_dashboard, &DashboardPage::functionActivated, this,
            [this](const QString &name) { openFunction(name, QStringLiteral("monitor")); });
    connect(m_dashboard, &DashboardPage::loaded, this, [this] {
        if (m_stack->currentWidget() == m_dashboard)
            emit currentScreenLoaded();
    });
    m_layers = new LayersPage(engine, m_stack);
    m_createLayer = new CreateLayerPage(engine, m_stack);
    m_queues = new QueuesPage(engine, m_stack);
    m_stack->addWidget(m_queues);
    connect(m_queues, &QueuesPage::loaded, this, [this] {
        if (m_stack->currentWidget() == m_queues)
            emit currentScreenLoaded();
    });
    m_stack->addWidget(m_layers);
    m_stack->addWidget(m_createLayer);
    connect(m_layers, &LayersPage::createRequested, this, &MainWindow::showCreateLayer);
    connect(m_layers, &LayersPage::layerOpened, this, [this](const QString &name) {
        setBreadcrumbs({QStringLiteral("Layers"), name});
    });
    connect(m_layers, &LayersPage::loaded, this, [this] {
        if (m_stack->currentWidget() == m_layers)
            emit currentScreenLoaded();
    });
    connect(m_createLayer, &CreateLayerPage::loaded, this, [this] {
        if (m_stack->currentWidget() == m_createLayer)
            emit currentScreenLoaded();
    });
    connect(m_createLayer, &CreateLayerPage::cancelled, this, [this] {
        const QString layer = m_layers->currentLayer();
        showLayers();
        if (!layer.isEmpty())
            m_layers->showLayer(layer);
    });
    connect(
        m_createLayer, &CreateLayerPage::created, this,
        [this](const QString &name, qint64 version) {
            showLayers();
            m_layers->showLayer(name);
            m_layers->showFlash(
                int(Flashbar::Kind::Success),
                QStringLiteral("Successfully created layer %1 version %2.").arg(name).arg(version));
        });
    connect(m_create, &CreateFunctionPage::cancelled, this, &MainWindow::showFunctions);
    connect(m_create, &CreateFunctionPage::loaded, this, [this] {
        if (m_stack->currentWidget() == m_create)
            emit currentScreenLoaded();
    });
    connect(m_create, &CreateFunctionPage::functionCreated, this,
            [this](const QString &name, const QString &testEvent, const QString &trigger) {
                QString flash = QStringLiteral("Successfully created the function %1.").arg(name);
                flash +=
                    trigger.isEmpty()
                        ? QStringLiteral(
                              " You can now change its code and configuration. To invoke "
                              "your function with a test event, choose \"Test\".")
                        : QStringLiteral(" The trigger %1 was added: the function is now receiving "
                                         "events from it.")
                              .arg(trigger);
                openFunction(name, QString(), flash, testEvent);
            });

    auto *status = statusBar();
    m_statusEngine = new QLabel(QStringLiteral("Engine: starting"), status);
    m_statusEngine->setObjectName(QStringLiteral("engineState"));
    m_statusApi = new QLabel(apiAddress.isEmpty() ? QStringLiteral("Lambda API: off")
                                                  : QStringLiteral("Lambda API: %1").arg(apiAddress), status);
    m_statusWarm = new QLabel(status);
    m_statusSandbox = new QLabel(status);
    status->addWidget(m_statusEngine);
    status->addWidget(m_statusApi);
    m_statusCredentials = new QPushButton(QStringLiteral("Credentials"), status);
    m_statusCredentials->setObjectName(QStringLiteral("apiCredentials"));
    m_statusCredentials->setFlat(true);
    m_statusCredentials->setCursor(Qt::PointingHandCursor);
    m_statusCredentials->hide();
    status->addWidget(m_statusCredentials);
    status->addWidget(m_statusWarm);
    status->addPermanentWidget(m_statusSandbox);
    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(1000);
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::pollStatus);
    m_statusTimer->start();
    pollStatus();
    // Environments change with every invocation: show it now rather than at the next tick.
    connect(m_feed, &InvocationFeed::invocationRecorded, this, &MainWindow::pollStatus);

    showFunctions();
    prepareGuestImage();
}

MainWindow::~MainWindow() = default;

void MainWindow::prepareGuestImage()
{
    // microvm as the engine's default makes every function's first invocation a microVM start:
    // build the image now, in view, rather than fail that invocation. A built image gets the
    // quick refresh (rebuilds only when an input changed), which shows no banner.
    if (m_engine.options().defaultSandbox != "microvm")
        return;
    m_imageBanner->setActive(true);
    m_guestImage->ensureImage();
}

QWidget *MainWindow::buildTopBar()
{
    auto *bar = new QFrame(this);
    bar->setObjectName(QStringLiteral("topBar"));
    bar->setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(20, 0, 20, 0);
    layout->setSpacing(6);
    layout->addWidget(styledLabel(QStringLiteral("lambdesk"), "topBarLogo", bar));
    layout->addWidget(styledLabel(QStringLiteral("λ"), "topBarLogoAccent", bar));
    layout->addSpacing(24);
    layout->addWidget(styledLabel(QStringLiteral("Services ▾"), "topBarItem", bar));
    layout->addStretch();
    auto *region = styledLabel(QStringLiteral("%1 ▾").arg(QString::fromStdString(m_engine.options().region)), "topBarItem", bar);
    region->setToolTip(QStringLiteral("Region the local engine reports in ARNs"));
    layout->addWidget(region);
    layout->addSpacing(16);
    layout->addWidget(styledLabel(QStringLiteral("local (%1)").arg(QString::fromStdString(m_engine.options().accountId)),
                                  "topBarItem", bar));
    return bar;
}

QWidget *MainWindow::buildSideNav()
{
    auto *nav = new QFrame(this);
    nav->setObjectName(QStringLiteral("sideNav"));
    nav->setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QVBoxLayout(nav);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(styledLabel(QStringLiteral("AWS Lambda"), "sideNavTitle", nav));
    auto item = [&](const QString &text) {
        auto *button = new QPushButton(text, nav);
        button->setCursor(Qt::PointingHandCursor);
        layout->addWidget(button);
        return button;
    };
    // No "Applications": Lambda's are CloudFormation stacks, which an engine without
    // CloudFormation has nothing to show for.
    m_navDashboard = item(QStringLiteral("Dashboard"));
    m_navFunctions = item(QStringLiteral("Functions"));
    m_navFunctions->setProperty("active", true);
    layout->addWidget(styledLabel(QStringLiteral("Additional resources"), "sideNavSection", nav));
    m_navLayers = item(QStringLiteral("Layers"));
    m_navQueues = item(QStringLiteral("Queues"));
    layout->addStretch();
    connect(m_navDashboard, &QPushButton::clicked, this, &MainWindow::showDashboard);
    connect(m_navFunctions, &QPushButton::clicked, this, &MainWindow::showFunctions);
    connect(m_navLayers, &QPushButton::clicked, this, &MainWindow::showLayers);
    connect(m_navQueues, &QPushButton::clicked, this, &MainWindow::showQueues);
    return nav;
}

void MainWindow::setBreadcrumbs(const QStringList &crumbs)
{
    QStringList parts{QStringLiteral("<a href='functions' style='color:#0073bb; text-decoration:none'>Lambda</a>")};
    for (int i = 0; i < crumbs.size(); ++i) {
        const bool last = i == crumbs.size() - 1;
        if (!last && crumbs[i] == QLatin1String("Functions"))
            parts << QStringLiteral("<a href='functions' style='color:#0073bb; text-decoration:none'>Functions</a>");
        else if (!last && i > 0 && crumbs[i - 1] == QLatin1String("Functions"))
            parts << QStringLiteral("<a href='function:%1' style='color:#0073bb; "
                                    "text-decoration:none'>%1</a>")
                         .arg(crumbs[i].toHtmlEscaped());
        else if (!last && crumbs[i] == QLatin1String("Layers"))
            parts << QStringLiteral(
                "<a href='layers' style='color:#0073bb; text-decoration:none'>Layers</a>");
        else
            parts << crumbs[i].toHtmlEscaped();
    }
    m_breadcrumbs->setText(parts.join(QStringLiteral(" &nbsp;<span style='color:#687078'>&gt;</span>&nbsp; ")));
}

void MainWindow::setCurrent(QWidget *screen)
{
    m_stack->setCurrentWidget(screen);
    const bool layers = screen == m_layers || screen == m_createLayer;
    const bool dashboard = screen == m_dashboard;
    const bool queues = screen == m_queues;
    m_navLayers->setProperty("active", layers);
    m_navQueues->setProperty("active", queues);
    m_navDashboard->setProperty("active", dashboard);
    m_navFunctions->setProperty("active", !layers && !dashboard && !queues);
    for (QPushButton *button : {m_navLayers, m_navQueues, m_navDashboard, m_navFunctions})
        repolish(button);
    if (screen != m_functionPage)
        closeFunctionPage();
}

void MainWindow::closeFunctionPage()
{
    if (!m_functionPage)
        return;
    m_stack->removeWidget(m_functionPage);
    m_functionPage->deleteLater(); // its Code tab keeps unsaved edits as a draft on the way out
    m_functionPage = nullptr;
}

void MainWindow::showFunctions()
{
    setBreadcrumbs({QStringLiteral("Functions")});
    setCurrent(m_functions);
    m_functions->refresh();
}

void MainWindow::showLayers()
{
    setBreadcrumbs({QStringLiteral("Layers")});
    setCurrent(m_layers);
    m_layers->showList();
}

void MainWindow::showQueues()
{
    setBreadcrumbs({QStringLiteral("Queues")});
    setCurrent(m_queues);
    m_queues->reload();
}

void MainWindow::showDashboard()
{
    setBreadcrumbs({QStringLiteral("Dashboard")});
    setCurrent(m_dashboard);
}

void MainWindow::showCreateLayer(const QString &layerName)
{
    setBreadcrumbs({QStringLiteral("Layers"), layerName.isEmpty()
                                                  ? QStringLiteral("Create layer")
                                                  : QStringLiteral("Create version")});
    setCurrent(m_createLayer);
    m_createLayer->start(layerName);
}

void MainWindow::showCreateFunction(bool blueprint)
{
    setBreadcrumbs({QStringLiteral("Functions"), QStringLiteral("Create function")});
    setCurrent(m_create);
    m_create->start(blueprint ? CreateFunctionPage::Mode::Blueprint : CreateFunctionPage::Mode::Scratch);
}

void MainWindow::openFunction(const QString &name, const QString &tab, const QString &flash, const QString &testEvent)
{
    closeFunctionPage();
    auto *page = new FunctionPage(m_engine, m_feed, name, m_stack);
    m_functionPage = page;
    m_stack->addWidget(page);
    if (page->qualifier().isEmpty())
        setBreadcrumbs({QStringLiteral("Functions"), name});
    else
        setBreadcrumbs({QStringLiteral("Functions"), page->functionName(), page->qualifier()});
    setCurrent(page);
    page->configurationTab()->tags()->setGuestImage(m_guestImage);
    if (const auto t = FunctionPage::tabFromName(tab))
        page->showTab(*t);
    if (!flash.isEmpty())
        page->showFlash(int(Flashbar::Kind::Success), flash);
    if (!testEvent.isEmpty())
        page->setPreferredTestEvent(testEvent);
    connect(page, &FunctionPage::loaded, this, [this, page] {
        if (m_stack->currentWidget() == page)
            emit currentScreenLoaded();
    });
    connect(page, &FunctionPage::openRequested, this,
            [this](const QString &qualified) { openFunction(qualified); });
    connect(page, &FunctionPage::deleted, this, [this](const QString &deleted) {
        showFunctions();
        m_functions->showFlash(int(Flashbar::Kind::Success), QStringLiteral("Successfully deleted function %1.").arg(deleted));
    });
    page->load();
}

bool MainWindow::isCurrentScreenLoaded() const
{
    QWidget *current = m_stack->currentWidget();
    if (current == m_functions)
        return m_functions->isLoaded();
    if (current == m_create)
        return m_create->isLoaded();
    if (current == m_layers)
        return m_layers->isLoaded();
    if (current == m_queues)
        return m_queues->isLoaded();
    if (current == m_dashboard)
        return m_dashboard->isLoaded();
    if (current == m_createLayer)
        return m_createLayer->isLoaded();
    return m_functionPage && current == m_functionPage && m_functionPage->isLoaded();
}

void MainWindow::pollStatus()
{
    if (m_polling)
        return;
    m_polling = true;
    engine::Engine *engine = &m_engine;
    runAsync(this, [engine] { return engine->status(); }, [this](engine::EngineStatus status) {
        m_polling = false;
        m_statusEngine->setText(QStringLiteral("● Engine running"));
        m_statusEngine->setProperty("state", QStringLiteral("running"));
        repolish(m_statusEngine);
        m_statusWarm->setText(QStringLiteral("Warm environments: %1 (%2 busy)")
                                  .arg(status.warmEnvironments)
                                  .arg(status.busyEnvironments));
        m_statusSandbox->setText(QStringLiteral("Sandbox: %1 · Data: %2")
                                     .arg(QString::fromStdString(status.defaultSandbox), QString::fromStdString(status.dataDir)));
    });
}

void MainWindow::showApiAuth(const QString &mode, const QStringList &configureLines)
{
    if (m_apiAddress.isEmpty() || mode.isEmpty())
        return;
    m_statusApi->setText(QStringLiteral("Lambda API: %1 · %2").arg(m_apiAddress, mode));
    m_statusCredentials->setVisible(!configureLines.isEmpty());
    if (configureLines.isEmpty())
        return;
    m_statusApi->setToolTip(configureLines.join(QLatin1Char('\n')));
    disconnect(m_statusCredentials, nullptr, this, nullptr);
    connect(m_statusCredentials, &QPushButton::clicked, this, [this, configureLines] {
        CredentialsDialog dialog(configureLines, this);
        dialog.exec();
    });
}

} // namespace lambdesk::app
