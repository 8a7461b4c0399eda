#pragma once
// One section of the Configuration tab: a panel showing the current values with Edit, which
// swaps in a form with Cancel / Save. Save runs off the GUI thread; errors show inline and the
// form keeps what the user typed.

#include "function/functioncontroller.h"
#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QVBoxLayout;

namespace lambdesk::app {

class Panel;

class ConfigSection : public QWidget {
    Q_OBJECT
public:
    ConfigSection(SharedFunction function, const QString &title, QWidget *parent = nullptr);

    void setFunction(const engine::FunctionInfo &info);
    void edit();   // what Edit does
    void save();   // what Save does
    void cancel();
    bool isEditing() const;
    QString errorText() const;
    QPushButton *saveButton() const { return m_save; }
    QPushButton *editButton() const { return m_edit; }

signals:
    void functionUpdated(const lambdesk::engine::FunctionInfo &info);
    void saved(const QString &message);

protected:
    // Subclasses build their two pages into these layouts in their constructor.
    QVBoxLayout *viewLayout() const { return m_viewLayout; }
    QVBoxLayout *formLayout() const { return m_formLayout; }
    Panel *panel() const { return m_panel; }

    virtual void showValues(const engine::FunctionInfo &info) = 0; // fill the view page
    virtual void fillForm(const engine::FunctionInfo &info) = 0;   // fill the form on Edit
    // Validates the form (showing problems via showError) and, when fine, starts the engine
    // call; it must end with finishSave(). Return false when it did not start.
    virtual bool startSave(const engine::FunctionInfo &info) = 0;

    void finishSave(const engine::Result<engine::FunctionInfo> &result);
    void showError(const QString &message);

    SharedFunction m_controller;
    engine::FunctionInfo m_info;

private:
    Panel *m_panel;
    QStackedWidget *m_pages;
    QVBoxLayout *m_viewLayout;
    QVBoxLayout *m_formLayout;
    QPushButton *m_edit;
    QPushButton *m_save;
    QPushButton *m_cancel;
    QLabel *m_error;
};

} // namespace lambdesk::app
