#include "function/permissionssection.h"

#include "errortext.h"
#include "jsontext.h"
#include "widgets/confirmdialog.h"
#include "widgets/consoletable.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

// The console's "AWS service" choices: the label, and the principal it stands for.
struct ServiceChoice {
    const char *label;
    const char *principal;
};
constexpr ServiceChoice kServices[] = {
    {"S3", "s3.amazonaws.com"},
    {"SNS", "sns.amazonaws.com"},
    {"EventBridge (CloudWatch Events)", "events.amazonaws.com"},
    {"API Gateway", "apigateway.amazonaws.com"},
    {"CloudWatch Logs", "logs.amazonaws.com"},
    {"Other", ""},
};

QString compactJson(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isUndefined() || value.isNull())
        return {};
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

// "*", the service, or the account's ARN, as the Principal column reads.
QString principalText(const QJsonValue &principal)
{
    if (principal.isString())
        return principal.toString();
    const QJsonObject object = principal.toObject();
    for (const char *key : {"Service", "AWS"})
        if (object.contains(QLatin1String(key)))
            return object.value(QLatin1String(key)).toString();
    return compactJson(principal);
}

} // namespace

PermissionsSection::PermissionsSection(SharedFunction function, QWidget *parent)
    : QWidget(parent), m_controller(std::move(function))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);

    auto *role = new Panel(QStringLiteral("Execution role"), this);
    m_role = new QLabel(role);
    m_role->setTextInteractionFlags(Qt::TextSelectableByMouse);
    role->bodyLayout()->addWidget(styledLabel(QStringLiteral("Role name"), "fieldLabel", role));
    role->bodyLayout()->addWidget(m_role);
    role->bodyLayout()->addWidget(hintLabel(
        QStringLiteral("Lambdesk runs every function with the local credentials it hands the "
                       "runtime; the role is kept for AWS."),
        role));
    layout->addWidget(role);

    m_statements = new Panel(QStringLiteral("Resource-based policy statements"), this);
    m_statements->setDescription(
        QStringLiteral("Who may invoke this function besides you: AWS services and other "
                       "accounts, or anyone through its Function URL."));
    m_view = secondaryButton(QStringLiteral("View policy document"), m_statements);
    m_delete = secondaryButton(QStringLiteral("Delete"), m_statements);
    auto *add = primaryButton(QStringLiteral("Add permissions"), m_statements);
    m_view->setEnabled(false);
    m_delete->setEnabled(false);
    // Only Add in the header: beside the long title, three buttons would widen the whole tab.
    m_statements->addHeaderWidget(add);
    auto *tools = new QHBoxLayout;
    tools->addStretch(1);
    tools->addWidget(m_view);
    tools->addWidget(m_delete);
    m_statements->bodyLayout()->addLayout(tools);
    m_model = new QStandardItemModel(0, 4, this);
    m_model->setHorizontalHeaderLabels({QStringLiteral("Statement ID"), QStringLiteral("Principal"),
                                        QStringLiteral("Conditions"), QStringLiteral("Action")});
    m_table = consoleTable(m_model, m_statements);
    m_table->setSortingEnabled(false); // in the policy's order
    m_table->setMinimumHeight(150);
    QHeaderView *header = m_table->horizontalHeader();
    header->resizeSection(0, 170);
    header->resizeSection(1, 170);
    header->resizeSection(3, 170);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(2, QHeaderView::Stretch);
    m_statements->bodyLayout()->addWidget(m_table);
    layout->addWidget(m_statements);
    layout->addWidget(buildEditor());
    layout->addStretch(1);

    connect(add, &QPushButton::clicked, this, &PermissionsSection::startAdd);
    connect(m_delete, &QPushButton::clicked, this, [this] { deleteSelected(); });
    connect(m_view, &QPushButton::clicked, this, [this] {
        QDialog dialog(this);
        dialog.setWindowTitle(QStringLiteral("Policy document"));
        auto *box = new QVBoxLayout(&dialog);
        auto *text = new QPlainTextEdit(policyDocument(), &dialog);
        text->setReadOnly(true);
        text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        text->setMinimumSize(640, 360);
        box->addWidget(text);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
        connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        box->addWidget(buttons);
        dialog.exec();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_delete->setEnabled(!selectedStatement().isEmpty()); });
}

QWidget *PermissionsSection::buildEditor()
{
    m_editor = new Panel(QStringLiteral("Add permissions"), this);
    QVBoxLayout *body = m_editor->bodyLayout();
    body->addWidget(styledLabel(QStringLiteral("Policy statement"), "fieldLabel", m_editor));
    m_kind = new QButtonGroup(m_editor);
    auto *kinds = new QHBoxLayout;
    const std::pair<Principal, QString> choices[] = {
        {Principal::Service, QStringLiteral("AWS service")},
        {Principal::Account, QStringLiteral("AWS account")},
        {Principal::FunctionUrl, QStringLiteral("Function URL")}};
    for (const auto &[kind, label] : choices) {
        auto *radio = new QRadioButton(label, m_editor);
        m_kind->addButton(radio, int(kind));
        kinds->addWidget(radio);
    }
    kinds->addStretch(1);
    m_kind->button(int(Principal::Service))->setChecked(true);
    body->addLayout(kinds);

    m_service = new QComboBox;
    for (const ServiceChoice &choice : kServices)
        m_service->addItem(QString::fromLatin1(choice.label),
                           QString::fromLatin1(choice.principal));
    m_service->setMinimumWidth(260);
    m_serviceRow = fieldRow(QStringLiteral("Service"), m_service, m_editor);
    body->addWidget(m_serviceRow);
    m_statementId = new QLineEdit;
    m_statementId->setMinimumWidth(420);
    m_statementId->setPlaceholderText(QStringLiteral("Letters, numbers, hyphens and underscores"));
    body->addWidget(fieldRow(QStringLiteral("Statement ID"), m_statementId, m_editor));
    m_principal = new QLineEdit;
    m_principal->setMinimumWidth(420);
    body->addWidget(fieldRow(QStringLiteral("Principal"), m_principal, m_editor));
    m_sourceArn = new QLineEdit;
    m_sourceArn->setMinimumWidth(420);
    m_sourceArn->setPlaceholderText(QStringLiteral("arn:aws:s3:::my-bucket"));
    m_sourceRow = fieldRow(QStringLiteral("Source ARN - optional"), m_sourceArn, m_editor);
    body->addWidget(m_sourceRow);
    m_authType = new QComboBox;
    m_authType->addItems({QStringLiteral("NONE"), QStringLiteral("AWS_IAM")});
    m_authRow = fieldRow(QStringLiteral("Auth type"), m_authType, m_editor);
    body->addWidget(m_authRow);
    m_action = new QComboBox;
    m_action->addItems({QStringLiteral("lambda:InvokeFunction"),
                        QStringLiteral("lambda:InvokeFunctionUrl"),
                        QStringLiteral("lambda:GetFunction"), QStringLiteral("lambda:*")});
    m_action->setMinimumWidth(260);
    body->addWidget(fieldRow(QStringLiteral("Action"), m_action, m_editor));
    m_error = inlineErrorLabel(m_editor);
    body->addWidget(m_error);
    const FormButtons buttons = formButtons(QStringLiteral("Save"), m_editor);
    m_save = buttons.confirm;
    body->addLayout(buttons.row);
    m_editor->hide();

    connect(m_kind, &QButtonGroup::idClicked, this, &PermissionsSection::kindChanged);
    connect(m_service, &QComboBox::currentIndexChanged, this,
            [this] { m_principal->setText(m_service->currentData().toString()); });
    connect(buttons.cancel, &QPushButton::clicked, this, &PermissionsSection::cancel);
    connect(m_save, &QPushButton::clicked, this, &PermissionsSection::save);
    return m_editor;
}

void PermissionsSection::kindChanged()
{
    const auto kind = Principal(m_kind->checkedId());
    m_serviceRow->setVisible(kind == Principal::Service);
    m_sourceRow->setVisible(kind == Principal::Service);
    m_authRow->setVisible(kind == Principal::FunctionUrl);
    m_principal->setReadOnly(kind == Principal::FunctionUrl);
    if (kind == Principal::Service) {
        m_principal->setText(m_service->currentData().toString());
    } else if (kind == Principal::Account) {
        m_principal->clear();
        m_principal->setPlaceholderText(QStringLiteral("123456789012"));
    } else {
        m_principal->setText(QStringLiteral("*"));
    }
    m_action->setCurrentText(kind == Principal::FunctionUrl
                                 ? QStringLiteral("lambda:InvokeFunctionUrl")
                                 : QStringLiteral("lambda:InvokeFunction"));
    if (kind == Principal::FunctionUrl && m_statementId->text().isEmpty())
        m_statementId->setText(QStringLiteral("FunctionURLAllowPublicAccess"));
}

void PermissionsSection::setFunction(const engine::FunctionInfo &info)
{
    m_function = info;
    m_role->setText(
        QString::fromStdString(info.config.role.empty() ? std::string("-") : info.config.role));
    reload();
}

void PermissionsSection::reload()
{
    m_controller->policy(this,
                         [this](engine::Result<std::optional<engine::FunctionPolicy>> policy) {
                             m_loaded = true;
                             if (!policy) {
                                 m_statements->setDescription(engineErrorText(policy.error()));
                                 return;
                             }
                             showPolicy(*policy);
                         });
}

void PermissionsSection::showPolicy(const std::optional<engine::FunctionPolicy> &policy)
{
    m_policy = policy;
    m_model->removeRows(0, m_model->rowCount());
    const QJsonArray statements =
        policy ? QJsonDocument::fromJson(QByteArray::fromStdString(policy->policy))
                     .object()
                     .value(QStringLiteral("Statement"))
                     .toArray()
               : QJsonArray();
    for (const QJsonValue &value : statements) {
        const QJsonObject statement = value.toObject();
        QList<QStandardItem *> row;
        row << new QStandardItem(statement.value(QStringLiteral("Sid")).toString())
            << new QStandardItem(principalText(statement.value(QStringLiteral("Principal"))))
            << new QStandardItem(compactJson(statement.value(QStringLiteral("Condition"))))
            << new QStandardItem(compactJson(statement.value(QStringLiteral("Action"))));
        for (QStandardItem *item : row) {
            item->setEditable(false);
            item->setToolTip(item->text());
        }
        m_model->appendRow(row);
    }
    m_statements->setCount(QStringLiteral("(%1)").arg(statements.size()));
    m_view->setEnabled(policy.has_value());
    m_delete->setEnabled(!selectedStatement().isEmpty());
}

QString PermissionsSection::policyDocument() const
{
    if (!m_policy)
        return {};
    return QString::fromUtf8(QJsonDocument::fromJson(QByteArray::fromStdString(m_policy->policy))
                                 .toJson(QJsonDocument::Indented));
}

QString PermissionsSection::selectedStatement() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->item(rows.first().row(), 0)->text();
}

void PermissionsSection::startAdd()
{
    m_statementId->clear();
    m_sourceArn->clear();
    showError({});
    m_kind->button(int(Principal::Service))->setChecked(true);
    kindChanged();
    m_editor->show();
    revealInScrollArea(m_editor);
    m_statementId->setFocus();
}

void PermissionsSection::cancel()
{
    m_editor->hide();
}

void PermissionsSection::save()
{
    engine::PermissionRequest request;
    request.statementId = m_statementId->text().trimmed().toStdString();
    request.principal = m_principal->text().trimmed().toStdString();
    request.action = m_action->currentText().toStdString();
    const auto kind = Principal(m_kind->checkedId());
    if (kind == Principal::Service)
        request.sourceArn = m_sourceArn->text().trimmed().toStdString();
    if (kind == Principal::FunctionUrl)
        request.functionUrlAuthType = m_authType->currentText().toStdString();
    if (request.statementId.empty() || request.principal.empty()) {
        showError(QStringLiteral("Enter a statement ID and a principal."));
        return;
    }
    showError({});
    m_save->setEnabled(false);
    const QString sid = QString::fromStdString(request.statementId);
    m_controller->addPermission(
        this, std::move(request), [this, sid](engine::Result<std::string> added) {
            m_save->setEnabled(true);
            if (!added) {
                showError(engineErrorText(added.error()));
                return;
            }
            m_editor->hide();
            reload();
            emit saved(QStringLiteral("Statement %1 was added to the policy.").arg(sid));
        });
}

void PermissionsSection::deleteSelected(bool confirm)
{
    const QString sid = selectedStatement();
    if (sid.isEmpty())
        return;
    if (confirm &&
        !ConfirmDialog::ask(this, QStringLiteral("Delete statement %1?").arg(sid),
                            QStringLiteral("Whoever it lets invoke the function no longer can."),
                            QStringLiteral("Delete")))
        return;
    m_controller->removePermission(
        this, sid.toStdString(), [this, sid](engine::Result<void> removed) {
            if (!removed) {
                m_statements->setDescription(engineErrorText(removed.error()));
                return;
            }
            reload();
            emit saved(QStringLiteral("Statement %1 was removed from the policy.").arg(sid));
        });
}

void PermissionsSection::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString PermissionsSection::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
