#pragma once
// Configuration → Function URL: the URL (of the alias the page is opened on, else the function's
// own) with its auth type, invoke mode and CORS settings, as the console shows them; Create
// function URL / Edit open the form (Auth type AWS_IAM or NONE, Invoke mode, Configure CORS),
// Delete removes the URL.

#include "function/functioncontroller.h"

#include <QWidget>

#include <optional>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lambdesk::app {

class Panel;

class FunctionUrlSection : public QWidget {
    Q_OBJECT
public:
    explicit FunctionUrlSection(SharedFunction function, QWidget *parent = nullptr);
    void reload();

    // What the buttons do (tests drive these).
    void startEdit();
    void save();
    void cancel();
    void deleteUrl(bool confirm = true);

    bool loaded() const { return m_loaded; }
    const std::optional<engine::FunctionUrlInfo> &url() const { return m_url; }
    QLabel *urlLink() const { return m_link; }
    Panel *editor() const { return m_editor; }
    QButtonGroup *authType() const { return m_auth; } // ids: 0 AWS_IAM, 1 NONE
    QComboBox *invokeMode() const { return m_invokeMode; }
    QCheckBox *configureCors() const { return m_cors; }
    QLineEdit *allowOrigins() const { return m_origins; }
    QLineEdit *allowMethods() const { return m_methods; }
    QLineEdit *allowHeaders() const { return m_allowHeaders; }
    QLineEdit *exposeHeaders() const { return m_exposeHeaders; }
    QSpinBox *maxAge() const { return m_maxAge; }
    QCheckBox *allowCredentials() const { return m_credentials; }
    QString errorText() const;
    QString factText(const QString &label) const; // the value shown under a fact's label

signals:
    void saved(const QString &message);
    void urlChanged(const QString &functionUrl); // on every load and change; "" when there is none

private:
    QWidget *buildEditor();
    void showUrl(const std::optional<engine::FunctionUrlInfo> &url);
    void showError(const QString &message);
    engine::FunctionUrlSettings formSettings() const;

    SharedFunction m_controller;
    std::optional<engine::FunctionUrlInfo> m_url;
    bool m_loaded = false;
    Panel *m_panel;
    QPushButton *m_create;
    QPushButton *m_edit;
    QPushButton *m_delete;
    QWidget *m_facts;
    QGridLayout *m_factsGrid;
    QLabel *m_link;
    QLabel *m_empty;
    Panel *m_editor;
    QButtonGroup *m_auth;
    QLabel *m_publicNote;
    QComboBox *m_invokeMode;
    QCheckBox *m_cors;
    QWidget *m_corsFields;
    QLineEdit *m_origins;
    QLineEdit *m_methods;
    QLineEdit *m_allowHeaders;
    QLineEdit *m_exposeHeaders;
    QSpinBox *m_maxAge;
    QCheckBox *m_credentials;
    QLabel *m_error;
    QPushButton *m_save;
};

} // namespace lambdesk::app
