#include "function/configurationtab.h"

#include "function/asyncinvocationsection.h"
#include "function/concurrencysection.h"
#include "function/destinationssection.h"
#include "function/environmentsection.h"
#include "function/functionurlsection.h"
#include "function/generalconfigsection.h"
#include "function/permissionssection.h"
#include "function/tagssection.h"
#include "function/triggerssection.h"
#include "widgets/flashbar.h"

#include <QHBoxLayout>
#include <QListWidget>
#include <QStackedWidget>

namespace lambdesk::app {

ConfigurationTab::ConfigurationTab(SharedFunction function, QWidget *parent)
    : FunctionTab(function, parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 14, 0, 0);
    layout->setSpacing(16);
    m_menu = new QListWidget(this);
    m_menu->setObjectName(QStringLiteral("configMenu"));
    m_menu->setFixedWidth(230);
    m_menu->addItems({QStringLiteral("General configuration"), QStringLiteral("Triggers"),
                      QStringLiteral("Permissions"), QStringLiteral("Destinations"),
                      QStringLiteral("Function URL"), QStringLiteral("Environment variables"),
                      QStringLiteral("Concurrency"), QStringLiteral("Asynchronous invocation"),
                      QStringLiteral("Tags")});
    m_menu->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    layout->addWidget(m_menu, 0, Qt::AlignTop);

    m_sections = new QStackedWidget(this);
    m_general = new GeneralConfigSection(function, m_sections);
    m_environment = new EnvironmentSection(function, m_sections);
    m_concurrency = new ConcurrencySection(function, m_sections);
    m_tags = new TagsSection(function, m_sections);
    m_permissions = new PermissionsSection(function, m_sections);
    connect(m_permissions, &PermissionsSection::saved, this, [this](const QString &message) {
        emit flashRequested(int(Flashbar::Kind::Success), message);
    });
    m_functionUrl = new FunctionUrlSection(function, m_sections);
    connect(m_functionUrl, &FunctionUrlSection::saved, this, [this](const QString &message) {
        emit flashRequested(int(Flashbar::Kind::Success), message);
        m_permissions->reload(); // a public URL adds its statements
    });
    connect(m_functionUrl, &FunctionUrlSection::urlChanged, this,
            &ConfigurationTab::functionUrlChanged);
    m_triggers = new TriggersSection(function, m_sections);
    connect(m_triggers, &TriggersSection::saved, this, [this](const QString &message) {
        emit flashRequested(int(Flashbar::Kind::Success), message);
        m_permissions->reload(); // Add and Delete change the rule's statement
    });
    connect(m_triggers, &TriggersSection::triggersChanged, this,
            &ConfigurationTab::triggersChanged);
    connect(m_triggers, &TriggersSection::addRequested, this,
            &ConfigurationTab::addTriggerRequested);
    m_destinations = new DestinationsSection(function, m_sections);
    connect(m_destinations, &DestinationsSection::saved, this, [this](const QString &message) {
        emit flashRequested(int(Flashbar::Kind::Success), message);
    });
    connect(m_destinations, &DestinationsSection::destinationsChanged, this,
            &ConfigurationTab::destinationsChanged);
    connect(m_destinations, &DestinationsSection::addRequested, this,
            &ConfigurationTab::addDestinationRequested);
    m_asyncInvocation = new AsyncInvocationSection(function, m_sections);
    // In Section's order, which is the menu's.
    for (QWidget *section : std::initializer_list<QWidget *>{
             m_general, m_triggers, m_permissions, m_destinations, m_functionUrl, m_environment,
             m_concurrency, m_asyncInvocation, m_tags})
        m_sections->addWidget(section);
    for (ConfigSection *section : configSections()) {
        connect(section, &ConfigSection::functionUpdated, this, &ConfigurationTab::functionUpdated);
        connect(section, &ConfigSection::saved, this, [this](const QString &message) {
            emit flashRequested(int(Flashbar::Kind::Success), message);
        });
    }
    layout->addWidget(m_sections, 1);
    connect(m_menu, &QListWidget::currentRowChanged, m_sections, &QStackedWidget::setCurrentIndex);
    connect(m_tags, &TagsSection::tagsChanged, this, [this] { markLoaded(); });
    m_menu->setCurrentRow(0);
}

void ConfigurationTab::setFunction(const engine::FunctionInfo &info)
{
    m_function = info;
    for (ConfigSection *section : configSections())
        section->setFunction(info);
    m_permissions->setFunction(info);
    m_functionUrl->reload();
    m_triggers->reload();
    m_destinations->reload();
}

std::vector<ConfigSection *> ConfigurationTab::configSections() const
{
    return {m_general, m_environment, m_concurrency, m_asyncInvocation, m_tags};
}

void ConfigurationTab::showSection(Section section)
{
    m_menu->setCurrentRow(int(section));
}

} // namespace lambdesk::app
