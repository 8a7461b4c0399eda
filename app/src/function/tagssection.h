#pragma once
// Configuration → Tags, including the sandbox choice: the tag lambdesk:sandbox (auto, process,
// gvisor, microvm) picks the backend that runs the function.

#include "function/configsection.h"

#include <map>
#include <string>
#include <vector>

class QComboBox;
class QStandardItemModel;
class QTableView;

namespace lambdesk::app {

class GuestImageBanner;
class GuestImageController;
class KeyValueEditor;
class KeyValueModel;

class TagsSection : public ConfigSection {
    Q_OBJECT
public:
    static constexpr const char *kSandboxTag = "lambdesk:sandbox";

    TagsSection(SharedFunction function, QWidget *parent = nullptr);
    QComboBox *sandbox() const { return m_sandbox; }
    KeyValueModel *formModel() const { return m_formModel; }
    bool tagsLoaded() const { return m_tagsLoaded; }
    bool sandboxesLoaded() const { return m_sandboxesLoaded; }
    // With a controller, choosing microvm builds (or refreshes) the guest image first, with its
    // progress under the Sandbox choice, and microvm stays selectable while the image is missing.
    void setGuestImage(GuestImageController *controller);
    GuestImageBanner *guestImageBanner() const { return m_imageBanner; }

signals:
    void tagsChanged();
    void sandboxesChanged();

protected:
    void showValues(const engine::FunctionInfo &info) override;
    void fillForm(const engine::FunctionInfo &info) override;
    bool startSave(const engine::FunctionInfo &info) override;

private:
    void showTags();
    void showSandboxes(const std::vector<engine::Availability> &backends, bool imageBuilt);
    void sandboxActivated(int row);
    QLabel *m_sandboxView;
    KeyValueModel *m_viewModel;
    QTableView *m_viewTable;
    QComboBox *m_sandbox;
    QStandardItemModel *m_sandboxItems;
    KeyValueModel *m_formModel;
    KeyValueEditor *m_editor;
    std::map<std::string, std::string> m_tags;
    bool m_tagsLoaded = false;
    GuestImageController *m_guestImage = nullptr;
    GuestImageBanner *m_imageBanner = nullptr;
    std::vector<engine::Availability> m_backends;
    bool m_imageBuilt = true;
    bool m_sandboxesLoaded = false;
};

} // namespace lambdesk::app
