#include "function/environmentsection.h"

#include "errortext.h"
#include "models/keyvaluemodel.h"
#include "widgets/consoletable.h"
#include "widgets/keyvalueeditor.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/validation.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace lambdesk::app {

EnvironmentSection::EnvironmentSection(SharedFunction function, QWidget *parent)
    : ConfigSection(function, QStringLiteral("Environment variables"), parent)
{
    panel()->setDescription(QStringLiteral("Key-value pairs your function code reads from its environment."));
    m_viewModel = new KeyValueModel(this);
    m_viewTable = consoleTable(m_viewModel, this);
    m_viewTable->setSortingEnabled(false); // kept in the function's own order
    m_viewTable->horizontalHeader()->resizeSection(0, 260);
    m_viewTable->setMinimumHeight(160);
    m_viewTable->setFrameShape(QFrame::StyledPanel);
    m_empty = styledLabel(QStringLiteral("No environment variables. Choose Edit to add some."), "hint", this);
    viewLayout()->addWidget(m_empty);
    viewLayout()->addWidget(m_viewTable);

    m_formModel = new KeyValueModel(this);
    m_formModel->setKeyValidator([](const QString &key) {
        const auto result = engine::validateEnvironmentVariableName(key.toStdString());
        return result ? QString() : engineErrorText(result.error());
    });
    m_editor = new KeyValueEditor(m_formModel, QStringLiteral("Add environment variable"), this);
    formLayout()->addWidget(m_editor);
}

void EnvironmentSection::showValues(const engine::FunctionInfo &info)
{
    m_viewModel->setPairs(info.config.environment);
    panel()->setCount(QStringLiteral("(%1)").arg(info.config.environment.size()));
    m_empty->setVisible(info.config.environment.empty());
    m_viewTable->setVisible(!info.config.environment.empty());
}

void EnvironmentSection::fillForm(const engine::FunctionInfo &info)
{
    m_formModel->setPairs(info.config.environment);
}

bool EnvironmentSection::startSave(const engine::FunctionInfo &info)
{
    const QStringList problems = m_formModel->problems();
    if (!problems.isEmpty()) {
        showError(QStringLiteral("Fix the environment variables first:\n%1").arg(problems.join(QLatin1Char('\n'))));
        return false;
    }
    engine::FunctionConfigPatch patch;
    patch.environment = m_formModel->pairs();
    patch.revisionId = info.revisionId;
    m_controller->updateConfiguration(
        this, patch, [this](engine::Result<engine::FunctionInfo> result) { finishSave(result); });
    return true;
}

} // namespace lambdesk::app
