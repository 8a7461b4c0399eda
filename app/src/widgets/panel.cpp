#include "widgets/panel.h"

#include "widgets/ui.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace lambdesk::app {

Panel::Panel(const QString &title, QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("panel"));
    setAttribute(Qt::WA_StyledBackground);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);

    auto *header = new QWidget(this);
    auto *headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(20, 14, 20, 10);
    headerLayout->setSpacing(8);
    auto *titles = new QVBoxLayout;
    titles->setSpacing(2);
    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(6);
    m_title = styledLabel(title, "panelTitle", header);
    m_count = styledLabel(QString(), "panelCount", header);
    m_count->hide();
    titleRow->addWidget(m_title);
    titleRow->addWidget(m_count);
    titleRow->addStretch();
    titles->addLayout(titleRow);
    m_description = styledLabel(QString(), "hint", header);
    m_description->setWordWrap(true);
    m_description->hide();
    titles->addWidget(m_description);
    headerLayout->addLayout(titles, 1);
    m_headerActions = new QHBoxLayout;
    m_headerActions->setSpacing(8);
    headerLayout->addLayout(m_headerActions);
    outer->addWidget(header);

    m_body = new QVBoxLayout;
    m_body->setContentsMargins(20, 4, 20, 18);
    m_body->setSpacing(10);
    outer->addLayout(m_body);
}

void Panel::setTitle(const QString &title)
{
    m_title->setText(title);
}

void Panel::setCount(const QString &count)
{
    m_count->setText(count);
    m_count->setVisible(!count.isEmpty());
}

void Panel::setDescription(const QString &text)
{
    m_description->setText(text);
    m_description->setVisible(!text.isEmpty());
}

void Panel::addHeaderWidget(QWidget *widget)
{
    m_headerActions->addWidget(widget);
}

} // namespace lambdesk::app
