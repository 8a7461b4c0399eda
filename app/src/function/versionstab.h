#pragma once
// Versions tab: $LATEST and the published versions, and Publish new version.

#include "function/functiontab.h"

class QTableView;

namespace lambdesk::app {

class Panel;
class VersionModel;

class VersionsTab : public FunctionTab {
    Q_OBJECT
public:
    VersionsTab(SharedFunction function, QWidget *parent = nullptr);
    void setFunction(const engine::FunctionInfo &info) override;
    void publish(const QString &description);
    // Publish new version: asks for the description in the console's dialog, then publishes.
    void askToPublish();
    VersionModel *model() const { return m_model; }

private:
    void reload();
    Panel *m_panel;
    VersionModel *m_model;
    QTableView *m_table;
};

} // namespace lambdesk::app
