#pragma once
// Configuration → Tags, including the sandbox choice: the tag lambdesk:sandbox (auto, process,
// gvisor, microvm) picks the backend that runs the function.

#include "function/configsection.h"

#include <map>
#include <string>

class QComboBox;
class QStandardItemModel;
class QTableView;

namespace lambdesk::app {

class KeyValueEditor;
class KeyValueModel;

class TagsSection : public ConfigSection {
    Q_OBJECT
public:
    static constexpr const char *kSandboxTag = "lambdesk:sandbox";

    TagsSection(engine::Engine &engine, QWidget *parent = nullptr);
    QComboBox *sandbox() const { return m_sandbox; }
    KeyValueModel *formModel() const { return m_formModel; }
    bool tagsLoaded() const { return m_tagsLoaded; }

signals:
    void tagsChanged();

protected:
    void showValues(const engine::FunctionInfo &info) override;
    void fillForm(const engine::FunctionInfo &info) override;
    bool startSave(const engine::FunctionInfo &info) override;

private:
    void showTags();
    QLabel *m_sandboxView;
    KeyValueModel *m_viewModel;
    QTableView *m_viewTable;
    QComboBox *m_sandbox;
    QStandardItemModel *m_sandboxItems;
    KeyValueModel *m_formModel;
    KeyValueEditor *m_editor;
    std::map<std::string, std::string> m_tags;
    bool m_tagsLoaded = false;
};

} // namespace lambdesk::app
