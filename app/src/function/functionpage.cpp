#include "function/functionpage.h"

#include "errortext.h"
#include "format.h"
#include "function/aliasestab.h"
#include "function/codetab.h"
#include "function/configurationtab.h"
#include "function/functiondiagram.h"
#include "function/monitortab.h"
#include "function/testtab.h"
#include "function/versionstab.h"
#include "invocationfeed.h"
#include "screens/deletefunctiondialog.h"
#include "widgets/confirmdialog.h"
#include "widgets/flashbar.h"
#include "widgets/pagebody.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/editor/codedocument.h"
#include "lambdesk/editor/codeworkspace.h"

#include <QApplication>
#include <QClipboard>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace lambdesk::app {

FunctionPage::FunctionPage(engine::Engine &engine, InvocationFeed *feed, const QString &name,
                           QWidget *parent)
    : QWidget(parent), m_name(name.section(QLatin1Char(':'), 0, 0)),
      m_qualifier(name.section(QLatin1Char(':'), 1))
{
    m_controller = std::make_shared<FunctionController>(engine, m_name.toStdString(),
                                                        m_qualifier.toStdString());
    setObjectName(QStringLiteral("page"));
    PageBody *body = PageBody::install(this);
    QVBoxLayout *layout = body->layout();

    m_flash = new Flashbar(body);
    layout->addWidget(m_flash);
    // The function's lasting state, kept apart from the messages that come and go.
    m_throttled = new Flashbar(body);
    m_throttled->setDismissible(false);
    m_throttled->setAction(QStringLiteral("Unthrottle"));
    connect(m_throttled, &Flashbar::actionTriggered, this, &FunctionPage::unthrottle);
    layout->addWidget(m_throttled);
    layout->addWidget(buildHeader());
    layout->addWidget(buildOverview());

    m_tabs = new QTabWidget(body);
    m_tabs->setDocumentMode(true);
    m_code = new CodeTab(m_controller, m_tabs);
    m_test = new TestTab(m_controller, m_tabs);
    m_monitor = new MonitorTab(m_controller, m_tabs);
    m_configuration = new ConfigurationTab(m_controller, m_tabs);
    m_aliases = new AliasesTab(m_controller, m_tabs);
    m_versions = new VersionsTab(m_controller, m_tabs);
    m_tabs->addTab(m_code, QStringLiteral("Code"));
    m_tabs->addTab(m_test, QStringLiteral("Test"));
    m_tabs->addTab(m_monitor, QStringLiteral("Monitor"));
    m_tabs->addTab(m_configuration, QStringLiteral("Configuration"));
    m_tabs->addTab(m_aliases, QStringLiteral("Aliases"));
    m_tabs->addTab(m_versions, QStringLiteral("Versions"));
    layout->addWidget(m_tabs, 1);

    for (Tab t :
         {Tab::Code, Tab::Test, Tab::Monitor, Tab::Configuration, Tab::Aliases, Tab::Versions}) {
        FunctionTab *functionTab = tab(t);
        connect(functionTab, &FunctionTab::flashRequested, this, &FunctionPage::showFlash);
        connect(functionTab, &FunctionTab::functionUpdated, this, &FunctionPage::applyFunction);
        connect(functionTab, &FunctionTab::loaded, this, &FunctionPage::checkLoaded);
    }
    connect(m_tabs, &QTabWidget::currentChanged, this, &FunctionPage::checkLoaded);
    connect(m_code, &CodeTab::testRequested, this, [this] {
        showTab(Tab::Test);
        m_test->runTest();
    });
    connect(m_configuration, &ConfigurationTab::functionUrlChanged, this,
            [this](const QString &url) {
                m_functionUrl->setText(url.isEmpty() ? QStringLiteral("-") : linkHtml(url));
                m_hasFunctionUrl = !url.isEmpty();
                showTriggers();
            });
    connect(m_configuration, &ConfigurationTab::triggersChanged, this,
            [this](const QStringList &labels) {
                m_scheduleTriggers = labels;
                showTriggers();
            });
    connect(m_configuration, &ConfigurationTab::addTriggerRequested, this,
            &FunctionPage::openAddTrigger);
    connect(m_diagram, &FunctionDiagram::addTriggerClicked, this, &FunctionPage::openAddTrigger);
    connect(m_diagram, &FunctionDiagram::triggerClicked, this, &FunctionPage::showTriggerSource);
    connect(m_configuration, &ConfigurationTab::destinationsChanged, m_diagram,
            &FunctionDiagram::setDestinations);
    connect(m_configuration, &ConfigurationTab::addDestinationRequested, this,
            &FunctionPage::openAddDestination);
    connect(m_diagram, &FunctionDiagram::addDestinationClicked, this,
            &FunctionPage::openAddDestination);
    connect(m_diagram, &FunctionDiagram::destinationClicked, this, [this] {
        showTab(Tab::Configuration);
        m_configuration->showSection(ConfigurationTab::Section::Destinations);
    });
    m_monitor->setPayloadProvider([test = m_test] { return test->payloadForLoad(); });
    connect(m_aliases, &AliasesTab::aliasesChanged, m_monitor, &MonitorTab::loadQualifiers);
    connect(m_versions, &VersionsTab::versionPublished, m_monitor, &MonitorTab::loadQualifiers);
    connect(m_aliases, &AliasesTab::openRequested, this, [this](const QString &alias) {
        emit openRequested(m_name + QLatin1Char(':') + alias);
    });
    if (!m_qualifier.isEmpty())
        showQualified();
    if (feed) {
        connect(feed, &InvocationFeed::invocationRecorded, this, [this](const engine::InvocationRecord &record) {
            if (QString::fromStdString(record.functionName) == m_name)
                m_monitor->addRecord(record);
        });
    }
    for (QTabBar *bar : findChildren<QTabBar *>())
        PageBody::scrollPageOnWheel(bar);
    setupShortcuts();
}

QWidget *FunctionPage::buildHeader()
{
    auto *header = new QWidget(this);
    auto *layout = new QHBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = styledLabel(qualifiedName(), "pageTitle", header);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    layout->addStretch();
    m_throttleButton = secondaryButton(QStringLiteral("Throttle"), header);
    m_throttleButton->setToolTip(
        QStringLiteral("Set reserved concurrency to 0: every invocation is throttled"));
    m_unthrottleButton = secondaryButton(QStringLiteral("Unthrottle"), header);
    m_unthrottleButton->setToolTip(
        QStringLiteral("Remove the reserved concurrency of 0, so invocations run again"));
    m_unthrottleButton->hide();
    auto *copyArn = secondaryButton(QStringLiteral("Copy ARN"), header);
    auto *actions = new QMenu;
    m_functionActions = {m_throttleButton, m_unthrottleButton};
    QAction *publish = actions->addAction(QStringLiteral("Publish new version"));
    QAction *remove = actions->addAction(QStringLiteral("Delete function"));
    layout->addWidget(m_throttleButton);
    layout->addWidget(m_unthrottleButton);
    layout->addWidget(copyArn);
    m_functionActions << menuButton(QStringLiteral("Actions"), actions, header);
    layout->addWidget(m_functionActions.back());
    connect(m_throttleButton, &QPushButton::clicked, this, &FunctionPage::throttle);
    connect(m_unthrottleButton, &QPushButton::clicked, this, &FunctionPage::unthrottle);
    connect(copyArn, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(QString::fromStdString(m_info.functionArn));
        showFlash(int(Flashbar::Kind::Info), QStringLiteral("Copied the ARN of %1 to the clipboard.").arg(m_name));
    });
    connect(publish, &QAction::triggered, this, [this] {
        showTab(Tab::Versions);
        m_versions->askToPublish();
    });
    connect(remove, &QAction::triggered, this, &FunctionPage::confirmDelete);
    return header;
}

QWidget *FunctionPage::buildOverview()
{
    auto *panel = new Panel(QStringLiteral("Function overview"), this);
    auto *row = new QHBoxLayout;
    row->setSpacing(30);
    m_diagram = new FunctionDiagram(panel);
    m_diagram->setToolTip(
        QStringLiteral("Triggers invoke the function; so do the Test tab, the Lambda API "
                       "(aws lambda invoke) and the SDKs."));
    m_diagram->setFunction(m_name, 0);
    row->addWidget(m_diagram, 1);
    auto *facts = new QGridLayout;
    facts->setHorizontalSpacing(24);
    auto fact = [&](int row, int column, const QString &label, int span = 1) {
        auto *cell = new QVBoxLayout;
        cell->setSpacing(1);
        cell->addWidget(styledLabel(label, "fieldLabel", panel));
        auto *value = new QLabel(QStringLiteral("-"), panel);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        cell->addWidget(value);
        facts->addLayout(cell, row, column, 1, span);
        return value;
    };
    facts->setVerticalSpacing(10);
    m_description = fact(0, 0, QStringLiteral("Description"));
    m_lastModified = fact(0, 1, QStringLiteral("Last modified"));
    // "just now" becomes "1 minute ago" while the page stays open.
    auto *clock = new QTimer(this);
    clock->setInterval(std::chrono::seconds(10));
    connect(clock, &QTimer::timeout, this, &FunctionPage::showLastModified);
    clock->start();
    m_runtime = fact(1, 0, QStringLiteral("Runtime"));
    m_sandbox = fact(1, 1, QStringLiteral("Sandbox"));
    m_arn = fact(2, 0, QStringLiteral("Function ARN"), 2);
    m_functionUrl = fact(3, 0, QStringLiteral("Function URL"), 2);
    m_functionUrl->setTextFormat(Qt::RichText);
    m_functionUrl->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_functionUrl->setOpenExternalLinks(true);
    facts->setColumnStretch(0, 3);
    facts->setColumnStretch(1, 2);
    row->addLayout(facts, 1);
    panel->bodyLayout()->addLayout(row);
    return panel;
}

void FunctionPage::setupShortcuts()
{
    auto shortcut = [this](const QKeySequence &keys, auto slot) {
        auto *s = new QShortcut(keys, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, this, slot);
        return s;
    };
    shortcut(QKeySequence::Save, [this] { m_code->saveDraft(); });
    shortcut(QKeySequence(QStringLiteral("Ctrl+Shift+D")), [this] {
        showTab(Tab::Code);
        m_code->deploy();
    });
    shortcut(QKeySequence(QStringLiteral("Ctrl+T")), [this] {
        showTab(Tab::Test);
        m_test->runTest();
    });
    // The editors bring their own Ctrl+F; this one covers the rest of the page. Two live
    // shortcuts on one key would cancel each other out, so it steps aside inside an editor.
    m_find = shortcut(QKeySequence::Find, [this] {
        if (currentTab() == Tab::Test)
            m_test->eventView()->showFind();
        else
            m_code->showFind();
    });
    // QScintilla claims some of these keys for itself (Ctrl+T is its "transpose lines"): refuse
    // the editors' claim on the page's command keys, so the shortcuts fire inside them too.
    qApp->installEventFilter(this);
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) {
        const bool inEditor = now && ((m_code->workspace()->currentView() &&
                                       m_code->workspace()->currentView()->widget()->isAncestorOf(now)) ||
                                      m_test->eventView()->widget()->isAncestorOf(now));
        m_find->setEnabled(!inEditor);
    });
}

bool FunctionPage::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride && watched->isWidgetType() &&
        isAncestorOf(static_cast<QWidget *>(watched))) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const QKeySequence pressed(key->keyCombination());
        for (const QKeySequence &command : {QKeySequence(QKeySequence::Save), QKeySequence(QStringLiteral("Ctrl+T")),
                                            QKeySequence(QStringLiteral("Ctrl+Shift+D"))}) {
            if (pressed.matches(command) == QKeySequence::ExactMatch) {
                event->ignore();
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

FunctionTab *FunctionPage::tab(Tab t) const
{
    switch (t) {
    case Tab::Code: return m_code;
    case Tab::Test: return m_test;
    case Tab::Monitor: return m_monitor;
    case Tab::Configuration: return m_configuration;
    case Tab::Aliases:
        return m_aliases;
    case Tab::Versions: return m_versions;
    }
    return m_code;
}

const QStringList &FunctionPage::tabNames()
{
    static const QStringList names{QStringLiteral("code"),    QStringLiteral("test"),
                                   QStringLiteral("monitor"), QStringLiteral("configuration"),
                                   QStringLiteral("aliases"), QStringLiteral("versions")};
    return names;
}

std::optional<FunctionPage::Tab> FunctionPage::tabFromName(const QString &name)
{
    const int index = int(tabNames().indexOf(name.toLower()));
    if (index < 0)
        return std::nullopt;
    return Tab(index);
}

void FunctionPage::showTab(Tab t)
{
    if (m_tabs->isTabVisible(int(t)))
        m_tabs->setCurrentIndex(int(t));
}

QString FunctionPage::qualifiedName() const
{
    return m_qualifier.isEmpty() ? m_name : m_name + QLatin1Char(':') + m_qualifier;
}

void FunctionPage::showQualified()
{
    // What belongs to the function, not to one version, stays on the function's own page.
    for (Tab t : {Tab::Configuration, Tab::Aliases, Tab::Versions})
        m_tabs->setTabVisible(int(t), false);
    // Whether the qualifier names an alias or a version is the engine's to say: its alias list.
    m_controller->listAliases(this, [this](engine::Result<std::vector<engine::AliasInfo>> aliases) {
        const engine::AliasInfo *named = nullptr;
        if (aliases) {
            for (const engine::AliasInfo &alias : *aliases) {
                if (QString::fromStdString(alias.config.name) == m_qualifier)
                    named = &alias;
            }
        }
        if (!named) {
            m_monitor->setQualifierFilter(m_qualifier);
            showFlash(int(Flashbar::Kind::Info),
                      QStringLiteral("Version %1 of %2. Test invokes this version; its code is "
                                     "read-only. Configuration, aliases and versions are on the "
                                     "function's page.")
                          .arg(m_qualifier, m_name));
            return;
        }
        m_monitor->setQualifierFilter(QStringLiteral("alias:") + m_qualifier);
        {
            const engine::AliasInfo &alias = *named;
            QString routing = QStringLiteral("version %1")
                                  .arg(QString::fromStdString(alias.config.functionVersion));
            double rest = 1.0;
            for (const auto &[extra, weight] : alias.config.additionalVersionWeights) {
                rest -= weight;
                routing +=
                    QStringLiteral(", and %1% to version %2")
                        .arg(QString::number(weight * 100, 'f', 0), QString::fromStdString(extra));
            }
            if (rest < 1.0)
                routing =
                    QStringLiteral("%1% to ").arg(QString::number(rest * 100, 'f', 0)) + routing;
            showFlash(int(Flashbar::Kind::Info),
                      QStringLiteral("Alias %1 of %2 sends %3. Test invokes through the alias and "
                                     "the Monitor shows its invocations; the code is that of "
                                     "version %4, read-only.")
                          .arg(m_qualifier, m_name, routing,
                               QString::fromStdString(alias.config.functionVersion)));
        }
    });
}

FunctionPage::Tab FunctionPage::currentTab() const
{
    return Tab(m_tabs->currentIndex());
}

void FunctionPage::setPreferredTestEvent(const QString &templateName)
{
    m_test->setPreferredTemplate(templateName);
}

void FunctionPage::showFlash(int kind, const QString &text)
{
    m_flash->showMessage(Flashbar::Kind(kind), text);
}

void FunctionPage::load()
{
    m_controller->load(this, [this](engine::Result<engine::FunctionInfo> info) {
        if (!info) {
            m_loadFailed = true;
            m_tabs->setEnabled(false);
            showFlash(int(Flashbar::Kind::Error),
                      QStringLiteral("Function %1 could not be opened: %2")
                          .arg(m_name, engineErrorText(info.error())));
            checkLoaded();
            return;
        }
        applyFunction(info.value());
    });
}

void FunctionPage::applyFunction(const engine::FunctionInfo &info)
{
    m_info = info;
    m_infoLoaded = true;
    m_diagram->setFunction(m_name, int(info.config.layers.size()));
    m_description->setText(info.config.description.empty() ? QStringLiteral("-")
                                                            : QString::fromStdString(info.config.description));
    showLastModified();
    m_arn->setText(QString::fromStdString(info.functionArn));
    m_runtime->setText(QString::fromStdString(info.config.runtime));
    m_sandbox->setText(info.sandbox.empty() ? QStringLiteral("-") : QString::fromStdString(info.sandbox));
    showThrottleState();
    if (!m_qualifier.isEmpty()) {
        for (QWidget *action : m_functionActions)
            action->hide(); // throttling or deleting is the function's, not a version's
    }
    for (Tab t :
         {Tab::Code, Tab::Test, Tab::Monitor, Tab::Configuration, Tab::Aliases, Tab::Versions})
        tab(t)->setFunction(info);
    checkLoaded();
}

void FunctionPage::showLastModified()
{
    if (!m_infoLoaded)
        return;
    m_lastModified->setText(relativeTime(m_info.lastModifiedMs));
    m_lastModified->setToolTip(timestamp(m_info.lastModifiedMs));
}

void FunctionPage::showThrottleState()
{
    const bool throttled = m_info.reservedConcurrency == 0;
    m_throttleButton->setVisible(!throttled);
    m_unthrottleButton->setVisible(throttled);
    if (throttled)
        m_throttled->showMessage(
            Flashbar::Kind::Warning,
            QStringLiteral("%1 is throttled: its reserved concurrency is 0, so every invocation "
                           "is refused with TooManyRequestsException.")
                .arg(m_name));
    else
        m_throttled->clear();
}

bool FunctionPage::isLoaded() const
{
    return m_loadFailed || (m_infoLoaded && tab(currentTab())->isLoaded());
}

void FunctionPage::checkLoaded()
{
    if (!m_emittedLoaded && isLoaded()) {
        m_emittedLoaded = true;
        emit loaded();
    }
}

void FunctionPage::throttle()
{
    if (!ConfirmDialog::ask(
            this, QStringLiteral("Throttle %1").arg(m_name),
            QStringLiteral("Throttling sets the function's reserved concurrency to 0: every "
                           "invocation is refused until you unthrottle it."),
            QStringLiteral("Throttle")))
        return;
    changeConcurrency(0, QStringLiteral("Successfully throttled the function %1.").arg(m_name));
}

void FunctionPage::unthrottle()
{
    changeConcurrency(std::nullopt,
                      QStringLiteral("Successfully unthrottled the function %1.").arg(m_name));
}

void FunctionPage::changeConcurrency(std::optional<int> reserved, const QString &success)
{
    m_controller->setReservedConcurrency(
        this, reserved, [this, success](engine::Result<engine::FunctionInfo> result) {
            if (!result) {
                showFlash(int(Flashbar::Kind::Error), engineErrorText(result.error()));
                return;
            }
            applyFunction(result.value());
            showFlash(int(Flashbar::Kind::Success), success);
        });
}

void FunctionPage::confirmDelete()
{
    auto *dialog = new DeleteFunctionDialog(m_name, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        m_controller->remove(this, [this](engine::Result<void> result) {
            if (!result) {
                showFlash(int(Flashbar::Kind::Error), engineErrorText(result.error()));
                return;
            }
            emit deleted(m_name);
        });
    });
    dialog->open();
}

} // namespace lambdesk::app
