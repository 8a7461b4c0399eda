#include "function/aliasestab.h"

#include "errortext.h"
#include "widgets/confirmdialog.h"
#include "widgets/consoletable.h"
#include "widgets/flashbar.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace lambdesk::app {
namespace {

// "1" or "1 (70%), 2 (30%)", as the console's Versions column reads.
QString versionsText(const engine::AliasConfig &alias)
{
    if (alias.additionalVersionWeights.empty())
        return QString::fromStdString(alias.functionVersion);
    double additional = 0;
    QStringList parts;
    for (const auto &[version, weight] : alias.additionalVersionWeights) {
        additional += weight;
        parts << QStringLiteral("%1 (%2%)")
                     .arg(QString::fromStdString(version))
                     .arg(std::lround(weight * 100));
    }
    parts.prepend(QStringLiteral("%1 (%2%)")
                      .arg(QString::fromStdString(alias.functionVersion))
                      .arg(std::lround((1.0 - additional) * 100)));
    return parts.join(QStringLiteral(", "));
}

} // namespace

AliasesTab::AliasesTab(SharedFunction function, QWidget *parent) : FunctionTab(function, parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 14, 0, 0);
    layout->setSpacing(14);
    m_panel = new Panel(QStringLiteral("Aliases"), this);
    m_panel->setDescription(
        QStringLiteral("An alias names a version, so callers keep one ARN while you publish new "
                       "versions; a weighted alias sends a share of the invocations to a second "
                       "version."));
    m_open = secondaryButton(QStringLiteral("Open"), m_panel);
    m_open->setToolTip(QStringLiteral("The function as this alias serves it: its code, Test "
                                      "through the alias, its Monitor"));
    m_copy = secondaryButton(QStringLiteral("Copy ARN"), m_panel);
    m_delete = secondaryButton(QStringLiteral("Delete"), m_panel);
    m_edit = secondaryButton(QStringLiteral("Edit"), m_panel);
    auto *create = primaryButton(QStringLiteral("Create alias"), m_panel);
    for (QPushButton *button : {m_open, m_copy, m_delete, m_edit}) {
        button->setEnabled(false);
        m_panel->addHeaderWidget(button);
    }
    m_panel->addHeaderWidget(create);
    m_model = new QStandardItemModel(0, 4, this);
    m_model->setHorizontalHeaderLabels({QStringLiteral("Name"), QStringLiteral("Versions"),
                                        QStringLiteral("Description"),
                                        QStringLiteral("Alias ARN")});
    m_table = consoleTable(m_model, m_panel);
    m_table->setSortingEnabled(false); // by name, as the engine lists them
    m_table->setMinimumHeight(160);
    QHeaderView *header = m_table->horizontalHeader();
    header->resizeSection(0, 160);
    header->resizeSection(1, 180);
    header->resizeSection(2, 240);
    header->setStretchLastSection(true);
    elideArnColumn(m_table, 3);
    m_panel->bodyLayout()->addWidget(m_table);
    layout->addWidget(m_panel);
    layout->addWidget(buildEditor());
    layout->addStretch();

    connect(create, &QPushButton::clicked, this, &AliasesTab::startCreate);
    connect(m_edit, &QPushButton::clicked, this, &AliasesTab::startEdit);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (!selectedAlias().isEmpty())
            emit openRequested(selectedAlias());
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QString name = selectedAlias();
        if (!name.isEmpty() &&
            ConfirmDialog::ask(
                this, QStringLiteral("Delete alias %1?").arg(name),
                QStringLiteral("Callers that use its ARN will get an error. The versions it "
                               "names stay."),
                QStringLiteral("Delete")))
            deleteAlias(name);
    });
    connect(m_copy, &QPushButton::clicked, this, [this] {
        if (const engine::AliasInfo *found = alias(selectedAlias()))
            QApplication::clipboard()->setText(QString::fromStdString(found->aliasArn));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const bool selected = !selectedAlias().isEmpty();
        for (QPushButton *button : {m_open, m_copy, m_delete, m_edit})
            button->setEnabled(selected);
    });
    connect(m_table, &QTableView::activated, this, &AliasesTab::startEdit);
}

QWidget *AliasesTab::buildEditor()
{
    m_editor = new Panel(QStringLiteral("Create alias"), this);
    QVBoxLayout *body = m_editor->bodyLayout();
    body->addWidget(styledLabel(QStringLiteral("Name"), "fieldLabel", m_editor));
    m_name = new QLineEdit(m_editor);
    m_name->setMaximumWidth(420);
    m_name->setPlaceholderText(QStringLiteral("live"));
    body->addWidget(m_name);
    body->addWidget(styledLabel(QStringLiteral("Description - optional"), "fieldLabel", m_editor));
    m_description = new QLineEdit(m_editor);
    m_description->setMaximumWidth(420);
    body->addWidget(m_description);
    body->addWidget(styledLabel(QStringLiteral("Version"), "fieldLabel", m_editor));
    m_version = new QComboBox(m_editor);
    m_version->setMinimumWidth(160);
    body->addWidget(m_version, 0, Qt::AlignLeft);
    m_weighted = new QCheckBox(
        QStringLiteral("Weighted alias: send a share of the invocations to a second version"),
        m_editor);
    body->addWidget(m_weighted);
    auto *weightRow = new QHBoxLayout;
    m_additional = new QComboBox(m_editor);
    m_additional->setMinimumWidth(120);
    m_weight = new QSlider(Qt::Horizontal, m_editor);
    m_weight->setRange(0, 100);
    m_weight->setValue(10);
    m_weight->setMinimumWidth(240);
    m_weightLabel = new QLabel(m_editor);
    weightRow->addWidget(styledLabel(QStringLiteral("Additional version"), "fieldLabel", m_editor));
    weightRow->addWidget(m_additional);
    weightRow->addSpacing(16);
    weightRow->addWidget(styledLabel(QStringLiteral("Weight"), "fieldLabel", m_editor));
    weightRow->addWidget(m_weight);
    weightRow->addWidget(m_weightLabel, 1);
    body->addLayout(weightRow);
    body->addWidget(hintLabel(
        QStringLiteral("Neither version of a weighted alias can be $LATEST: publish a version "
                       "first."),
        m_editor));
    m_error = inlineErrorLabel(m_editor);
    body->addWidget(m_error);
    const FormButtons buttons = formButtons(QStringLiteral("Save"), m_editor);
    QPushButton *cancelButton = buttons.cancel;
    m_save = buttons.confirm;
    body->addLayout(buttons.row);
    m_editor->hide();

    auto weightedChanged = [this] {
        const bool on = m_weighted->isChecked();
        m_additional->setEnabled(on);
        m_weight->setEnabled(on);
        updateWeightLabel();
    };
    connect(m_weighted, &QCheckBox::toggled, this, weightedChanged);
    connect(m_weight, &QSlider::valueChanged, this, &AliasesTab::updateWeightLabel);
    connect(m_additional, &QComboBox::currentIndexChanged, this, &AliasesTab::updateWeightLabel);
    connect(m_version, &QComboBox::currentIndexChanged, this, &AliasesTab::updateWeightLabel);
    connect(cancelButton, &QPushButton::clicked, this, &AliasesTab::cancel);
    connect(m_save, &QPushButton::clicked, this, &AliasesTab::save);
    weightedChanged();
    return m_editor;
}

void AliasesTab::setFunction(const engine::FunctionInfo &info)
{
    m_function = info;
    reload();
}

void AliasesTab::reload()
{
    m_controller->listVersions(this,
                               [this](engine::Result<std::vector<engine::FunctionInfo>> versions) {
                                   m_versions.clear();
                                   if (versions)
                                       for (const engine::FunctionInfo &version : *versions)
                                           m_versions.push_back(version.version);
                                   fillVersionChoices();
                               });
    m_controller->listAliases(this, [this](engine::Result<std::vector<engine::AliasInfo>> aliases) {
        if (!aliases)
            emit flashRequested(int(Flashbar::Kind::Error), engineErrorText(aliases.error()));
        showAliases(aliases ? *aliases : std::vector<engine::AliasInfo>{});
        markLoaded();
        emit aliasesChanged();
    });
}

void AliasesTab::showAliases(const std::vector<engine::AliasInfo> &aliases)
{
    m_aliases = aliases;
    m_model->setRowCount(0);
    for (const engine::AliasInfo &alias : aliases) {
        m_model->appendRow(
            {new QStandardItem(QString::fromStdString(alias.config.name)),
             new QStandardItem(versionsText(alias.config)),
             new QStandardItem(alias.config.description.empty()
                                   ? QStringLiteral("-")
                                   : QString::fromStdString(alias.config.description)),
             new QStandardItem(QString::fromStdString(alias.aliasArn))});
    }
    m_panel->setCount(QStringLiteral("(%1)").arg(aliases.size()));
}

void AliasesTab::fillVersionChoices()
{
    const QString primary = m_version->currentText();
    const QString additional = m_additional->currentText();
    m_version->clear();
    m_additional->clear();
    // Newest first, $LATEST on top, as the console lists them.
    std::vector<std::string> ordered = m_versions;
    std::sort(ordered.begin(), ordered.end(), [](const std::string &a, const std::string &b) {
        if (a == "$LATEST" || b == "$LATEST")
            return a == "$LATEST" && b != "$LATEST";
        return std::stoi(a) > std::stoi(b);
    });
    for (const std::string &version : ordered) {
        m_version->addItem(QString::fromStdString(version));
        if (version != "$LATEST")
            m_additional->addItem(QString::fromStdString(version));
    }
    if (!primary.isEmpty())
        m_version->setCurrentText(primary);
    if (!additional.isEmpty())
        m_additional->setCurrentText(additional);
}

void AliasesTab::updateWeightLabel()
{
    if (!m_weighted->isChecked()) {
        m_weightLabel->setText(
            QStringLiteral("All invocations go to version %1.").arg(m_version->currentText()));
        return;
    }
    m_weightLabel->setText(QStringLiteral("%1% to version %2, %3% to version %4")
                               .arg(100 - m_weight->value())
                               .arg(m_version->currentText())
                               .arg(m_weight->value())
                               .arg(m_additional->currentText()));
}

const engine::AliasInfo *AliasesTab::alias(const QString &name) const
{
    const auto found =
        std::find_if(m_aliases.begin(), m_aliases.end(), [&](const engine::AliasInfo &alias) {
            return alias.config.name == name.toStdString();
        });
    return found == m_aliases.end() ? nullptr : &*found;
}

QString AliasesTab::selectedAlias() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->item(rows.first().row(), 0)->text();
}

void AliasesTab::startCreate()
{
    m_editing.clear();
    m_editor->setTitle(QStringLiteral("Create alias"));
    m_name->clear();
    m_name->setReadOnly(false);
    m_description->clear();
    m_weighted->setChecked(false);
    m_weight->setValue(10);
    fillVersionChoices();
    m_error->hide();
    m_editor->show();
    revealInScrollArea(m_editor);
    m_name->setFocus();
}

void AliasesTab::startEdit()
{
    const engine::AliasInfo *found = alias(selectedAlias());
    if (!found)
        return;
    m_editing = QString::fromStdString(found->config.name);
    m_editor->setTitle(QStringLiteral("Edit alias %1").arg(m_editing));
    m_name->setText(m_editing);
    m_name->setReadOnly(true);
    m_description->setText(QString::fromStdString(found->config.description));
    fillVersionChoices();
    m_version->setCurrentText(QString::fromStdString(found->config.functionVersion));
    const auto &weights = found->config.additionalVersionWeights;
    m_weighted->setChecked(!weights.empty());
    if (!weights.empty()) {
        m_additional->setCurrentText(QString::fromStdString(weights.begin()->first));
        m_weight->setValue(int(std::lround(weights.begin()->second * 100)));
    }
    m_error->hide();
    m_editor->show();
    revealInScrollArea(m_editor);
}

void AliasesTab::cancel()
{
    m_editor->hide();
    m_error->hide();
}

bool AliasesTab::isEditing() const
{
    return m_editor->isVisibleTo(this);
}

QString AliasesTab::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void AliasesTab::save()
{
    std::map<std::string, double> weights;
    if (m_weighted->isChecked())
        weights[m_additional->currentText().toStdString()] = m_weight->value() / 100.0;
    m_save->setEnabled(false);
    if (m_editing.isEmpty()) {
        engine::AliasConfig config{m_name->text().trimmed().toStdString(),
                                   m_version->currentText().toStdString(),
                                   m_description->text().toStdString(), weights};
        m_controller->createAlias(this, std::move(config),
                                  [this](engine::Result<engine::AliasInfo> result) {
                                      finish(result, QStringLiteral("created"));
                                  });
        return;
    }
    engine::AliasPatch patch;
    patch.functionVersion = m_version->currentText().toStdString();
    patch.description = m_description->text().toStdString();
    patch.additionalVersionWeights = weights;
    if (const engine::AliasInfo *found = alias(m_editing))
        patch.revisionId =
            found->revisionId; // someone else's change in between is refused, not lost
    m_controller->updateAlias(this, m_editing.toStdString(), std::move(patch),
                              [this](engine::Result<engine::AliasInfo> result) {
                                  finish(result, QStringLiteral("updated"));
                              });
}

void AliasesTab::finish(const engine::Result<engine::AliasInfo> &result, const QString &verb)
{
    m_save->setEnabled(true);
    if (!result) {
        m_error->setText(engineErrorText(result.error()));
        m_error->show();
        return;
    }
    cancel();
    emit flashRequested(int(Flashbar::Kind::Success),
                        QStringLiteral("Successfully %1 alias %2.")
                            .arg(verb, QString::fromStdString(result->config.name)));
    reload();
}

void AliasesTab::deleteAlias(const QString &name)
{
    m_controller->deleteAlias(this, name.toStdString(), [this, name](engine::Result<void> result) {
        if (result)
            emit flashRequested(int(Flashbar::Kind::Success),
                                QStringLiteral("Successfully deleted alias %1.").arg(name));
        else
            emit flashRequested(int(Flashbar::Kind::Error), engineErrorText(result.error()));
        reload();
    });
}

} // namespace lambdesk::app
