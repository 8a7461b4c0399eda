#pragma once
// Test tab: the Test event panel (create new or edit a saved event, template, Event JSON with
// live validation, Format JSON, Save) and Test, whose result shows in the box above it.

#include "function/functiontab.h"

#include <vector>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTimer;

namespace lambdesk::editor {
class CodeDocument;
class CodeView;
}

namespace lambdesk::app {

class ExecutionResult;

class TestTab : public FunctionTab {
    Q_OBJECT
public:
    TestTab(SharedFunction function, QWidget *parent = nullptr);

    void setFunction(const engine::FunctionInfo &info) override;
    void setPreferredTemplate(const QString &name); // before the first setFunction
    void runTest();
    void saveEvent();
    void formatJson();
    bool isRunning() const { return m_running; }
    // The event the editor holds, for the Monitor's load runs; "{}" when it is not valid JSON.
    QString payloadForLoad() const;

    editor::CodeDocument *eventDocument() const { return m_document; }
    editor::CodeView *eventView() const { return m_view; }
    ExecutionResult *result() const { return m_result; }
    QLabel *jsonError() const { return m_jsonError; }
    QLineEdit *eventName() const { return m_name; }
    QComboBox *templates() const { return m_template; }
    QComboBox *savedEvents() const { return m_saved; }
    QPushButton *testButton() const { return m_test; }
    QRadioButton *editSavedRadio() const { return m_editSaved; }

signals:
    void invoked(); // a test run finished (either way)

private:
    void buildTestEventPanel(QWidget *parent);
    void loadSavedEvents(const QString &select = {});
    void setEditSaved(bool editSaved);
    bool validateJson(); // shows or clears the inline error; true when valid
    QString currentEventName() const;

    ExecutionResult *m_result;
    QRadioButton *m_createNew;
    QRadioButton *m_editSaved;
    QWidget *m_nameRow;
    QLineEdit *m_name;
    QLabel *m_nameError;
    QWidget *m_savedRow;
    QComboBox *m_saved;
    QPushButton *m_deleteSaved;
    QRadioButton *m_private;
    QRadioButton *m_shareable;
    QWidget *m_templateRow;
    QComboBox *m_template;
    editor::CodeDocument *m_document;
    editor::CodeView *m_view;
    QLabel *m_jsonError;
    QTimer *m_validateTimer;
    QPushButton *m_save;
    QPushButton *m_test;
    std::vector<engine::SavedTestEvent> m_savedEvents;
    QString m_preferredTemplate = QStringLiteral("hello-world");
    bool m_running = false;
};

} // namespace lambdesk::app
