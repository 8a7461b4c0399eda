#include "function/configsection.h"

#include "errortext.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace lambdesk::app {

ConfigSection::ConfigSection(SharedFunction function, const QString &title, QWidget *parent)
    : QWidget(parent), m_controller(std::move(function))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_panel = new Panel(title, this);
    m_edit = secondaryButton(QStringLiteral("Edit"), m_panel);
    m_panel->addHeaderWidget(m_edit);
    m_pages = new QStackedWidget(m_panel);

    auto *view = new QWidget(m_pages);
    m_viewLayout = new QVBoxLayout(view);
    m_viewLayout->setContentsMargins(0, 0, 0, 0);
    m_viewLayout->setAlignment(Qt::AlignTop);
    m_pages->addWidget(view);

    auto *form = new QWidget(m_pages);
    auto *formOuter = new QVBoxLayout(form);
    formOuter->setContentsMargins(0, 0, 0, 0);
    formOuter->setSpacing(12);
    m_formLayout = new QVBoxLayout;
    m_formLayout->setSpacing(12);
    formOuter->addLayout(m_formLayout);
    m_error = inlineErrorLabel(form);
    formOuter->addWidget(m_error);
    const FormButtons buttons = formButtons(QStringLiteral("Save"), form);
    m_cancel = buttons.cancel;
    m_save = buttons.confirm;
    formOuter->addLayout(buttons.row);
    m_pages->addWidget(form);

    m_panel->bodyLayout()->addWidget(m_pages);
    // Size to the page shown, not to the taller of the two.
    connect(m_pages, &QStackedWidget::currentChanged, this, [this](int current) {
        for (int i = 0; i < m_pages->count(); ++i)
            m_pages->widget(i)->setSizePolicy(QSizePolicy::Preferred, i == current ? QSizePolicy::Preferred : QSizePolicy::Ignored);
        m_pages->adjustSize();
    });
    form->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored);
    layout->addWidget(m_panel);
    layout->addStretch(1); // a factor, so the panel keeps its natural height in a tall tab


    connect(m_edit, &QPushButton::clicked, this, &ConfigSection::edit);
    connect(m_cancel, &QPushButton::clicked, this, &ConfigSection::cancel);
    connect(m_save, &QPushButton::clicked, this, &ConfigSection::save);
}

void ConfigSection::setFunction(const engine::FunctionInfo &info)
{
    m_info = info;
    showValues(info);
}

void ConfigSection::edit()
{
    m_error->hide();
    fillForm(m_info);
    m_pages->setCurrentIndex(1);
    m_edit->hide();
}

void ConfigSection::cancel()
{
    m_pages->setCurrentIndex(0);
    m_edit->show();
}

bool ConfigSection::isEditing() const
{
    return m_pages->currentIndex() == 1;
}

void ConfigSection::save()
{
    m_error->hide();
    if (!startSave(m_info))
        return;
    m_save->setEnabled(false);
    m_save->setText(QStringLiteral("Saving..."));
}

void ConfigSection::finishSave(const engine::Result<engine::FunctionInfo> &result)
{
    m_save->setEnabled(true);
    m_save->setText(QStringLiteral("Save"));
    if (!result) {
        showError(engineErrorText(result.error()));
        return;
    }
    m_info = result.value();
    showValues(m_info);
    cancel();
    emit functionUpdated(m_info);
    emit saved(QStringLiteral("Successfully updated the function %1.").arg(QString::fromStdString(m_info.config.name)));
}

void ConfigSection::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString ConfigSection::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
