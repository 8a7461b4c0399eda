#pragma once
// Code tab → Layers: the function's layers in merge order (name, version, compatible runtimes
// and architectures, version ARN), and Edit / Add a layer: pick one of this engine's layers by
// name and version ("Custom layers") or paste a version ARN ("Specify an ARN"), reorder, remove,
// then Save. The engine checks the list (existence, one version per layer, sizes) on Save.

#include "function/configsection.h"

#include <string>
#include <vector>

class QComboBox;
class QLineEdit;
class QListWidget;
class QRadioButton;
class QStandardItemModel;
class QTableView;

namespace lambdesk::app {

class LayersSection : public ConfigSection {
    Q_OBJECT
public:
    LayersSection(SharedFunction function, QWidget *parent = nullptr);

    // Opens the form with the picker focused (the header's "Add a layer").
    void addLayer();
    // Adds the picker's choice (or the typed ARN) to the end of the list; false with the
    // problem shown when it cannot.
    bool addChosenLayer();
    std::vector<std::string> formLayers() const;
    bool pickerLoaded() const { return m_pickerLoaded; }

    QTableView *viewTable() const { return m_viewTable; }
    QListWidget *orderList() const { return m_order; }
    QRadioButton *customLayers() const { return m_custom; }
    QRadioButton *specifyArn() const { return m_specify; }
    QComboBox *layerChoice() const { return m_layerChoice; }
    QComboBox *versionChoice() const { return m_versionChoice; }
    QLineEdit *arnInput() const { return m_arn; }

signals:
    void pickerChanged();

protected:
    void showValues(const engine::FunctionInfo &info) override;
    void fillForm(const engine::FunctionInfo &info) override;
    bool startSave(const engine::FunctionInfo &info) override;

private:
    void loadPicker();
    void fillVersions();
    void moveSelected(int step);
    const engine::LayerVersionInfo *known(const std::string &arn) const;

    QStandardItemModel *m_viewModel;
    QTableView *m_viewTable;
    QListWidget *m_order;
    QRadioButton *m_custom;
    QRadioButton *m_specify;
    QComboBox *m_layerChoice;
    QComboBox *m_versionChoice;
    QLineEdit *m_arn;
    std::vector<engine::LayerVersionInfo> m_available;
    bool m_pickerLoaded = false;
};

} // namespace lambdesk::app
