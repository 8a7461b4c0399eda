#include "function/layerssection.h"

#include "format.h"
#include "widgets/consoletable.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/validation.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace lambdesk::app {
namespace {

} // namespace

LayersSection::LayersSection(SharedFunction function, QWidget *parent)
    : ConfigSection(function, QStringLiteral("Layers"), parent)
{
    auto *add = secondaryButton(QStringLiteral("Add a layer"), panel());
    panel()->addHeaderWidget(add);
    connect(add, &QPushButton::clicked, this, &LayersSection::addLayer);

    m_viewModel = new QStandardItemModel(0, 5, this);
    m_viewModel->setHorizontalHeaderLabels(
        {QStringLiteral("Merge order"), QStringLiteral("Name"), QStringLiteral("Layer version"),
         QStringLiteral("Compatible runtimes"), QStringLiteral("Version ARN")});
    m_viewTable = consoleTable(m_viewModel, this);
    m_viewTable->setSortingEnabled(false); // merge order is the order
    m_viewTable->setMinimumHeight(120);
    m_viewTable->setFrameShape(QFrame::StyledPanel);
    QHeaderView *header = m_viewTable->horizontalHeader();
    header->resizeSection(0, 110);
    header->resizeSection(1, 180);
    header->resizeSection(2, 110);
    header->resizeSection(3, 200);
    header->setStretchLastSection(true);
    elideArnColumn(m_viewTable, 4);
    viewLayout()->addWidget(m_viewTable);

    formLayout()->addWidget(hintLabel(
        QStringLiteral(
            "Layers are merged at /opt in this order: a file in a later layer replaces the same "
            "file "
            "from an earlier one. Python imports from /opt/python, Node.js requires from "
            "/opt/nodejs/node_modules, /opt/bin is on PATH and /opt/lib on LD_LIBRARY_PATH. "
            "A function uses at most %1 layers, at most 250 MB unzipped with its code.")
            .arg(engine::kMaxLayers),
        this));
    auto *orderRow = new QHBoxLayout;
    m_order = new QListWidget(this);
    m_order->setMinimumHeight(110);
    orderRow->addWidget(m_order, 1);
    auto *orderButtons = new QVBoxLayout;
    auto *up = secondaryButton(QStringLiteral("Move up"), this);
    auto *down = secondaryButton(QStringLiteral("Move down"), this);
    auto *remove = secondaryButton(QStringLiteral("Remove"), this);
    for (QPushButton *button : {up, down, remove})
        orderButtons->addWidget(button);
    orderButtons->addStretch();
    orderRow->addLayout(orderButtons);
    formLayout()->addLayout(orderRow);
    connect(up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelected(1); });
    connect(remove, &QPushButton::clicked, this,
            [this] { delete m_order->takeItem(m_order->currentRow()); });

    formLayout()->addWidget(styledLabel(QStringLiteral("Add a layer"), "fieldLabel", this));
    m_custom = new QRadioButton(QStringLiteral("Custom layers"), this);
    m_specify = new QRadioButton(QStringLiteral("Specify an ARN"), this);
    auto *source = new QButtonGroup(this);
    source->addButton(m_custom);
    source->addButton(m_specify);
    m_custom->setChecked(true);
    auto *sources = new QHBoxLayout;
    sources->addWidget(m_custom);
    sources->addWidget(m_specify);
    sources->addStretch();
    formLayout()->addLayout(sources);
    auto *picker = new QHBoxLayout;
    m_layerChoice = new QComboBox(this);
    m_layerChoice->setMinimumWidth(220);
    m_versionChoice = new QComboBox(this);
    m_versionChoice->setMinimumWidth(90);
    m_arn = new QLineEdit(this);
    m_arn->setPlaceholderText(
        QStringLiteral("arn:aws:lambda:us-east-1:000000000000:layer:my-layer:1"));
    m_arn->setMinimumWidth(360);
    m_arn->hide();
    auto *addButton = secondaryButton(QStringLiteral("Add"), this);
    picker->addWidget(m_layerChoice);
    picker->addWidget(m_versionChoice);
    picker->addWidget(m_arn, 1);
    picker->addWidget(addButton);
    picker->addStretch();
    formLayout()->addLayout(picker);
    connect(m_specify, &QRadioButton::toggled, this, [this](bool arn) {
        m_arn->setVisible(arn);
        m_layerChoice->setVisible(!arn);
        m_versionChoice->setVisible(!arn);
    });
    connect(m_layerChoice, &QComboBox::currentIndexChanged, this, &LayersSection::fillVersions);
    connect(m_arn, &QLineEdit::textChanged, this, [this](const QString &text) {
        setInvalid(m_arn,
                   !text.isEmpty() && !engine::parseLayerVersionArn(text.trimmed().toStdString()));
    });
    connect(m_arn, &QLineEdit::returnPressed, this, &LayersSection::addChosenLayer);
    connect(addButton, &QPushButton::clicked, this, &LayersSection::addChosenLayer);
    loadPicker();
}

void LayersSection::loadPicker()
{
    m_controller->layerVersions(this, [this](std::vector<engine::LayerVersionInfo> versions) {
        m_available = std::move(versions);
        m_pickerLoaded = true;
        m_layerChoice->clear();
        // Layers that declare the function's runtime first, as the console offers them.
        const std::string runtime = m_info.config.runtime;
        QStringList compatible;
        QStringList others;
        for (const engine::LayerVersionInfo &version : m_available) {
            const QString name = QString::fromStdString(version.layerName);
            QStringList &list = std::count(version.compatibleRuntimes.begin(),
                                           version.compatibleRuntimes.end(), runtime)
                                    ? compatible
                                    : others;
            if (!compatible.contains(name) && !others.contains(name))
                list << name;
        }
        m_layerChoice->addItems(compatible + others);
        fillVersions();
        showValues(m_info); // compatible runtimes are known now
        emit pickerChanged();
    });
}

void LayersSection::fillVersions()
{
    m_versionChoice->clear();
    const std::string name = m_layerChoice->currentText().toStdString();
    for (const engine::LayerVersionInfo &version : m_available) {
        if (version.layerName == name)
            m_versionChoice->addItem(QString::number(version.version),
                                     QString::fromStdString(version.layerVersionArn));
    }
}

const engine::LayerVersionInfo *LayersSection::known(const std::string &arn) const
{
    const auto found = std::find_if(
        m_available.begin(), m_available.end(),
        [&](const engine::LayerVersionInfo &version) { return version.layerVersionArn == arn; });
    return found == m_available.end() ? nullptr : &*found;
}

void LayersSection::showValues(const engine::FunctionInfo &info)
{
    panel()->setCount(QStringLiteral("(%1)").arg(info.layers.size()));
    m_viewModel->setRowCount(0);
    int order = 1;
    for (const engine::FunctionLayer &layer : info.layers) {
        const auto ref = engine::parseLayerVersionArn(layer.arn);
        const engine::LayerVersionInfo *version = known(layer.arn);
        QList<QStandardItem *> row{
            new QStandardItem(QString::number(order++)),
            new QStandardItem(ref ? QString::fromStdString(ref->name) : QString()),
            new QStandardItem(ref ? QString::number(ref->version) : QString()),
            // A deleted version still serves the function but is no longer listed.
            new QStandardItem(version ? commaList(version->compatibleRuntimes)
                              : m_pickerLoaded
                                  ? QStringLiteral("(not listed: deleted, or another account's)")
                                  : QStringLiteral("-")),
            new QStandardItem(QString::fromStdString(layer.arn)),
        };
        m_viewModel->appendRow(row);
    }
}

void LayersSection::fillForm(const engine::FunctionInfo &info)
{
    m_order->clear();
    for (const std::string &arn : info.config.layers)
        m_order->addItem(QString::fromStdString(arn));
    m_arn->clear();
    loadPicker(); // layers published since the page opened
}

void LayersSection::addLayer()
{
    if (!isEditing())
        edit();
    (m_specify->isChecked() ? static_cast<QWidget *>(m_arn) : m_layerChoice)->setFocus();
}

bool LayersSection::addChosenLayer()
{
    if (m_order->count() >= int(engine::kMaxLayers)) {
        showError(QStringLiteral("A function can use at most %1 layers. Remove one first.")
                      .arg(engine::kMaxLayers));
        return false;
    }
    QString arn;
    if (m_specify->isChecked()) {
        arn = m_arn->text().trimmed();
        if (const auto parsed = engine::parseLayerVersionArn(arn.toStdString()); !parsed) {
            showError(QStringLiteral(
                "Enter a layer version ARN: arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION"));
            return false;
        }
    } else {
        arn = m_versionChoice->currentData().toString();
        if (arn.isEmpty()) {
            showError(
                QStringLiteral("There is no layer to add yet: create one on the Layers page."));
            return false;
        }
    }
    showError({});
    m_order->addItem(arn);
    m_order->setCurrentRow(m_order->count() - 1);
    m_arn->clear();
    return true;
}

void LayersSection::moveSelected(int step)
{
    const int row = m_order->currentRow();
    const int target = row + step;
    if (row < 0 || target < 0 || target >= m_order->count())
        return;
    QListWidgetItem *item = m_order->takeItem(row);
    m_order->insertItem(target, item);
    m_order->setCurrentRow(target);
}

std::vector<std::string> LayersSection::formLayers() const
{
    std::vector<std::string> arns;
    for (int row = 0; row < m_order->count(); ++row)
        arns.push_back(m_order->item(row)->text().toStdString());
    return arns;
}

bool LayersSection::startSave(const engine::FunctionInfo &)
{
    m_controller->setLayers(
        this, formLayers(),
        [this](const engine::Result<engine::FunctionInfo> &result) { finishSave(result); });
    return true;
}

} // namespace lambdesk::app
