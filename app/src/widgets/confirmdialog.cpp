#include "widgets/confirmdialog.h"

#include "widgets/ui.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lambdesk::app {

ConfirmDialog::ConfirmDialog(const QString &title, const QString &text, const QString &confirmText,
                             QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    setMinimumWidth(480);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(12);
    layout->addWidget(styledLabel(title, "panelTitle", this));
    auto *explanation = new QLabel(text, this);
    explanation->setWordWrap(true);
    layout->addWidget(explanation);
    m_fields = new QVBoxLayout;
    m_fields->setSpacing(4);
    layout->addLayout(m_fields);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    auto *cancel = secondaryButton(QStringLiteral("Cancel"), this);
    m_confirm = primaryButton(confirmText, this);
    m_confirm->setDefault(true);
    buttons->addWidget(cancel);
    buttons->addWidget(m_confirm);
    layout->addSpacing(4);
    layout->addLayout(buttons);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_confirm, &QPushButton::clicked, this, &QDialog::accept);
}

QLineEdit *ConfirmDialog::addField(const QString &label, const QString &hint)
{
    m_fields->addWidget(styledLabel(label, "fieldLabel", this));
    if (!hint.isEmpty())
        m_fields->addWidget(styledLabel(hint, "hint", this));
    auto *field = new QLineEdit(this);
    m_fields->addWidget(field);
    field->setFocus();
    return field;
}

bool ConfirmDialog::ask(QWidget *parent, const QString &title, const QString &text,
                        const QString &confirmText)
{
    ConfirmDialog dialog(title, text, confirmText, parent);
    return dialog.exec() == QDialog::Accepted;
}

} // namespace lambdesk::app
