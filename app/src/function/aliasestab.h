#pragma once
// Aliases tab: the function's aliases (name, the version or two weighted versions it sends
// invocations to, description, alias ARN), Create alias / Edit / Delete and Copy ARN. The editor
// picks a version, and for a weighted alias a second version and its share with a slider.

#include "function/functiontab.h"

#include <map>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QStandardItemModel;
class QTableView;

namespace lambdesk::app {

class Panel;

class AliasesTab : public FunctionTab {
    Q_OBJECT
public:
    AliasesTab(SharedFunction function, QWidget *parent = nullptr);
    void setFunction(const engine::FunctionInfo &info) override;

    void startCreate();
    void startEdit(); // the selected alias
    void save();
    void cancel();
    void deleteAlias(const QString &name); // without asking (Delete asks first)
    bool isEditing() const;
    QString errorText() const;
    QString selectedAlias() const;

    QStandardItemModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *descriptionEdit() const { return m_description; }
    QComboBox *versionChoice() const { return m_version; }
    QCheckBox *weighted() const { return m_weighted; }
    QComboBox *additionalVersionChoice() const { return m_additional; }
    QSlider *weightSlider() const { return m_weight; }
    QLabel *weightLabel() const { return m_weightLabel; }

signals:
    void aliasesChanged();
    void openRequested(const QString &alias); // Open: the function page on NAME:ALIAS

private:
    QWidget *buildEditor();
    void reload();
    void showAliases(const std::vector<engine::AliasInfo> &aliases);
    void fillVersionChoices();
    void updateWeightLabel();
    void finish(const engine::Result<engine::AliasInfo> &result, const QString &verb);
    const engine::AliasInfo *alias(const QString &name) const;

    Panel *m_panel;
    QStandardItemModel *m_model;
    QTableView *m_table;
    QPushButton *m_edit;
    QPushButton *m_delete;
    QPushButton *m_open;
    QPushButton *m_copy;
    Panel *m_editor;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QComboBox *m_version;
    QCheckBox *m_weighted;
    QComboBox *m_additional;
    QSlider *m_weight;
    QLabel *m_weightLabel;
    QLabel *m_error;
    QPushButton *m_save;
    std::vector<engine::AliasInfo> m_aliases;
    std::vector<std::string> m_versions;            // "$LATEST", "1", "2", ...
    QString m_editing;                              // the alias being edited; empty when creating
    std::string m_editingRevision;                  // its RevisionId when the editor opened
    std::map<std::string, double> m_editingWeights; // its weights then, kept unless changed
};

} // namespace lambdesk::app
