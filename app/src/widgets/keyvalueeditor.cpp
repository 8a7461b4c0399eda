#include "widgets/keyvalueeditor.h"

#include "models/keyvaluemodel.h"
#include "widgets/ui.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace lambdesk::app {

KeyValueEditor::KeyValueEditor(KeyValueModel *model, const QString &addText, QWidget *parent)
    : QWidget(parent), m_model(model)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableView(this);
    m_table->setModel(model);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_table->horizontalHeader()->resizeSection(0, 260);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_table->setMinimumHeight(140);
    m_table->setFrameShape(QFrame::StyledPanel);
    layout->addWidget(m_table);

    auto *buttons = new QHBoxLayout;
    m_add = secondaryButton(addText, this);
    m_remove = secondaryButton(QStringLiteral("Remove"), this);
    m_remove->setEnabled(false);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_problems = styledLabel(QString(), "errorText", this);
    m_problems->setWordWrap(true);
    m_problems->hide();
    layout->addWidget(m_problems);

    connect(m_add, &QPushButton::clicked, this, [this] {
        const int row = m_model->addRow();
        const QModelIndex keyIndex = m_model->index(row, 0);
        m_table->setCurrentIndex(keyIndex);
        m_table->edit(keyIndex);
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            m_model->removeRowAt(current.row());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { m_remove->setEnabled(current.isValid() && m_table->isEnabled()); });
    connect(model, &QAbstractItemModel::dataChanged, this, &KeyValueEditor::updateProblems);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &KeyValueEditor::updateProblems);
    connect(model, &QAbstractItemModel::rowsInserted, this, &KeyValueEditor::updateProblems);
    connect(model, &QAbstractItemModel::modelReset, this, &KeyValueEditor::updateProblems);
}

bool KeyValueEditor::hasProblems() const
{
    return !m_model->problems().isEmpty();
}

void KeyValueEditor::setReadOnly(bool readOnly)
{
    m_table->setEditTriggers(readOnly ? QAbstractItemView::NoEditTriggers : QAbstractItemView::AllEditTriggers);
    m_add->setVisible(!readOnly);
    m_remove->setVisible(!readOnly);
}

void KeyValueEditor::updateProblems()
{
    const QStringList problems = m_model->problems();
    m_problems->setText(problems.join(QLatin1Char('\n')));
    m_problems->setVisible(!problems.isEmpty());
}

} // namespace lambdesk::app
