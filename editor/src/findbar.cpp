#include "findbar.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QToolButton>

#include <functional>

namespace lambdesk::editor::detail {
namespace {

QToolButton *makeButton(const QString &text, const QString &toolTip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setAutoRaise(false);
    button->setFocusPolicy(Qt::TabFocus);
    return button;
}

// Shift+Enter in the find field searches backwards, Enter forwards.
class FindField : public QLineEdit {
public:
    using QLineEdit::QLineEdit;
    std::function<void(bool)> onEnter;

protected:
    void keyPressEvent(QKeyEvent *event) override
    {
        if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && onEnter) {
            onEnter(!(event->modifiers() & Qt::ShiftModifier));
            return;
        }
        QLineEdit::keyPressEvent(event);
    }
};

} // namespace

FindBar::FindBar(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("findBar"));
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(QStringLiteral(
        "#findBar { background: #f2f3f3; border-top: 1px solid #d5dbdb; }"
        "#findBar QLineEdit { background: white; border: 1px solid #aab7b8; border-radius: 2px;"
        " padding: 2px 4px; min-width: 220px; }"
        "#findBar QLineEdit:focus { border-color: #0073bb; }"
        "#findBar QToolButton { background: white; border: 1px solid #aab7b8; border-radius: 2px;"
        " padding: 2px 8px; color: #16191f; }"
        "#findBar QToolButton:hover { background: #fafafa; border-color: #545b64; }"
        "#findBar QToolButton#findClose { border: none; background: transparent;"
        " padding: 2px 4px; }"
        "#findBar QLabel { color: #545b64; }"));

    auto *find = new FindField(this);
    find->onEnter = [this](bool forward) { emit findRequested(forward); };
    m_find = find;
    m_find->setObjectName(QStringLiteral("findField"));
    m_find->setPlaceholderText(tr("Find"));
    m_replace = new QLineEdit(this);
    m_replace->setObjectName(QStringLiteral("replaceField"));
    m_replace->setPlaceholderText(tr("Replace with"));
    m_matchCase = new QCheckBox(tr("Match case"), this);
    m_matchCase->setObjectName(QStringLiteral("matchCase"));
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("matchCount"));
    m_count->setMinimumWidth(90);

    auto *previous = makeButton(tr("Prev"), tr("Previous match (Shift+Enter)"), this);
    auto *next = makeButton(tr("Next"), tr("Next match (Enter)"), this);
    auto *replace = makeButton(tr("Replace"), tr("Replace this match and find the next"), this);
    auto *replaceAll = makeButton(tr("Replace all"), tr("Replace every match"), this);
    auto *close = makeButton(QStringLiteral("\u2715"), tr("Close (Esc)"), this);
    previous->setObjectName(QStringLiteral("findPrevious"));
    next->setObjectName(QStringLiteral("findNext"));
    replace->setObjectName(QStringLiteral("replaceOne"));
    replaceAll->setObjectName(QStringLiteral("replaceAll"));
    close->setObjectName(QStringLiteral("findClose"));

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(8, 5, 6, 5);
    layout->setHorizontalSpacing(6);
    layout->setVerticalSpacing(4);
    layout->addWidget(m_find, 0, 0);
    layout->addWidget(previous, 0, 1);
    layout->addWidget(next, 0, 2);
    layout->addWidget(m_matchCase, 0, 3);
    layout->addWidget(m_count, 0, 4);
    layout->addWidget(close, 0, 6, Qt::AlignRight);
    layout->addWidget(m_replace, 1, 0);
    layout->addWidget(replace, 1, 1, 1, 2);
    layout->addWidget(replaceAll, 1, 3);
    layout->setColumnStretch(5, 1);

    connect(previous, &QToolButton::clicked, this, [this] { emit findRequested(false); });
    connect(next, &QToolButton::clicked, this, [this] { emit findRequested(true); });
    connect(replace, &QToolButton::clicked, this, &FindBar::replaceRequested);
    connect(m_replace, &QLineEdit::returnPressed, this, &FindBar::replaceRequested);
    connect(replaceAll, &QToolButton::clicked, this, &FindBar::replaceAllRequested);
    connect(m_find, &QLineEdit::textChanged, this, &FindBar::searchChanged);
    connect(m_matchCase, &QCheckBox::toggled, this, &FindBar::searchChanged);
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        emit closed();
    });
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this, nullptr, nullptr,
                                 Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, [this] {
        hide();
        emit closed();
    });
}

QString FindBar::findText() const
{
    return m_find->text();
}

QString FindBar::replaceText() const
{
    return m_replace->text();
}

bool FindBar::isCaseSensitive() const
{
    return m_matchCase->isChecked();
}

void FindBar::activate(const QString &seed)
{
    show();
    if (!seed.isEmpty() && !seed.contains(QLatin1Char('\n')))
        m_find->setText(seed);
    m_find->setFocus(Qt::ShortcutFocusReason);
    m_find->selectAll();
    emit searchChanged();
}

void FindBar::setMatchInfo(int current, int total)
{
    if (m_find->text().isEmpty())
        m_count->clear();
    else if (total == 0)
        m_count->setText(tr("No results"));
    else if (current > 0)
        m_count->setText(tr("%1 of %2").arg(current).arg(total));
    else
        m_count->setText(total == 1 ? tr("1 match") : tr("%1 matches").arg(total));
}

} // namespace lambdesk::editor::detail
