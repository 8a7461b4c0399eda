#pragma once
// Code tab: "Code source" (Upload from ▾, the editor workspace, "Changes not deployed", Deploy),
// then Code properties, Runtime settings and Layers. Ctrl+S keeps a draft in the engine so edits
// survive restarts; Deploy is the explicit step that makes them the function's code.

#include "function/functiontab.h"

#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace lambdesk::editor {
class CodeWorkspace;
}

namespace lambdesk::app {

class LayersSection;
class Panel;

class CodeTab : public FunctionTab {
    Q_OBJECT
public:
    CodeTab(SharedFunction function, QWidget *parent = nullptr);
    ~CodeTab() override; // saves a pending draft (off the GUI thread) so nothing is lost

    void setFunction(const engine::FunctionInfo &info) override;
    void saveDraft();
    void deploy();
    void uploadZip(const QString &path);
    void showFind();
    bool hasUndeployedChanges() const;
    // Opened on a version or alias: the code shows read-only and nothing deploys.
    bool isReadOnlyVersion() const;
    bool isDeploying() const { return m_deploying; }

    editor::CodeWorkspace *workspace() const { return m_workspace; }
    QPushButton *deployButton() const { return m_deploy; }
    QLabel *notDeployedNotice() const { return m_notDeployed; }
    QLabel *deployError() const { return m_deployError; }
    LayersSection *layersSection() const { return m_layers; }

signals:
    void testRequested();
    void deployed();
    void draftSaved();

private:
    QWidget *buildCodeSource();
    QWidget *buildProperties();
    void loadCode();
    void showDeployFailure(const engine::Error &error);
    void updateNotice();
    void updateProperties();
    void editRuntimeSettings();

    editor::CodeWorkspace *m_workspace;
    Panel *m_codePanel = nullptr;
    QPushButton *m_deploy;
    QPushButton *m_test;
    QLabel *m_notDeployed;
    QLabel *m_deployError;
    QLabel *m_saveState;
    QProgressBar *m_progress;
    QTimer *m_autosave;
    QLabel *m_packageSize;
    QLabel *m_sha;
    QLabel *m_lastModified;
    QLabel *m_runtime;
    QLabel *m_handler;
    QLabel *m_architecture;
    LayersSection *m_layers;
    std::vector<engine::CodeFile> m_deployedFiles;
    bool m_draftDiffers = false; // the saved draft is not the deployed code
    bool m_codeLoaded = false;
    bool m_deploying = false;
    bool m_keepEditsOnLoad = false; // the reload after a build keeps what was typed meanwhile
    static constexpr int kListedBuildErrors = 5; // in the banner; all are marked in the editor
};

} // namespace lambdesk::app
