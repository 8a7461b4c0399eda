#include "function/concurrencysection.h"

#include "widgets/ui.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace lambdesk::app {

ConcurrencySection::ConcurrencySection(SharedFunction function, QWidget *parent)
    : ConfigSection(function, QStringLiteral("Concurrency"), parent)
{
    viewLayout()->addWidget(styledLabel(QStringLiteral("Function concurrency"), "fieldLabel", this));
    m_view = new QLabel(this);
    viewLayout()->addWidget(m_view);
    viewLayout()->addWidget(styledLabel(QStringLiteral("Unreserved account concurrency: %1")
                                            .arg(m_controller->accountConcurrency()),
                                        "hint", this));

    formLayout()->addWidget(styledLabel(QStringLiteral("Concurrency"), "fieldLabel", this));
    m_unreserved = new QRadioButton(QStringLiteral("Use unreserved account concurrency"), this);
    m_reserve = new QRadioButton(QStringLiteral("Reserve concurrency"), this);
    auto *group = new QButtonGroup(this);
    group->addButton(m_unreserved);
    group->addButton(m_reserve);
    formLayout()->addWidget(m_unreserved);
    formLayout()->addWidget(m_reserve);
    auto *row = new QHBoxLayout;
    row->setContentsMargins(24, 0, 0, 0);
    m_reserved = new QSpinBox(this);
    m_reserved->setRange(0, m_controller->accountConcurrency());
    m_reserved->setMinimumWidth(120);
    row->addWidget(m_reserved);
    row->addWidget(styledLabel(QStringLiteral("0 throttles every invocation."), "hint", this));
    row->addStretch();
    formLayout()->addLayout(row);
    connect(m_reserve, &QRadioButton::toggled, m_reserved, &QSpinBox::setEnabled);
}

void ConcurrencySection::showValues(const engine::FunctionInfo &info)
{
    m_view->setText(info.reservedConcurrency
                        ? QStringLiteral("Reserved concurrency: %1").arg(*info.reservedConcurrency)
                        : QStringLiteral("Use unreserved account concurrency"));
}

void ConcurrencySection::fillForm(const engine::FunctionInfo &info)
{
    (info.reservedConcurrency ? m_reserve : m_unreserved)->setChecked(true);
    m_reserved->setValue(info.reservedConcurrency.value_or(10));
    m_reserved->setEnabled(info.reservedConcurrency.has_value());
}

bool ConcurrencySection::startSave(const engine::FunctionInfo &)
{
    const bool reserve = m_reserve->isChecked();
    const int value = m_reserved->value();
    m_controller->setReservedConcurrency(
        this, reserve ? std::optional<int>(value) : std::nullopt,
        [this](engine::Result<engine::FunctionInfo> result) { finishSave(result); });
    return true;
}

} // namespace lambdesk::app
