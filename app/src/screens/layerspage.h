#pragma once
// Lambda > Layers: "Layers (N)" with each layer's latest version, and a layer's page with its
// versions (Delete, Create version). Create layer is its own screen (createlayerpage.h); this
// page only asks for it. Loads and deletes through the engine, off the GUI thread.

#include "lambdesk/engine/types.h"

#include <QWidget>

#include <vector>

class QLabel;
class QStackedWidget;
class QStandardItemModel;
class QTableView;
class QPushButton;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class Flashbar;
class Panel;

class LayersPage : public QWidget {
    Q_OBJECT
public:
    explicit LayersPage(engine::Engine &engine, QWidget *parent = nullptr);

    void showList();                               // and reload it
    void showLayer(const QString &name);           // a layer's versions
    void showFlash(int kind, const QString &text); // kind: Flashbar::Kind
    // Deletes without asking (the Delete button asks first, then calls this).
    void deleteVersion(const QString &name, qint64 version);

    bool isLoaded() const { return m_loaded; }
    QString currentLayer() const { return m_layer; }
    QTableView *layersTable() const { return m_layersTable; }
    QTableView *versionsTable() const { return m_versionsTable; }
    QStandardItemModel *layersModel() const { return m_layersModel; }
    QStandardItemModel *versionsModel() const { return m_versionsModel; }
    QPushButton *deleteButton() const { return m_delete; }
    Flashbar *flashbar() const { return m_flash; }

signals:
    void createRequested(const QString &layerName); // empty: a new layer
    void layerOpened(const QString &name);
    void loaded();

private:
    QWidget *buildList();
    QWidget *buildVersions();
    void fillLayers(const std::vector<engine::LayerVersionInfo> &layers);
    void fillVersions(const std::vector<engine::LayerVersionInfo> &versions);
    void confirmDelete();
    qint64 selectedVersion() const;

    engine::Engine &m_engine;
    Flashbar *m_flash;
    QStackedWidget *m_views;
    Panel *m_layersPanel;
    QTableView *m_layersTable;
    QStandardItemModel *m_layersModel;
    QLabel *m_layersEmpty;
    Panel *m_versionsPanel;
    QTableView *m_versionsTable;
    QStandardItemModel *m_versionsModel;
    QPushButton *m_delete;
    QString m_layer;
    bool m_loaded = false;
};

} // namespace lambdesk::app
