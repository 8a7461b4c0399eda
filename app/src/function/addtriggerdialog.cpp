#include "function/addtriggerdialog.h"

#include "errortext.h"
#include "function/triggerform.h"
#include "widgets/ui.h"

#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace lambdesk::app {

AddTriggerDialog::AddTriggerDialog(SharedFunction function, QWidget *parent)
    : QDialog(parent), m_controller(std::move(function))
{
    setWindowTitle(QStringLiteral("Add trigger"));
    setMinimumWidth(600);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(12);
    // Not the default constraint: it makes the dialog at least as tall as each wrapped label is at
    // its narrowest (the folder form would not fit the screen); fit() sizes it for its width.
    layout->setSizeConstraint(QLayout::SetNoConstraint);
    layout->addWidget(styledLabel(QStringLiteral("Add trigger"), "panelTitle", this));
    layout->addWidget(hintLabel(QStringLiteral("Trigger configuration"), this));
    m_form = new TriggerForm(this);
    layout->addWidget(m_form);
    m_error = inlineErrorLabel(this);
    layout->addWidget(m_error);
    const FormButtons buttons = formButtons(QStringLiteral("Add"), this);
    m_add = buttons.confirm;
    m_add->setDefault(true); // Enter adds; the Cancel link must not take it
    layout->addLayout(buttons.row);
    connect(buttons.cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_add, &QPushButton::clicked, this, &AddTriggerDialog::add);
    // A page shown or hidden re-lays the form out from the event loop: fit the dialog after that.
    connect(m_form, &TriggerForm::resized, this, [this] {
        m_error->hide();
        fit();
    });
    m_controller->queueNames(this, [this](const engine::Result<std::vector<std::string>> &names) {
        m_form->setQueueNames(names);
    });
    QTimer::singleShot(0, this, &AddTriggerDialog::fit); // once shown and laid out
}

void AddTriggerDialog::fail(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    fit();
}

// As tall as the form needs at the dialog's width, and no less: the minimum follows the page.
void AddTriggerDialog::fit()
{
    setMinimumHeight(0);
    // The form told its layouts the page changed (TriggerForm::fitToSource); this one too.
    layout()->invalidate();
    layout()->activate();
    adjustSize();
    if (hasHeightForWidth())
        resize(width(), heightForWidth(width()));
    setMinimumHeight(height());
}

void AddTriggerDialog::add()
{
    m_error->hide();
    auto request = m_form->request();
    if (!request)
        return fail(engineErrorText(request.error()));
    const bool url = request->kind == engine::TriggerKind::FunctionUrl;
    m_add->setEnabled(false);
    m_controller->addTrigger(this, *request, [this, url](engine::Result<std::string> name) {
        m_add->setEnabled(true);
        if (!name)
            return fail(
                QStringLiteral("Adding the trigger failed: %1").arg(engineErrorText(name.error())));
        emit added(
            QStringLiteral("The trigger %1 was successfully added to function %2. The "
                           "function is now receiving events from the trigger.")
                .arg(QString::fromStdString(*name), QString::fromStdString(m_controller->name())));
        if (url)
            emit functionUrlAdded();
        accept();
    });
}

QString AddTriggerDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
