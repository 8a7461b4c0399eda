#include "screens/layerspage.h"

#include "async.h"
#include "errortext.h"
#include "format.h"
#include "widgets/confirmdialog.h"
#include "widgets/consoletable.h"
#include "widgets/flashbar.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/engine.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

constexpr int kVersionRole = Qt::UserRole + 1;

QStandardItem *cell(const std::string &text)
{
    return new QStandardItem(text.empty() ? QStringLiteral("-") : QString::fromStdString(text));
}

QTableView *layerTable(QStandardItemModel *model, QWidget *parent)
{
    QTableView *table = consoleTable(model, parent);
    table->setSortingEnabled(false); // the engine's order: names, newest version first
    table->verticalHeader()->setDefaultSectionSize(34);
    table->setFrameShape(QFrame::NoFrame);
    table->setMinimumHeight(150); // the window stays usable at 1024x640
    table->horizontalHeader()->setStretchLastSection(false);
    table->setTextElideMode(Qt::ElideMiddle);
    elideArnColumn(table, model->columnCount() - 1);
    return table;
}

} // namespace

LayersPage::LayersPage(engine::Engine &engine, QWidget *parent) : QWidget(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("page"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 8, 24, 16);
    layout->setSpacing(14);
    m_flash = new Flashbar(this);
    layout->addWidget(m_flash);
    m_views = new QStackedWidget(this);
    m_views->addWidget(buildList());
    m_views->addWidget(buildVersions());
    layout->addWidget(m_views, 1);
}

QWidget *LayersPage::buildList()
{
    m_layersPanel = new Panel(QStringLiteral("Layers"), this);
    m_layersPanel->setDescription(QStringLiteral(
        "Libraries, a custom runtime or other files that functions share. A function sees its "
        "layers read-only at /opt; each version's content never changes."));
    auto *refresh = secondaryButton(QStringLiteral("⟳"), m_layersPanel);
    refresh->setToolTip(QStringLiteral("Refresh"));
    auto *create = primaryButton(QStringLiteral("Create layer"), m_layersPanel);
    m_layersPanel->addHeaderWidget(refresh);
    m_layersPanel->addHeaderWidget(create);
    m_layersModel = new QStandardItemModel(0, 6, this);
    m_layersModel->setHorizontalHeaderLabels(
        {QStringLiteral("Name"), QStringLiteral("Version"), QStringLiteral("Description"),
         QStringLiteral("Compatible runtimes"), QStringLiteral("Compatible architectures"),
         QStringLiteral("Version ARN")});
    m_layersTable = layerTable(m_layersModel, m_layersPanel);
    QHeaderView *header = m_layersTable->horizontalHeader();
    header->resizeSection(0, 170);
    header->resizeSection(1, 80);
    header->resizeSection(2, 210);
    header->resizeSection(3, 170);
    header->resizeSection(4, 190);
    header->setSectionResizeMode(5, QHeaderView::Stretch);
    m_layersPanel->bodyLayout()->addWidget(m_layersTable, 1);
    m_layersEmpty = styledLabel(
        QStringLiteral("<b>No layers</b><br>Create a layer from a .zip file or a folder, "
                       "or publish one with the AWS CLI."),
        "hint", m_layersPanel);
    m_layersEmpty->setTextFormat(Qt::RichText);
    m_layersEmpty->setAlignment(Qt::AlignCenter);
    m_layersEmpty->hide();
    m_layersPanel->bodyLayout()->addWidget(m_layersEmpty);

    connect(refresh, &QPushButton::clicked, this, &LayersPage::showList);
    connect(create, &QPushButton::clicked, this, [this] { emit createRequested({}); });
    // The name is a link, as in the console.
    connect(m_layersTable, &QTableView::clicked, this, [this](const QModelIndex &index) {
        if (index.column() == 0)
            showLayer(index.data().toString());
    });
    connect(m_layersTable, &QTableView::activated, this, [this](const QModelIndex &index) {
        showLayer(m_layersModel->item(index.row(), 0)->text());
    });
    return m_layersPanel;
}

QWidget *LayersPage::buildVersions()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *back = linkButton(QStringLiteral("‹ Layers"), box);
    layout->addWidget(back, 0, Qt::AlignLeft);
    m_versionsPanel = new Panel(QStringLiteral("Versions"), box);
    m_delete = secondaryButton(QStringLiteral("Delete"), m_versionsPanel);
    m_delete->setEnabled(false);
    auto *create = primaryButton(QStringLiteral("Create version"), m_versionsPanel);
    m_versionsPanel->addHeaderWidget(m_delete);
    m_versionsPanel->addHeaderWidget(create);
    m_versionsModel = new QStandardItemModel(0, 6, this);
    m_versionsModel->setHorizontalHeaderLabels(
        {QStringLiteral("Version"), QStringLiteral("Description"),
         QStringLiteral("Compatible runtimes"), QStringLiteral("Compatible architectures"),
         QStringLiteral("Created"), QStringLiteral("Version ARN")});
    m_versionsTable = layerTable(m_versionsModel, m_versionsPanel);
    QHeaderView *header = m_versionsTable->horizontalHeader();
    header->resizeSection(0, 80);
    header->resizeSection(1, 210);
    header->resizeSection(2, 170);
    header->resizeSection(3, 190);
    header->resizeSection(4, 160);
    header->setSectionResizeMode(5, QHeaderView::Stretch);
    m_versionsPanel->bodyLayout()->addWidget(m_versionsTable, 1);
    m_versionsPanel->bodyLayout()->addWidget(hintLabel(
        QStringLiteral(
            "Deleting a version removes it from this list and from the Add a layer picker. "
            "Functions that already use it keep it until they stop referencing it."),
        m_versionsPanel));
    layout->addWidget(m_versionsPanel, 1);

    connect(back, &QPushButton::clicked, this, &LayersPage::showList);
    connect(create, &QPushButton::clicked, this, [this] { emit createRequested(m_layer); });
    connect(m_delete, &QPushButton::clicked, this, &LayersPage::confirmDelete);
    connect(m_versionsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_delete->setEnabled(selectedVersion() > 0); });
    return box;
}

void LayersPage::showList()
{
    m_layer.clear();
    m_views->setCurrentIndex(0);
    engine::Engine *engine = &m_engine;
    runAsync(
        this, [engine] { return engine->listLayers(); },
        [this](std::vector<engine::LayerVersionInfo> layers) {
            fillLayers(layers);
            m_loaded = true;
            emit loaded();
        });
}

void LayersPage::showLayer(const QString &name)
{
    m_layer = name;
    m_views->setCurrentIndex(1);
    m_versionsPanel->setTitle(name);
    m_versionsModel->setRowCount(0);
    m_delete->setEnabled(false);
    emit layerOpened(name);
    engine::Engine *engine = &m_engine;
    runAsync(
        this, [engine, n = name.toStdString()] { return engine->listLayerVersions(n); },
        [this, name](std::vector<engine::LayerVersionInfo> versions) {
            if (m_layer != name)
                return; // another layer was opened meanwhile
            fillVersions(versions);
            emit loaded();
        });
}

void LayersPage::fillLayers(const std::vector<engine::LayerVersionInfo> &layers)
{
    m_layersModel->setRowCount(0);
    for (const engine::LayerVersionInfo &layer : layers) {
        auto *name = cell(layer.layerName);
        name->setForeground(QColor(0x00, 0x73, 0xbb)); // a link, as the console shows names
        m_layersModel->appendRow({name, new QStandardItem(QString::number(layer.version)),
                                  cell(layer.description),
                                  new QStandardItem(commaList(layer.compatibleRuntimes)),
                                  new QStandardItem(commaList(layer.compatibleArchitectures)),
                                  cell(layer.layerVersionArn)});
    }
    m_layersPanel->setCount(QStringLiteral("(%1)").arg(layers.size()));
    m_layersEmpty->setVisible(layers.empty());
}

void LayersPage::fillVersions(const std::vector<engine::LayerVersionInfo> &versions)
{
    m_versionsModel->setRowCount(0);
    for (const engine::LayerVersionInfo &version : versions) {
        auto *number = new QStandardItem(QString::number(version.version));
        number->setData(qint64(version.version), kVersionRole);
        m_versionsModel->appendRow({number, cell(version.description),
                                    new QStandardItem(commaList(version.compatibleRuntimes)),
                                    new QStandardItem(commaList(version.compatibleArchitectures)),
                                    new QStandardItem(timestamp(version.createdMs)),
                                    cell(version.layerVersionArn)});
    }
    m_versionsPanel->setCount(versions.size() == 1
                                  ? QStringLiteral("(1 version)")
                                  : QStringLiteral("(%1 versions)").arg(versions.size()));
}

qint64 LayersPage::selectedVersion() const
{
    const QModelIndexList rows = m_versionsTable->selectionModel()->selectedRows();
    return rows.isEmpty()
               ? 0
               : m_versionsModel->item(rows.first().row(), 0)->data(kVersionRole).toLongLong();
}

void LayersPage::confirmDelete()
{
    const qint64 version = selectedVersion();
    if (version <= 0)
        return;
    const QString name = m_layer;
    if (ConfirmDialog::ask(
            this, QStringLiteral("Delete version %1 of %2?").arg(version).arg(name),
            QStringLiteral("The version leaves the list and can no longer be added to functions. "
                           "Functions that use it keep it. Its number is never given again."),
            QStringLiteral("Delete")))
        deleteVersion(name, version);
}

void LayersPage::deleteVersion(const QString &name, qint64 version)
{
    engine::Engine *engine = &m_engine;
    runAsync(
        this,
        [engine, n = name.toStdString(), version] {
            return engine->deleteLayerVersion(n, version);
        },
        [this, name, version](engine::Result<void> result) {
            if (result)
                m_flash->showMessage(Flashbar::Kind::Success,
                                     QStringLiteral("Successfully deleted version %1 of %2.")
                                         .arg(version)
                                         .arg(name));
            else
                m_flash->showMessage(Flashbar::Kind::Error,
                                     QStringLiteral("Deleting version %1 of %2 failed: %3")
                                         .arg(version)
                                         .arg(name, engineErrorText(result.error())));
            if (m_layer == name)
                showLayer(name);
        });
}

void LayersPage::showFlash(int kind, const QString &text)
{
    m_flash->showMessage(Flashbar::Kind(kind), text);
}

} // namespace lambdesk::app
