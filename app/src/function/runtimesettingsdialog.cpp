#include "function/runtimesettingsdialog.h"

#include "errortext.h"
#include "widgets/ui.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace lambdesk::app {

RuntimeSettingsDialog::RuntimeSettingsDialog(SharedFunction function,
                                             const engine::FunctionInfo &info, QWidget *parent)
    : QDialog(parent), m_controller(std::move(function)), m_info(info)
{
    setWindowTitle(QStringLiteral("Edit runtime settings"));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(8);
    layout->addWidget(styledLabel(QStringLiteral("Edit runtime settings"), "panelTitle", this));
    layout->addWidget(styledLabel(QStringLiteral("Runtime"), "fieldLabel", this));
    m_runtime = new QComboBox(this);
    m_runtime->addItem(QString::fromStdString(info.config.runtime));
    layout->addWidget(m_runtime);
    layout->addWidget(styledLabel(QStringLiteral("Handler"), "fieldLabel", this));
    layout->addWidget(styledLabel(QStringLiteral("file name without extension, a dot, then the function: "
                                                 "lambda_function.lambda_handler"), "hint", this));
    m_handler = new QLineEdit(QString::fromStdString(info.config.handler), this);
    layout->addWidget(m_handler);
    m_error = styledLabel(QString(), "errorText", this);
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    auto *cancel = linkButton(QStringLiteral("Cancel"), this);
    m_save = primaryButton(QStringLiteral("Save"), this);
    buttons->addWidget(cancel);
    buttons->addSpacing(12);
    buttons->addWidget(m_save);
    layout->addSpacing(8);
    layout->addLayout(buttons);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &RuntimeSettingsDialog::save);

    m_controller->runtimes(this, [this](std::vector<engine::Availability> runtimes) {
        const QString current = m_runtime->currentText();
        m_runtime->clear();
        auto *items = new QStandardItemModel(m_runtime);
        for (const engine::Availability &runtime : runtimes) {
            auto *item = new QStandardItem(QString::fromStdString(runtime.id));
            item->setToolTip(QString::fromStdString(runtime.detail));
            if (!runtime.available)
                item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
            items->appendRow(item);
        }
        m_runtime->setModel(items);
        m_runtime->setCurrentText(current);
    });
}

void RuntimeSettingsDialog::save()
{
    engine::FunctionConfigPatch patch;
    patch.runtime = m_runtime->currentText().toStdString();
    patch.handler = m_handler->text().trimmed().toStdString();
    m_save->setEnabled(false);
    m_controller->updateConfiguration(this, patch,
                                      [this](engine::Result<engine::FunctionInfo> result) {
                                          m_save->setEnabled(true);
                                          if (!result) {
                                              m_error->setText(engineErrorText(result.error()));
                                              m_error->show();
                                              return;
                                          }
                                          emit saved(result.value());
                                          accept();
                                      });
}

} // namespace lambdesk::app
