#pragma once
// Configuration tab: the console's vertical menu on the left and one section on the right.

#include "function/functiontab.h"

#include <vector>

class QListWidget;
class QStackedWidget;

namespace lambdesk::app {

class AsyncInvocationSection;
class ConcurrencySection;
class ConfigSection;
class DestinationsSection;
class EnvironmentSection;
class FunctionUrlSection;
class GeneralConfigSection;
class PermissionsSection;
class TagsSection;
class TriggersSection;

class ConfigurationTab : public FunctionTab {
    Q_OBJECT
public:
    // In the menu's order, which is the console's.
    enum class Section {
        General,
        Triggers,
        Permissions,
        Destinations,
        FunctionUrl,
        Environment,
        Concurrency,
        AsyncInvocation,
        Tags
    };

    ConfigurationTab(SharedFunction function, QWidget *parent = nullptr);
    void setFunction(const engine::FunctionInfo &info) override;
    void showSection(Section section);

    GeneralConfigSection *general() const { return m_general; }
    EnvironmentSection *environment() const { return m_environment; }
    ConcurrencySection *concurrency() const { return m_concurrency; }
    TagsSection *tags() const { return m_tags; }
    PermissionsSection *permissions() const { return m_permissions; }
    FunctionUrlSection *functionUrl() const { return m_functionUrl; }
    TriggersSection *triggers() const { return m_triggers; }
    DestinationsSection *destinations() const { return m_destinations; }
    AsyncInvocationSection *asyncInvocation() const { return m_asyncInvocation; }

signals:
    void functionUrlChanged(const QString &functionUrl);
    void triggersChanged(const QStringList &labels); // TriggersSection's, for the diagram
    void addTriggerRequested();
    void destinationsChanged(const QStringList &labels); // DestinationsSection's, for the diagram
    void addDestinationRequested();

private:
    std::vector<ConfigSection *> configSections() const; // the Edit / Save ones

    QListWidget *m_menu;
    QStackedWidget *m_sections;
    GeneralConfigSection *m_general;
    EnvironmentSection *m_environment;
    ConcurrencySection *m_concurrency;
    TagsSection *m_tags;
    PermissionsSection *m_permissions;
    FunctionUrlSection *m_functionUrl;
    TriggersSection *m_triggers;
    DestinationsSection *m_destinations;
    AsyncInvocationSection *m_asyncInvocation;
};

} // namespace lambdesk::app
