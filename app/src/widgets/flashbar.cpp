#include "widgets/flashbar.h"

#include "widgets/ui.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace lambdesk::app {

Flashbar::Flashbar(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("flash"));
    setAttribute(Qt::WA_StyledBackground);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(16, 10, 10, 10);
    layout->setSpacing(10);
    m_icon = new QLabel(this);
    m_icon->setAlignment(Qt::AlignTop);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(QStringLiteral("flashText"));
    auto *dismiss = new QPushButton(QStringLiteral("✕"), this);
    dismiss->setToolTip(QStringLiteral("Dismiss"));
    dismiss->setCursor(Qt::PointingHandCursor);
    connect(dismiss, &QPushButton::clicked, this, &Flashbar::clear);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(dismiss, 0, Qt::AlignTop);
    hide();
}

void Flashbar::showMessage(Kind kind, const QString &text)
{
    static const char *const kinds[] = {"info", "success", "error", "warning"};
    static const char *const icons[] = {"ⓘ", "✓", "⊗", "⚠"};
    m_kind = kind;
    setProperty("kind", QLatin1String(kinds[int(kind)]));
    m_icon->setText(QString::fromUtf8(icons[int(kind)]));
    m_text->setText(text);
    repolish(this);
    for (QWidget *child : findChildren<QWidget *>())
        repolish(child);
    show();
}

void Flashbar::clear()
{
    m_text->clear();
    hide();
}

QString Flashbar::text() const
{
    return isVisible() || !m_text->text().isEmpty() ? m_text->text() : QString();
}

} // namespace lambdesk::app
