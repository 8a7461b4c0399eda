#pragma once
// Configuration tab: the console's vertical menu on the left and one section on the right.

#include "function/functiontab.h"

class QListWidget;
class QStackedWidget;

namespace lambdesk::app {

class ConcurrencySection;
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
        FunctionUrl,
        Environment,
        Concurrency,
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

signals:
    void functionUrlChanged(const QString &functionUrl);
    void triggersChanged(const QStringList &labels); // TriggersSection's, for the diagram
    void addTriggerRequested();

private:
    QListWidget *m_menu;
    QStackedWidget *m_sections;
    GeneralConfigSection *m_general;
    EnvironmentSection *m_environment;
    ConcurrencySection *m_concurrency;
    TagsSection *m_tags;
    PermissionsSection *m_permissions;
    FunctionUrlSection *m_functionUrl;
    TriggersSection *m_triggers;
};

} // namespace lambdesk::app
