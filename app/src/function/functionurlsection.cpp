#include "function/functionurlsection.h"

#include "errortext.h"
#include "format.h"
#include "widgets/confirmdialog.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/validation.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

enum AuthChoice { Iam = 0, None = 1 };

// "a, b ,c" -> {"a", "b", "c"}: the console's comma-separated list fields.
std::vector<std::string> listOf(const QLineEdit *field)
{
    std::vector<std::string> items;
    for (const QString &item : field->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString trimmed = item.trimmed(); !trimmed.isEmpty())
            items.push_back(trimmed.toStdString());
    return items;
}

QLineEdit *listField(const QString &placeholder)
{
    auto *field = new QLineEdit;
    field->setMinimumWidth(420);
    field->setPlaceholderText(placeholder);
    return field;
}

} // namespace

FunctionUrlSection::FunctionUrlSection(SharedFunction function, QWidget *parent)
    : QWidget(parent), m_controller(std::move(function))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);

    m_panel = new Panel(QStringLiteral("Function URL"), this);
    m_panel->setDescription(QStringLiteral(
        "A dedicated HTTP endpoint for the function, served on this machine as Lambda serves "
        "it: requests arrive as payload format 2.0 events."));
    m_edit = secondaryButton(QStringLiteral("Edit"), m_panel);
    m_delete = secondaryButton(QStringLiteral("Delete"), m_panel);
    m_create = primaryButton(QStringLiteral("Create function URL"), m_panel);
    for (QPushButton *button : {m_edit, m_delete, m_create})
        m_panel->addHeaderWidget(button);
    m_empty = hintLabel(QStringLiteral("No function URL. Create one to call the function with "
                                       "curl, a browser or any HTTP client."),
                        m_panel);
    m_panel->bodyLayout()->addWidget(m_empty);
    m_facts = new QWidget(m_panel);
    m_factsGrid = new QGridLayout(m_facts);
    m_factsGrid->setContentsMargins(0, 0, 0, 0);
    m_factsGrid->setHorizontalSpacing(24);
    m_factsGrid->setVerticalSpacing(10);
    m_link = new QLabel(m_facts);
    m_link->setTextFormat(Qt::RichText);
    m_link->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_link->setOpenExternalLinks(true);
    m_panel->bodyLayout()->addWidget(m_facts);
    layout->addWidget(m_panel);
    layout->addWidget(buildEditor());
    layout->addStretch(1);

    connect(m_create, &QPushButton::clicked, this, &FunctionUrlSection::startEdit);
    connect(m_edit, &QPushButton::clicked, this, &FunctionUrlSection::startEdit);
    connect(m_delete, &QPushButton::clicked, this, [this] { deleteUrl(); });
    showUrl(std::nullopt);
}

QWidget *FunctionUrlSection::buildEditor()
{
    m_editor = new Panel(QStringLiteral("Configure Function URL"), this);
    QVBoxLayout *body = m_editor->bodyLayout();
    body->addWidget(styledLabel(QStringLiteral("Auth type"), "fieldLabel", m_editor));
    m_auth = new QButtonGroup(m_editor);
    const std::pair<AuthChoice, QString> choices[] = {
        {Iam,
         QStringLiteral("AWS_IAM: only callers that sign with SigV4, checked as the Lambda API "
                        "checks them (any key unless --auth verify)")},
        {None, QStringLiteral("NONE: anyone who can reach the URL; no signature")}};
    for (const auto &[id, label] : choices) {
        auto *radio = new QRadioButton(label, m_editor);
        m_auth->addButton(radio, id);
        body->addWidget(radio);
    }
    m_publicNote = hintLabel(
        QStringLiteral("Saving adds the statements FunctionURLAllowPublicAccess and "
                       "FunctionURLAllowInvokeAction to the resource-based policy: Lambda requires "
                       "both for a public URL."),
        m_editor);
    body->addWidget(m_publicNote);

    body->addWidget(styledLabel(QStringLiteral("Additional settings"), "panelTitle", m_editor));
    m_invokeMode = new QComboBox;
    m_invokeMode->addItem(QStringLiteral("BUFFERED (default)"),
                          QString::fromLatin1(engine::kInvokeModeBuffered));
    m_invokeMode->addItem(QStringLiteral("RESPONSE_STREAM"),
                          QString::fromLatin1(engine::kInvokeModeStream));
    body->addWidget(fieldRow(QStringLiteral("Invoke mode"), m_invokeMode, m_editor));
    m_cors =
        new QCheckBox(QStringLiteral("Configure cross-origin resource sharing (CORS)"), m_editor);
    body->addWidget(m_cors);
    m_corsFields = new QWidget(m_editor);
    auto *cors = new QVBoxLayout(m_corsFields);
    cors->setContentsMargins(24, 0, 0, 0);
    cors->setSpacing(10);
    m_origins = listField(QStringLiteral("* or https://www.example.com, http://localhost:3000"));
    m_exposeHeaders = listField(QStringLiteral("X-Custom-Header"));
    m_allowHeaders = listField(QStringLiteral("Content-Type, Authorization"));
    m_methods = listField(QStringLiteral("* or GET, POST, PUT, PATCH, DELETE, HEAD"));
    m_maxAge = new QSpinBox;
    m_maxAge->setRange(0, engine::kMaxCorsMaxAgeSeconds);
    m_maxAge->setSuffix(QStringLiteral(" s"));
    m_credentials = new QCheckBox(QStringLiteral("Allow credentials"));
    cors->addWidget(fieldRow(QStringLiteral("Allow origin"), m_origins, m_corsFields));
    cors->addWidget(fieldRow(QStringLiteral("Expose headers"), m_exposeHeaders, m_corsFields));
    cors->addWidget(fieldRow(QStringLiteral("Allow headers"), m_allowHeaders, m_corsFields));
    cors->addWidget(fieldRow(QStringLiteral("Allow methods"), m_methods, m_corsFields));
    cors->addWidget(fieldRow(QStringLiteral("Max age"), m_maxAge, m_corsFields));
    m_credentials->setParent(m_corsFields);
    cors->addWidget(m_credentials);
    body->addWidget(m_corsFields);

    m_error = inlineErrorLabel(m_editor);
    body->addWidget(m_error);
    const FormButtons buttons = formButtons(QStringLiteral("Save"), m_editor);
    m_save = buttons.confirm;
    body->addLayout(buttons.row);
    m_editor->hide();

    connect(m_auth, &QButtonGroup::idToggled, this,
            [this] { m_publicNote->setVisible(m_auth->checkedId() == None); });
    connect(m_cors, &QCheckBox::toggled, m_corsFields, &QWidget::setVisible);
    connect(buttons.cancel, &QPushButton::clicked, this, &FunctionUrlSection::cancel);
    connect(m_save, &QPushButton::clicked, this, &FunctionUrlSection::save);
    return m_editor;
}

void FunctionUrlSection::reload()
{
    m_controller->functionUrl(this,
                              [this](engine::Result<std::optional<engine::FunctionUrlInfo>> url) {
                                  m_loaded = true;
                                  if (!url) {
                                      m_panel->setDescription(engineErrorText(url.error()));
                                      return;
                                  }
                                  showUrl(*url);
                              });
}

void FunctionUrlSection::showUrl(const std::optional<engine::FunctionUrlInfo> &url)
{
    m_url = url;
    m_create->setVisible(!url);
    m_edit->setVisible(url.has_value());
    m_delete->setVisible(url.has_value());
    m_empty->setVisible(!url);
    m_facts->setVisible(url.has_value());
    m_link->setParent(m_facts); // survives its cell
    while (QLayoutItem *item = m_factsGrid->takeAt(0)) {
        if (QWidget *cell = item->widget()) {
            for (auto *fact : cell->findChildren<QLabel *>())
                fact->setObjectName({}); // gone for factText() before deleteLater ends it
            cell->deleteLater();
        }
        delete item;
    }
    emit urlChanged(url ? QString::fromStdString(url->functionUrl) : QString());
    if (!url)
        return;
    const QString address = QString::fromStdString(url->functionUrl);
    m_link->setText(linkHtml(address));
    // The engine names no port when nothing serves URLs.
    m_panel->setDescription(
        QUrl(address).port() < 0
            ? QStringLiteral("Not served while Lambdesk runs with --listen off: the URL answers "
                             "once the Lambda API is on.")
            : QStringLiteral("A dedicated HTTP endpoint for the function, served on this machine "
                             "as Lambda serves it: requests arrive as payload format 2.0 events."));
    const auto &settings = url->settings;
    std::vector<std::pair<QString, QString>> facts = {
        {QStringLiteral("Auth type"), QString::fromStdString(settings.authType)},
        {QStringLiteral("Invoke mode"), QString::fromStdString(settings.invokeMode)},
        {QStringLiteral("Created"), QString::fromStdString(url->creationTime)},
        {QStringLiteral("Last modified"), QString::fromStdString(url->lastModifiedTime)}};
    if (settings.cors) {
        const engine::FunctionUrlCors &cors = *settings.cors;
        facts.insert(facts.end(),
                     {{QStringLiteral("Allow origin"), commaList(cors.allowOrigins)},
                      {QStringLiteral("Allow methods"), commaList(cors.allowMethods)},
                      {QStringLiteral("Allow headers"), commaList(cors.allowHeaders)},
                      {QStringLiteral("Expose headers"), commaList(cors.exposeHeaders)},
                      {QStringLiteral("Max age"), QString::number(cors.maxAge.value_or(0))},
                      {QStringLiteral("Allow credentials"),
                       cors.allowCredentials ? QStringLiteral("Yes") : QStringLiteral("No")}});
    } else {
        facts.emplace_back(QStringLiteral("CORS"), QStringLiteral("Not configured"));
    }
    // Each fact a label over its value, as the overview lays them out.
    const auto cell = [this](const QString &label, QWidget *value) {
        auto *box = new QWidget(m_facts);
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(1);
        layout->addWidget(styledLabel(label, "fieldLabel", box));
        value->setParent(box);
        layout->addWidget(value);
        return box;
    };
    m_factsGrid->addWidget(cell(QStringLiteral("Function URL"), m_link), 0, 0, 1, 2);
    int index = 0;
    for (const auto &[label, value] : facts) {
        auto *text = new QLabel(value);
        text->setObjectName(QStringLiteral("fact:") + label);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_factsGrid->addWidget(cell(label, text), 1 + index / 2, index % 2);
        ++index;
    }
}

QString FunctionUrlSection::factText(const QString &label) const
{
    if (label == QLatin1String("Function URL"))
        return m_url ? QString::fromStdString(m_url->functionUrl) : QString();
    const auto *fact = m_facts->findChild<QLabel *>(QStringLiteral("fact:") + label);
    return fact ? fact->text() : QString();
}

void FunctionUrlSection::startEdit()
{
    showError({});
    const engine::FunctionUrlSettings settings =
        m_url ? m_url->settings
              : engine::FunctionUrlSettings{engine::kUrlAuthIam, {}, engine::kInvokeModeBuffered};
    m_auth->button(settings.authType == engine::kUrlAuthNone ? None : Iam)->setChecked(true);
    m_publicNote->setVisible(settings.authType == engine::kUrlAuthNone);
    m_invokeMode->setCurrentIndex(settings.invokeMode == engine::kInvokeModeStream ? 1 : 0);
    const engine::FunctionUrlCors cors = settings.cors.value_or(engine::FunctionUrlCors{});
    m_cors->setChecked(settings.cors.has_value());
    m_corsFields->setVisible(settings.cors.has_value());
    const auto field = [](const std::vector<std::string> &items) {
        const QString text = commaList(items);
        return text == QLatin1String("-") ? QString() : text;
    };
    m_origins->setText(settings.cors ? field(cors.allowOrigins) : QStringLiteral("*"));
    m_methods->setText(field(cors.allowMethods));
    m_allowHeaders->setText(field(cors.allowHeaders));
    m_exposeHeaders->setText(field(cors.exposeHeaders));
    m_maxAge->setValue(cors.maxAge.value_or(0));
    m_credentials->setChecked(cors.allowCredentials);
    m_editor->setTitle(m_url ? QStringLiteral("Edit Function URL")
                             : QStringLiteral("Configure Function URL"));
    m_editor->show();
    revealInScrollArea(m_editor);
    m_auth->checkedButton()->setFocus();
}

engine::FunctionUrlSettings FunctionUrlSection::formSettings() const
{
    engine::FunctionUrlSettings settings;
    settings.authType = m_auth->checkedId() == None ? engine::kUrlAuthNone : engine::kUrlAuthIam;
    settings.invokeMode = m_invokeMode->currentData().toString().toStdString();
    if (m_cors->isChecked()) {
        engine::FunctionUrlCors cors;
        cors.allowOrigins = listOf(m_origins);
        cors.allowMethods = listOf(m_methods);
        cors.allowHeaders = listOf(m_allowHeaders);
        cors.exposeHeaders = listOf(m_exposeHeaders);
        cors.maxAge = m_maxAge->value();
        cors.allowCredentials = m_credentials->isChecked();
        settings.cors = std::move(cors);
    }
    return settings;
}

void FunctionUrlSection::save()
{
    const engine::FunctionUrlSettings settings = formSettings();
    if (auto valid = engine::validateFunctionUrlSettings(settings); !valid) {
        showError(engineErrorText(valid.error()));
        return;
    }
    showError({});
    m_save->setEnabled(false);
    const bool create = !m_url;
    m_controller->saveFunctionUrl(
        this, settings, create, [this, create](engine::Result<engine::FunctionUrlInfo> url) {
            m_save->setEnabled(true);
            if (!url) {
                showError(engineErrorText(url.error()));
                return;
            }
            m_editor->hide();
            showUrl(*url);
            emit saved(create ? QStringLiteral("The function URL was created.")
                              : QStringLiteral("The function URL was updated."));
        });
}

void FunctionUrlSection::cancel()
{
    m_editor->hide();
}

void FunctionUrlSection::deleteUrl(bool confirm)
{
    if (!m_url)
        return;
    if (confirm &&
        !ConfirmDialog::ask(this, QStringLiteral("Delete function URL?"),
                            QStringLiteral("%1 stops answering at once, and a new URL gets a new "
                                           "address.")
                                .arg(QString::fromStdString(m_url->functionUrl)),
                            QStringLiteral("Delete")))
        return;
    m_controller->deleteFunctionUrl(this, [this](engine::Result<void> removed) {
        if (!removed) {
            m_panel->setDescription(engineErrorText(removed.error()));
            return;
        }
        showUrl(std::nullopt);
        emit saved(QStringLiteral("The function URL was deleted."));
    });
}

void FunctionUrlSection::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString FunctionUrlSection::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
