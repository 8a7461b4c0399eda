#pragma once
// Configuration tab: the console's vertical menu on the left and one section on the right.

#include "function/functiontab.h"

class QListWidget;
class QStackedWidget;

namespace lambdesk::app {

class ConcurrencySection;
class EnvironmentSection;
class GeneralConfigSection;
class PermissionsSection;
class TagsSection;

class ConfigurationTab : public FunctionTab {
    Q_OBJECT
public:
    enum class Section { General, Permissions, Environment, Concurrency, Tags };

    ConfigurationTab(SharedFunction function, QWidget *parent = nullptr);
    void setFunction(const engine::FunctionInfo &info) override;
    void showSection(Section section);

    GeneralConfigSection *general() const { return m_general; }
    EnvironmentSection *environment() const { return m_environment; }
    ConcurrencySection *concurrency() const { return m_concurrency; }
    TagsSection *tags() const { return m_tags; }
    PermissionsSection *permissions() const { return m_permissions; }

private:
    QListWidget *m_menu;
    QStackedWidget *m_sections;
    GeneralConfigSection *m_general;
    EnvironmentSection *m_environment;
    ConcurrencySection *m_concurrency;
    TagsSection *m_tags;
    PermissionsSection *m_permissions;
};

} // namespace lambdesk::app
