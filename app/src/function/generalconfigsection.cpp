#include "function/generalconfigsection.h"

#include "format.h"
#include "widgets/ui.h"

#include "lambdesk/engine/validation.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

// The values three to a row, as the console lays them out, so the section fits a narrow window.
QLabel *viewValue(QGridLayout *grid, int index, const QString &label, QWidget *parent)
{
    const int row = index / 3 * 2;
    const int column = index % 3;
    QLabel *title = styledLabel(label, "fieldLabel", parent);
    if (row > 0)
        title->setContentsMargins(0, 12, 0, 0);
    grid->addWidget(title, row, column);
    auto *value = new QLabel(QStringLiteral("-"), parent);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(value, row + 1, column);
    grid->setColumnStretch(column, 1);
    return value;
}

void addField(QVBoxLayout *layout, QWidget *parent, const QString &label, const QString &hint, QLayout *input)
{
    layout->addWidget(styledLabel(label, "fieldLabel", parent));
    if (!hint.isEmpty())
        layout->addWidget(hintLabel(hint, parent));
    layout->addLayout(input);
}

// The inputs side by side, left-aligned, as the console's form rows.
QHBoxLayout *row(std::initializer_list<QWidget *> inputs)
{
    auto *layout = new QHBoxLayout;
    for (QWidget *input : inputs)
        layout->addWidget(input);
    layout->addStretch();
    return layout;
}

QSpinBox *megabyteBox(QWidget *parent, int minimum, int maximum)
{
    auto *box = new QSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setSuffix(QStringLiteral(" MB"));
    box->setMinimumWidth(160);
    return box;
}

} // namespace

GeneralConfigSection::GeneralConfigSection(SharedFunction function, QWidget *parent)
    : ConfigSection(function, QStringLiteral("General configuration"), parent)
{
    auto *view = new QWidget(this);
    auto *grid = new QGridLayout(view);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(30);
    grid->setVerticalSpacing(2);
    m_viewDescription = viewValue(grid, 0, QStringLiteral("Description"), view);
    m_viewMemory = viewValue(grid, 1, QStringLiteral("Memory"), view);
    m_viewStorage = viewValue(grid, 2, QStringLiteral("Ephemeral storage"), view);
    m_viewTimeout = viewValue(grid, 3, QStringLiteral("Timeout"), view);
    m_viewSnapStart = viewValue(grid, 4, QStringLiteral("SnapStart"), view);
    viewLayout()->addWidget(view);

    auto *form = new QWidget(this);
    auto *formLayout = new QVBoxLayout(form);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->setSpacing(4);
    m_description = new QLineEdit(form);
    m_description->setMaxLength(static_cast<int>(engine::kMaxDescriptionLength));
    m_description->setMaximumWidth(560);
    addField(formLayout, form, QStringLiteral("Description - optional"), QString(), row({m_description}));
    formLayout->addSpacing(8);
    m_memory = megabyteBox(form, engine::kMinMemoryMb, engine::kMaxMemoryMb);
    addField(formLayout, form, QStringLiteral("Memory"),
             QStringLiteral("Your function is allocated CPU proportional to the memory configured. "
                            "Set memory between %1 MB and %2 MB.")
                 .arg(engine::kMinMemoryMb)
                 .arg(engine::kMaxMemoryMb),
             row({m_memory}));
    formLayout->addSpacing(8);
    m_storage = megabyteBox(form, engine::kMinEphemeralStorageMb, engine::kMaxEphemeralStorageMb);
    addField(formLayout, form, QStringLiteral("Ephemeral storage"),
             QStringLiteral("Set the size of /tmp between %1 MB and %2 MB.")
                 .arg(engine::kMinEphemeralStorageMb)
                 .arg(engine::kMaxEphemeralStorageMb),
             row({m_storage}));
    formLayout->addSpacing(8);
    m_minutes = new QSpinBox(form);
    m_minutes->setRange(0, engine::kMaxTimeoutSeconds / 60);
    m_minutes->setSuffix(QStringLiteral(" min"));
    m_seconds = new QSpinBox(form);
    m_seconds->setRange(0, 59);
    m_seconds->setSuffix(QStringLiteral(" sec"));
    addField(formLayout, form, QStringLiteral("Timeout"), QStringLiteral("Between 1 second and 15 minutes."),
             row({m_minutes, m_seconds}));
    formLayout->addSpacing(8);
    m_snapStart = new QComboBox(form);
    m_snapStart->addItems({QStringLiteral("None"), QStringLiteral("PublishedVersions")});
    m_snapStart->setMinimumWidth(200);
    addField(formLayout, form, QStringLiteral("SnapStart"),
             QStringLiteral("Published versions: later cold starts resume a snapshot taken after init (microvm)."),
             row({m_snapStart}));
    this->formLayout()->addWidget(form);
}

void GeneralConfigSection::showValues(const engine::FunctionInfo &info)
{
    m_viewDescription->setText(info.config.description.empty() ? QStringLiteral("-")
                                                               : QString::fromStdString(info.config.description));
    m_viewMemory->setText(megabytes(info.config.memorySizeMb));
    m_viewStorage->setText(megabytes(info.config.ephemeralStorageMb));
    m_viewTimeout->setText(minutesSeconds(info.config.timeoutSeconds));
    m_viewSnapStart->setText(QString::fromStdString(info.config.snapStartApplyOn));
}

void GeneralConfigSection::fillForm(const engine::FunctionInfo &info)
{
    m_description->setText(QString::fromStdString(info.config.description));
    m_memory->setValue(info.config.memorySizeMb);
    m_storage->setValue(info.config.ephemeralStorageMb);
    m_minutes->setValue(info.config.timeoutSeconds / 60);
    m_seconds->setValue(info.config.timeoutSeconds % 60);
    m_snapStart->setCurrentText(QString::fromStdString(info.config.snapStartApplyOn));
}

bool GeneralConfigSection::startSave(const engine::FunctionInfo &info)
{
    const int timeout = m_minutes->value() * 60 + m_seconds->value();
    if (timeout < engine::kMinTimeoutSeconds || timeout > engine::kMaxTimeoutSeconds) {
        showError(QStringLiteral("Timeout must be %1 (now %2).")
                      .arg(timeoutRangeInWords(), minutesSeconds(timeout)));
        return false;
    }
    engine::FunctionConfigPatch patch;
    patch.description = m_description->text().toStdString();
    patch.memorySizeMb = m_memory->value();
    patch.ephemeralStorageMb = m_storage->value();
    patch.timeoutSeconds = timeout;
    patch.snapStartApplyOn = m_snapStart->currentText().toStdString();
    patch.revisionId = info.revisionId;
    m_controller->updateConfiguration(
        this, patch,
        [this](const engine::Result<engine::FunctionInfo> &result) { finishSave(result); });
    return true;
}

} // namespace lambdesk::app
