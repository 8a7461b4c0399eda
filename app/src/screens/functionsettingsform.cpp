#include "screens/functionsettingsform.h"

#include "errortext.h"
#include "format.h"
#include "models/keyvaluemodel.h"
#include "widgets/keyvalueeditor.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/validation.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

QVBoxLayout *field(QWidget *parent, QVBoxLayout *into, const QString &label, const QString &hint)
{
    auto *box = new QVBoxLayout;
    box->setSpacing(3);
    box->addWidget(styledLabel(label, "fieldLabel", parent));
    if (!hint.isEmpty())
        box->addWidget(hintLabel(hint, parent));
    into->addLayout(box);
    return box;
}

QString messageOf(const engine::Result<void> &result)
{
    return result ? QString() : engineErrorText(result.error());
}

} // namespace

FunctionSettingsForm::FunctionSettingsForm(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);
    layout->addWidget(buildBasicPanel());
    layout->addWidget(buildAdvancedPanel());
}

QWidget *FunctionSettingsForm::buildBasicPanel()
{
    auto *panel = new Panel(QStringLiteral("Basic information"), this);
    QVBoxLayout *body = panel->bodyLayout();
    body->setSpacing(16);

    QVBoxLayout *nameField = field(panel, body, QStringLiteral("Function name"),
                                   QStringLiteral("Enter a name that describes the purpose of your function."));
    m_name = new QLineEdit(panel);
    m_name->setPlaceholderText(QStringLiteral("myFunctionName"));
    m_name->setMaximumWidth(560);
    nameField->addWidget(m_name);
    nameField->addWidget(
        hintLabel(QStringLiteral("1 to %1 characters, unique, no spaces. Valid characters are "
                                 "a-z, A-Z, 0-9, hyphens (-), and underscores (_).")
                      .arg(engine::kMaxNameLength),
                  panel));
    m_nameError = styledLabel(QString(), "errorText", panel);
    m_nameError->hide();
    nameField->addWidget(m_nameError);

    QVBoxLayout *runtimeField = field(panel, body, QStringLiteral("Runtime"),
                                      QStringLiteral("Choose the language to use to write your function. "
                                                     "Runtimes this machine cannot run are shown greyed out."));
    m_runtime = new QComboBox(panel);
    m_runtimeItems = new QStandardItemModel(m_runtime);
    m_runtime->setModel(m_runtimeItems);
    m_runtime->setMaximumWidth(560);
    m_runtime->setPlaceholderText(QStringLiteral("Loading runtimes..."));
    runtimeField->addWidget(m_runtime);
    m_runtimeHint = hintLabel(QString(), panel);
    m_runtimeHint->hide();
    runtimeField->addWidget(m_runtimeHint);

    QVBoxLayout *archField = field(panel, body, QStringLiteral("Architecture"),
                                   QStringLiteral("Choose the instruction set architecture you want for your function code."));
    m_x86 = new QRadioButton(QStringLiteral("x86_64"), panel);
    m_arm = new QRadioButton(QStringLiteral("arm64"), panel);
    m_x86->setChecked(true);
    auto *group = new QButtonGroup(panel);
    group->addButton(m_x86);
    group->addButton(m_arm);
    archField->addWidget(m_x86);
    archField->addWidget(m_arm);

    QVBoxLayout *permissions = field(panel, body, QStringLiteral("Permissions"),
                                     QStringLiteral("By default, Lambda creates an execution role for the function. "
                                                    "Locally the role is recorded, not enforced."));
    auto *roleToggle = new QToolButton(panel);
    roleToggle->setText(QStringLiteral("▸ Change default execution role"));
    roleToggle->setCheckable(true);
    roleToggle->setAutoRaise(true);
    roleToggle->setStyleSheet(QStringLiteral("QToolButton { border: none; font-weight: bold; color: #16191f; }"));
    permissions->addWidget(roleToggle);
    m_roleBox = new QWidget(panel);
    auto *roleLayout = new QVBoxLayout(m_roleBox);
    roleLayout->setContentsMargins(18, 0, 0, 0);
    roleLayout->addWidget(styledLabel(QStringLiteral("Execution role ARN"), "fieldLabel", m_roleBox));
    m_role = new QLineEdit(QString::fromStdString(engine::FunctionConfig{}.role), m_roleBox);
    m_role->setMaximumWidth(560);
    roleLayout->addWidget(m_role);
    m_roleBox->hide();
    permissions->addWidget(m_roleBox);
    connect(roleToggle, &QToolButton::toggled, this, [this, roleToggle](bool open) {
        roleToggle->setText(QStringLiteral("%1 Change default execution role").arg(open ? QStringLiteral("▾") : QStringLiteral("▸")));
        m_roleBox->setVisible(open);
    });

    connect(m_name, &QLineEdit::textEdited, this, [this] {
        m_nameTouched = true;
        validateName(false);
    });
    connect(m_runtime, &QComboBox::currentIndexChanged, this, [this] {
        updateRuntimeHint();
        emit runtimeChanged(runtime());
    });
    return panel;
}

QWidget *FunctionSettingsForm::buildAdvancedPanel()
{
    auto *panel = new Panel(QString(), this);
    panel->titleLabel()->hide();
    m_advancedToggle = new QToolButton(panel);
    m_advancedToggle->setText(QStringLiteral("▸ Advanced settings"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setAutoRaise(true);
    m_advancedToggle->setStyleSheet(QStringLiteral("QToolButton { border: none; font-weight: bold; font-size: 11pt; color: #16191f; }"));
    panel->bodyLayout()->addWidget(m_advancedToggle);

    m_advancedBody = new QWidget(panel);
    auto *body = new QVBoxLayout(m_advancedBody);
    body->setContentsMargins(18, 4, 0, 0);
    body->setSpacing(16);

    QVBoxLayout *memoryField = field(
        m_advancedBody, body, QStringLiteral("Memory"),
        QStringLiteral("Your function is allocated CPU proportional to the memory configured. "
                       "Set memory between %1 MB and %2 MB.")
            .arg(engine::kMinMemoryMb)
            .arg(engine::kMaxMemoryMb));
    m_memory = new QSpinBox(m_advancedBody);
    m_memory->setRange(engine::kMinMemoryMb, engine::kMaxMemoryMb);
    m_memory->setValue(engine::kMinMemoryMb); // Lambda's default
    m_memory->setSuffix(QStringLiteral(" MB"));
    m_memory->setMaximumWidth(200);
    memoryField->addWidget(m_memory);

    QVBoxLayout *storageField =
        field(m_advancedBody, body, QStringLiteral("Ephemeral storage"),
              QStringLiteral("Set the size of /tmp between %1 MB and %2 MB.")
                  .arg(engine::kMinEphemeralStorageMb)
                  .arg(engine::kMaxEphemeralStorageMb));
    m_storage = new QSpinBox(m_advancedBody);
    m_storage->setRange(engine::kMinEphemeralStorageMb, engine::kMaxEphemeralStorageMb);
    m_storage->setValue(engine::kMinEphemeralStorageMb); // Lambda's default
    m_storage->setSuffix(QStringLiteral(" MB"));
    m_storage->setMaximumWidth(200);
    storageField->addWidget(m_storage);

    QVBoxLayout *timeoutField =
        field(m_advancedBody, body, QStringLiteral("Timeout"),
              QStringLiteral("Set a timeout %1.").arg(timeoutRangeInWords()));
    auto *timeoutRow = new QHBoxLayout;
    m_timeoutMinutes = new QSpinBox(m_advancedBody);
    m_timeoutMinutes->setRange(0, engine::kMaxTimeoutSeconds / 60);
    m_timeoutMinutes->setSuffix(QStringLiteral(" min"));
    m_timeoutSeconds = new QSpinBox(m_advancedBody);
    m_timeoutSeconds->setRange(0, 59);
    m_timeoutSeconds->setValue(3);
    m_timeoutSeconds->setSuffix(QStringLiteral(" sec"));
    timeoutRow->addWidget(m_timeoutMinutes);
    timeoutRow->addWidget(m_timeoutSeconds);
    timeoutRow->addStretch();
    timeoutField->addLayout(timeoutRow);
    m_timeoutError = styledLabel(QString(), "errorText", m_advancedBody);
    m_timeoutError->hide();
    timeoutField->addWidget(m_timeoutError);

    QVBoxLayout *envField = field(m_advancedBody, body, QStringLiteral("Environment variables"),
                                  QStringLiteral("Key-value pairs your code reads from the environment. Keys start "
                                                 "with a letter and contain only letters, numbers and underscores."));
    m_environment = new KeyValueModel(this);
    m_environment->setKeyValidator([](const QString &key) {
        return messageOf(engine::validateEnvironmentVariableName(key.toStdString()));
    });
    m_environmentEditor = new KeyValueEditor(m_environment, QStringLiteral("Add environment variable"), m_advancedBody);
    envField->addWidget(m_environmentEditor);

    m_advancedBody->hide();
    panel->bodyLayout()->addWidget(m_advancedBody);
    connect(m_advancedToggle, &QToolButton::toggled, this, &FunctionSettingsForm::setAdvancedVisible);
    return panel;
}

void FunctionSettingsForm::setAdvancedVisible(bool visible)
{
    m_advancedToggle->setChecked(visible);
    m_advancedToggle->setText(QStringLiteral("%1 Advanced settings").arg(visible ? QStringLiteral("▾") : QStringLiteral("▸")));
    m_advancedBody->setVisible(visible);
}

void FunctionSettingsForm::setRuntimes(const std::vector<engine::Availability> &runtimes)
{
    const QString previous = runtime();
    m_runtimeItems->clear();
    QStringList unavailable;
    for (const engine::Availability &availability : runtimes) {
        const QString id = QString::fromStdString(availability.id);
        auto *item = new QStandardItem(availability.available ? id : QStringLiteral("%1 (not available here)").arg(id));
        item->setData(id, Qt::UserRole);
        item->setToolTip(QString::fromStdString(availability.detail));
        if (!availability.available) {
            item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
            unavailable << QStringLiteral("%1: %2").arg(id, QString::fromStdString(availability.detail));
        }
        m_runtimeItems->appendRow(item);
    }
    m_runtimesLoaded = true;
    m_unavailableRuntimes = static_cast<int>(unavailable.size());
    m_runtimeHint->setToolTip(unavailable.join(QLatin1Char('\n')));
    selectRuntime(previous);
    updateRuntimeHint();
}

// Which interpreter runs the chosen runtime (a stand-in version says so), and how many cannot run.
void FunctionSettingsForm::updateRuntimeHint()
{
    const int row = m_runtime->currentIndex();
    const QStandardItem *item = row >= 0 ? m_runtimeItems->item(row) : nullptr;
    QStringList parts;
    if (item && item->isEnabled() && !item->toolTip().isEmpty())
        parts << QStringLiteral("Runs on %1.").arg(item->toolTip());
    if (m_unavailableRuntimes > 0)
        parts << QStringLiteral("%1 runtime(s) cannot run on this machine (hover for why).")
                     .arg(m_unavailableRuntimes);
    m_runtimeHint->setText(parts.join(QLatin1Char(' ')));
    m_runtimeHint->setVisible(!parts.isEmpty());
}

void FunctionSettingsForm::selectRuntime(const QString &runtimeId)
{
    int exact = -1;
    int sameFamily = -1;
    int firstAvailable = -1;
    for (int row = 0; row < m_runtimeItems->rowCount(); ++row) {
        const QStandardItem *item = m_runtimeItems->item(row);
        if (!item->isEnabled())
            continue;
        const QString id = item->data(Qt::UserRole).toString();
        if (firstAvailable < 0)
            firstAvailable = row;
        if (id == runtimeId)
            exact = row;
        if (sameFamily < 0 && !runtimeId.isEmpty() && runtimeFamily(id) == runtimeFamily(runtimeId))
            sameFamily = row;
    }
    const int row = exact >= 0 ? exact : sameFamily >= 0 ? sameFamily : firstAvailable;
    m_runtime->setCurrentIndex(row);
}

QString FunctionSettingsForm::runtime() const
{
    const int row = m_runtime->currentIndex();
    if (row < 0 || !m_runtimeItems->item(row) || !m_runtimeItems->item(row)->isEnabled())
        return {};
    return m_runtimeItems->item(row)->data(Qt::UserRole).toString();
}

bool FunctionSettingsForm::validateName(bool showEmpty)
{
    const QString name = m_name->text();
    QString problem;
    if (!name.isEmpty() || showEmpty)
        problem = messageOf(engine::validateFunctionName(name.toStdString()));
    m_nameError->setText(problem);
    m_nameError->setVisible(!problem.isEmpty());
    setInvalid(m_name, !problem.isEmpty());
    return problem.isEmpty() && !name.isEmpty();
}

std::optional<engine::FunctionConfig> FunctionSettingsForm::buildConfig()
{
    bool ok = validateName(true);
    const int timeout = m_timeoutMinutes->value() * 60 + m_timeoutSeconds->value();
    const bool timeoutOk =
        timeout >= engine::kMinTimeoutSeconds && timeout <= engine::kMaxTimeoutSeconds;
    m_timeoutError->setText(
        timeoutOk ? QString() : QStringLiteral("Timeout must be %1.").arg(timeoutRangeInWords()));
    m_timeoutError->setVisible(!timeoutOk);
    ok = ok && timeoutOk;
    if (!m_environment->problems().isEmpty()) {
        setAdvancedVisible(true);
        ok = false;
    }
    if (runtime().isEmpty())
        ok = false;
    if (!ok)
        return std::nullopt;

    engine::FunctionConfig config;
    config.name = m_name->text().toStdString();
    config.runtime = runtime().toStdString();
    config.architecture = m_arm->isChecked() ? "arm64" : "x86_64";
    config.role = m_role->text().trimmed().toStdString();
    config.memorySizeMb = m_memory->value();
    config.timeoutSeconds = timeout;
    config.ephemeralStorageMb = m_storage->value();
    config.environment = m_environment->pairs();
    return config;
}

void FunctionSettingsForm::reset()
{
    m_name->clear();
    m_nameTouched = false;
    validateName(false);
    m_x86->setChecked(true);
    m_memory->setValue(128);
    m_storage->setValue(512);
    m_timeoutMinutes->setValue(0);
    m_timeoutSeconds->setValue(3);
    m_environment->setPairs({});
    setAdvancedVisible(false);
}

} // namespace lambdesk::app
