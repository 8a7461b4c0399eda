#include "widgets/optioncard.h"

#include "widgets/ui.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QRadioButton>
#include <QVBoxLayout>

namespace lambdesk::app {

OptionCard::OptionCard(const QString &title, const QString &description, QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("optionCard"));
    setAttribute(Qt::WA_StyledBackground);
    setCursor(Qt::PointingHandCursor);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 12, 14, 12);
    layout->setSpacing(4);
    // The title is a word-wrapped label beside the radio, not the radio's own text, so four cards
    // fit side by side in a narrow window ("Browse serverless app repository" wraps).
    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(6);
    m_radio = new QRadioButton(this);
    m_radio->setAccessibleName(title);
    auto *titleLabel = styledLabel(title, "optionCardTitle", this);
    titleLabel->setWordWrap(true);
    titleRow->addWidget(m_radio, 0, Qt::AlignTop);
    titleRow->addWidget(titleLabel, 1);
    m_description = styledLabel(description, "hint", this);
    m_description->setWordWrap(true);
    m_description->setContentsMargins(22, 0, 0, 0);
    layout->addLayout(titleRow);
    layout->addWidget(m_description);
    layout->addStretch();
    connect(m_radio, &QRadioButton::toggled, this, [this](bool checked) {
        updateLook();
        if (checked)
            emit chosen();
    });
    updateLook();
}

void OptionCard::setChecked(bool checked)
{
    m_radio->setChecked(checked);
}

bool OptionCard::isChecked() const
{
    return m_radio->isChecked();
}

void OptionCard::mousePressEvent(QMouseEvent *event)
{
    if (isEnabled() && event->button() == Qt::LeftButton)
        m_radio->setChecked(true);
    QFrame::mousePressEvent(event);
}

void OptionCard::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::EnabledChange)
        updateLook();
    QFrame::changeEvent(event);
}

void OptionCard::updateLook()
{
    setProperty("selected", m_radio->isChecked());
    repolish(this);
}

} // namespace lambdesk::app
