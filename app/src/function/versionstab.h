#pragma once
// Versions tab: $LATEST and the published versions; Publish new version, and for the selected
// version View code (read-only) and Compare (a diff against another version or the draft).

#include "function/functiontab.h"

class QPushButton;
class QTableView;

namespace lambdesk::app {

class CompareCodeDialog;
class Panel;
class VersionCodeDialog;
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
    QTableView *table() const { return m_table; }
    // The selected row's version ("$LATEST", "3"); "" when none is selected.
    QString selectedVersion() const;
    // View code: the version's files, read-only, in a window of their own.
    VersionCodeDialog *viewCode(const QString &version);
    // Compare: the version against the next newer one ($LATEST against the draft).
    CompareCodeDialog *compare(const QString &version);

signals:
    void versionPublished();

private:
    void reload();
    Panel *m_panel;
    VersionModel *m_model;
    QTableView *m_table;
    QPushButton *m_viewButton;
    QPushButton *m_compareButton;
    std::vector<engine::FunctionInfo> m_listed; // "$LATEST", then the published ones in order
    QStringList m_versions;                     // their version strings
};

} // namespace lambdesk::app
