#pragma once
// Configuration → Permissions: the execution role, and the function's resource-based policy as the
// console shows it (Statement ID, Principal, Conditions, Action), with Add permissions (an AWS
// service, another account, or a Function URL's public access), Delete and View policy document.

#include "function/functioncontroller.h"

#include <QWidget>

#include <optional>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace lambdesk::app {

class Panel;

class PermissionsSection : public QWidget {
    Q_OBJECT
public:
    enum class Principal { Service, Account, FunctionUrl };

    PermissionsSection(SharedFunction function, QWidget *parent = nullptr);
    void setFunction(const engine::FunctionInfo &info);
    void reload();

    // What the buttons do (tests drive these).
    void startAdd();
    void save();
    void cancel();
    void deleteSelected(bool confirm = true);
    QString policyDocument() const; // pretty-printed, as View policy document shows it

    QTableView *table() const { return m_table; }
    QStandardItemModel *model() const { return m_model; }
    Panel *editor() const { return m_editor; }
    QLineEdit *statementId() const { return m_statementId; }
    QLineEdit *principal() const { return m_principal; }
    QLineEdit *sourceArn() const { return m_sourceArn; }
    QComboBox *service() const { return m_service; }
    QComboBox *action() const { return m_action; }
    QComboBox *authType() const { return m_authType; }
    QButtonGroup *principalKind() const { return m_kind; }
    QString errorText() const;
    bool loaded() const { return m_loaded; }

signals:
    void saved(const QString &message);

private:
    QWidget *buildEditor();
    void kindChanged();
    void showPolicy(const std::optional<engine::FunctionPolicy> &policy);
    QString selectedStatement() const;
    void showError(const QString &message);

    SharedFunction m_controller;
    engine::FunctionInfo m_function;
    std::optional<engine::FunctionPolicy> m_policy;
    bool m_loaded = false;
    QLabel *m_role;
    Panel *m_statements;
    QStandardItemModel *m_model;
    QTableView *m_table;
    QPushButton *m_delete;
    QPushButton *m_view;
    Panel *m_editor;
    QButtonGroup *m_kind;
    QComboBox *m_service;
    QLineEdit *m_statementId;
    QLineEdit *m_principal;
    QLineEdit *m_sourceArn;
    QComboBox *m_action;
    QComboBox *m_authType;
    QWidget *m_serviceRow;
    QWidget *m_sourceRow;
    QWidget *m_authRow;
    QLabel *m_error;
    QPushButton *m_save;
};

} // namespace lambdesk::app
