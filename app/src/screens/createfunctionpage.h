#pragma once
// Lambda > Functions > Create function: Author from scratch or Use a blueprint, the settings
// form, and Create function, which creates the function with its starter code in one call.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <QWidget>

#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QTabWidget;

namespace lambdesk::engine {
class Engine;
struct BlueprintManifest;
}

namespace lambdesk::app {

class BlueprintFilterProxy;
class BlueprintModel;
class Flashbar;
class FolderBucketField;
class FunctionSettingsForm;
class OptionCard;
class Panel;
class TriggerForm;

class CreateFunctionPage : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Scratch, Blueprint };

    CreateFunctionPage(engine::Engine &engine, QWidget *parent = nullptr);

    void start(Mode mode); // resets the form and loads the runtimes
    Mode mode() const { return m_mode; }
    bool isLoaded() const;
    void selectBlueprint(const QString &idOrName);
    void create(); // what the Create function button does

    FunctionSettingsForm *form() const { return m_form; }
    QPushButton *createButton() const { return m_create; }
    QLineEdit *blueprintFilter() const { return m_blueprintFilter; }
    QListView *blueprintGrid() const { return m_blueprintGrid; }
    BlueprintFilterProxy *blueprintProxy() const { return m_blueprintProxy; }
    OptionCard *card(Mode mode) const;
    Flashbar *flashbar() const { return m_flash; }
    QCheckBox *addTrigger() const { return m_addTrigger; }
    TriggerForm *triggerForm() const { return m_triggerForm; }
    QLabel *triggerHint() const { return m_triggerHint; }
    Panel *outputPanel() const { return m_outputPanel; }
    FolderBucketField *outputFolder() const { return m_outputField; }

signals:
    // `trigger`: what the trigger made with it is called (its rule, bucket, queue or URL), or "".
    void functionCreated(const QString &name, const QString &testEvent, const QString &trigger);
    void cancelled();
    void loaded();

private:
    QWidget *buildBlueprintPanel();
    QWidget *buildTriggerPanel();
    QWidget *buildOutputPanel();
    void showOutputBucket(const engine::BlueprintManifest *manifest);
    void deriveOutputFolder();
    void showSuggestedTrigger();
    void resetTriggerForm();
    void deriveRuleName();
    void setMode(Mode mode);
    void showBlueprint(int sourceRow);
    void setBusy(bool busy);

    engine::Engine &m_engine;
    Mode m_mode = Mode::Scratch;
    Flashbar *m_flash;
    OptionCard *m_scratchCard;
    OptionCard *m_blueprintCard;
    Panel *m_blueprintPanel;
    QLineEdit *m_blueprintFilter;
    QListView *m_blueprintGrid;
    BlueprintModel *m_blueprints;
    BlueprintFilterProxy *m_blueprintProxy;
    QWidget *m_blueprintDetails;
    QLabel *m_blueprintSummary;
    QTabWidget *m_blueprintCode;
    int m_selectedBlueprint = -1;
    FunctionSettingsForm *m_form;
    Panel *m_triggerPanel;
    QCheckBox *m_addTrigger;
    QLabel *m_triggerHint;
    TriggerForm *m_triggerForm;
    QString m_suggestedRuleSuffix; // the blueprint's rule name, after the function's
    QString m_autoRuleName;        // the rule name the wizard last filled in
    std::optional<engine::Result<std::vector<std::string>>> m_queueNames; // once loaded
    // A blueprint's output bucket: a folder beside the trigger's until the user picks another.
    Panel *m_outputPanel;
    QLabel *m_outputHint;
    FolderBucketField *m_outputField;
    QString m_autoOutputFolder; // what the wizard last filled in
    QPushButton *m_create;
    QPushButton *m_cancel;
    bool m_runtimesLoaded = false;
};

} // namespace lambdesk::app
