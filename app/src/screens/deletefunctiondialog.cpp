#include "screens/deletefunctiondialog.h"

#include "widgets/ui.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lambdesk::app {

DeleteFunctionDialog::DeleteFunctionDialog(const QString &functionName, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Delete function"));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(12);
    layout->addWidget(styledLabel(QStringLiteral("Delete function %1").arg(functionName), "panelTitle", this));
    auto *text = new QLabel(
        QStringLiteral("Deleting a function permanently removes the function code, its versions, "
                       "saved test events and drafts. The recorded invocations stay in the history."),
        this);
    text->setWordWrap(true);
    layout->addWidget(text);
    layout->addWidget(new QLabel(
        QStringLiteral("To confirm deletion, enter <b>%1</b> in the text input field.").arg(functionName.toHtmlEscaped()),
        this));
    m_confirmation = new QLineEdit(this);
    m_confirmation->setPlaceholderText(functionName);
    layout->addWidget(m_confirmation);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    auto *cancel = secondaryButton(QStringLiteral("Cancel"), this);
    m_delete = primaryButton(QStringLiteral("Delete"), this);
    m_delete->setEnabled(false);
    buttons->addWidget(cancel);
    buttons->addWidget(m_delete);
    layout->addLayout(buttons);

    connect(m_confirmation, &QLineEdit::textChanged, this,
            [this, functionName](const QString &text) { m_delete->setEnabled(text == functionName); });
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_delete, &QPushButton::clicked, this, &QDialog::accept);
}

} // namespace lambdesk::app
