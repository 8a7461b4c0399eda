// The function page's triggers and destinations: the overview diagram's boxes, where a click on
// one leads, and the Add trigger and Add destination forms. The rest of the page is
// functionpage.cpp.
#include "function/adddestinationdialog.h"
#include "function/addtriggerdialog.h"
#include "function/configurationtab.h"
#include "function/destinationssection.h"
#include "function/functiondiagram.h"
#include "function/functionpage.h"
#include "function/functionurlsection.h"
#include "function/triggerssection.h"
#include "widgets/flashbar.h"

namespace lambdesk::app {

void FunctionPage::showTriggers()
{
    QStringList labels = m_scheduleTriggers;
    if (m_hasFunctionUrl)
        labels.append(QStringLiteral("Function URL"));
    m_diagram->setTriggers(labels);
}

void FunctionPage::showTriggerSource(const QString &label)
{
    showTab(Tab::Configuration);
    m_configuration->showSection(label == QStringLiteral("Function URL")
                                     ? ConfigurationTab::Section::FunctionUrl
                                     : ConfigurationTab::Section::Triggers);
}

AddTriggerDialog *FunctionPage::openAddTrigger()
{
    auto *dialog = new AddTriggerDialog(m_controller, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AddTriggerDialog::added, this, [this](const QString &message) {
        showFlash(int(Flashbar::Kind::Success), message);
        m_configuration->triggers()->reload();
    });
    connect(dialog, &AddTriggerDialog::functionUrlAdded, this, [this] {
        showTriggerSource(QStringLiteral("Function URL"));
        m_configuration->functionUrl()->reload();
    });
    dialog->open();
    return dialog;
}

AddDestinationDialog *FunctionPage::openAddDestination()
{
    auto *dialog = new AddDestinationDialog(m_controller, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AddDestinationDialog::added, this, [this](const QString &message) {
        showFlash(int(Flashbar::Kind::Success), message);
        m_configuration->destinations()->reload();
    });
    dialog->open();
    return dialog;
}

} // namespace lambdesk::app
