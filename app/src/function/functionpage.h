#pragma once
// Lambda > Functions > NAME: the header (Throttle, Copy ARN, Actions ▾), Function overview and
// the tabs Code | Test | Monitor | Configuration | Aliases | Versions. It loads the function, hands
// every update to all tabs, routes live invocations to Monitor and owns the keyboard shortcuts.

#include "function/functioncontroller.h"
#include "lambdesk/engine/types.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QShortcut;
class QTabWidget;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class AddDestinationDialog;
class AddTriggerDialog;
class CodeTab;
class ConfigurationTab;
class Flashbar;
class FunctionDiagram;
class FunctionTab;
class InvocationFeed;
class MonitorTab;
class TestTab;
class AliasesTab;
class VersionsTab;

class FunctionPage : public QWidget {
    Q_OBJECT
public:
    enum class Tab { Code, Test, Monitor, Configuration, Aliases, Versions };

    // name: "NAME", or "NAME:QUALIFIER" for the page of a version or alias, as the console
    // opens function:NAME:ALIAS: the code read-only, Test through the qualifier, its Monitor.
    FunctionPage(engine::Engine &engine, InvocationFeed *feed, const QString &name, QWidget *parent = nullptr);

    QString functionName() const { return m_name; }
    QString qualifier() const { return m_qualifier; }
    QString qualifiedName() const; // "NAME" or "NAME:QUALIFIER"
    void load();
    void showTab(Tab tab);
    Tab currentTab() const;
    static std::optional<Tab> tabFromName(const QString &name); // "code", "test", ...
    static const QStringList &tabNames();                       // in Tab order
    bool isLoaded() const;
    void showFlash(int kind, const QString &text);
    void setPreferredTestEvent(const QString &templateName);
    const engine::FunctionInfo &function() const { return m_info; }

    Flashbar *flashbar() const { return m_flash; }
    CodeTab *codeTab() const { return m_code; }
    TestTab *testTab() const { return m_test; }
    MonitorTab *monitorTab() const { return m_monitor; }
    ConfigurationTab *configurationTab() const { return m_configuration; }
    FunctionDiagram *diagram() const { return m_diagram; }
    // "+ Add trigger": the form, opened modeless over the page (tests drive it).
    AddTriggerDialog *openAddTrigger();
    // "+ Add destination": the form, opened modeless over the page.
    AddDestinationDialog *openAddDestination();
    AliasesTab *aliasesTab() const { return m_aliases; }
    VersionsTab *versionsTab() const { return m_versions; }

signals:
    void loaded();
    void deleted(const QString &name);
    void openRequested(const QString &qualifiedName); // another page: "NAME:ALIAS"

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildHeader();
    QWidget *buildOverview();
    void setupShortcuts();
    void applyFunction(const engine::FunctionInfo &info);
    void checkLoaded();
    void throttle();
    void unthrottle();
    void changeConcurrency(std::optional<int> reserved, const QString &success);
    void showThrottleState();
    void showQualified();
    void showLastModified();
    void confirmDelete();
    FunctionTab *tab(Tab tab) const;

    SharedFunction m_controller;
    QString m_name;
    QString m_qualifier;
    QList<QWidget *> m_functionActions; // hidden on a version's or alias's page
    engine::FunctionInfo m_info;
    bool m_infoLoaded = false;
    bool m_loadFailed = false;
    bool m_emittedLoaded = false;
    Flashbar *m_flash;
    Flashbar *m_throttled;
    QPushButton *m_throttleButton;
    QPushButton *m_unthrottleButton;
    QLabel *m_title;
    FunctionDiagram *m_diagram;
    QLabel *m_description;
    QLabel *m_lastModified;
    QLabel *m_arn;
    QLabel *m_functionUrl;
    QStringList m_scheduleTriggers; // the diagram's trigger labels, from Configuration → Triggers
    bool m_hasFunctionUrl = false;
    void showTriggers();
    void showTriggerSource(const QString &label);
    QLabel *m_runtime;
    QLabel *m_sandbox;
    QTabWidget *m_tabs;
    CodeTab *m_code;
    TestTab *m_test;
    MonitorTab *m_monitor;
    ConfigurationTab *m_configuration;
    AliasesTab *m_aliases;
    VersionsTab *m_versions;
    QShortcut *m_find = nullptr;
};

} // namespace lambdesk::app
