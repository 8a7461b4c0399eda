#include "function/testtab.h"

#include "errortext.h"
#include "function/eventtemplates.h"
#include "function/executionresult.h"
#include "jsontext.h"
#include "widgets/confirmdialog.h"
#include "widgets/flashbar.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/editor/codedocument.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

QVBoxLayout *fieldBox(QWidget *row, const QString &label, const QString &hint = {})
{
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(styledLabel(label, "fieldLabel", row));
    if (!hint.isEmpty())
        layout->addWidget(styledLabel(hint, "hint", row));
    return layout;
}

} // namespace

TestTab::TestTab(SharedFunction function, QWidget *parent) : FunctionTab(function, parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 14, 0, 0);
    layout->setSpacing(14);
    m_result = new ExecutionResult(this);
    layout->addWidget(m_result);
    buildTestEventPanel(this);
    layout->addStretch();

    m_validateTimer = new QTimer(this);
    m_validateTimer->setSingleShot(true);
    m_validateTimer->setInterval(150);
    connect(m_validateTimer, &QTimer::timeout, this, &TestTab::validateJson);
    connect(m_document, &editor::CodeDocument::textChanged, m_validateTimer, qOverload<>(&QTimer::start));
}

void TestTab::buildTestEventPanel(QWidget *parent)
{
    auto *panel = new Panel(QStringLiteral("Test event"), parent);
    panel->setDescription(QStringLiteral("To invoke your function without saving an event, configure the JSON "
                                         "event, then choose Test."));
    m_save = secondaryButton(QStringLiteral("Save"), panel);
    m_test = primaryButton(QStringLiteral("Test"), panel);
    m_test->setToolTip(QStringLiteral("Invoke the function with this event (Ctrl+T)"));
    panel->addHeaderWidget(m_save);
    panel->addHeaderWidget(m_test);
    QVBoxLayout *body = panel->bodyLayout();
    body->setSpacing(14);

    auto *actionRow = new QWidget(panel);
    QVBoxLayout *action = fieldBox(actionRow, QStringLiteral("Test event action"));
    auto *radios = new QHBoxLayout;
    m_createNew = new QRadioButton(QStringLiteral("Create new event"), actionRow);
    m_editSaved = new QRadioButton(QStringLiteral("Edit saved event"), actionRow);
    m_createNew->setChecked(true);
    auto *actionGroup = new QButtonGroup(actionRow);
    actionGroup->addButton(m_createNew);
    actionGroup->addButton(m_editSaved);
    radios->addWidget(m_createNew);
    radios->addSpacing(24);
    radios->addWidget(m_editSaved);
    radios->addStretch();
    action->addLayout(radios);
    body->addWidget(actionRow);

    m_nameRow = new QWidget(panel);
    QVBoxLayout *name = fieldBox(m_nameRow, QStringLiteral("Event name"));
    m_name = new QLineEdit(m_nameRow);
    m_name->setPlaceholderText(QStringLiteral("MyEventName"));
    m_name->setMaximumWidth(480);
    name->addWidget(m_name);
    name->addWidget(styledLabel(QStringLiteral("Maximum of 25 characters consisting of letters, numbers, dots, "
                                               "hyphens and underscores."), "hint", m_nameRow));
    m_nameError = styledLabel(QString(), "errorText", m_nameRow);
    m_nameError->hide();
    name->addWidget(m_nameError);
    body->addWidget(m_nameRow);

    m_savedRow = new QWidget(panel);
    QVBoxLayout *saved = fieldBox(m_savedRow, QStringLiteral("Event name"), QStringLiteral("Saved events (up to 10 per function)."));
    auto *savedLine = new QHBoxLayout;
    m_saved = new QComboBox(m_savedRow);
    m_saved->setMinimumWidth(320);
    m_deleteSaved = linkButton(QStringLiteral("Delete"), m_savedRow);
    savedLine->addWidget(m_saved);
    savedLine->addWidget(m_deleteSaved);
    savedLine->addStretch();
    saved->addLayout(savedLine);
    m_savedRow->hide();
    body->addWidget(m_savedRow);

    auto *sharingRow = new QWidget(panel);
    QVBoxLayout *sharing = fieldBox(sharingRow, QStringLiteral("Event sharing settings"));
    auto *sharingRadios = new QHBoxLayout;
    m_private = new QRadioButton(QStringLiteral("Private"), sharingRow);
    m_shareable = new QRadioButton(QStringLiteral("Shareable"), sharingRow);
    m_private->setChecked(true);
    m_private->setToolTip(QStringLiteral("Only you can use this event."));
    m_shareable->setToolTip(QStringLiteral("Anyone using this engine can use this event."));
    sharingRadios->addWidget(m_private);
    sharingRadios->addSpacing(24);
    sharingRadios->addWidget(m_shareable);
    sharingRadios->addStretch();
    sharing->addLayout(sharingRadios);
    body->addWidget(sharingRow);

    m_templateRow = new QWidget(panel);
    QVBoxLayout *templ = fieldBox(m_templateRow, QStringLiteral("Template - optional"));
    m_template = new QComboBox(m_templateRow);
    m_template->addItems(eventTemplateNames());
    m_template->setMaximumWidth(480);
    templ->addWidget(m_template);
    body->addWidget(m_templateRow);

    auto *jsonHeader = new QHBoxLayout;
    jsonHeader->addWidget(styledLabel(QStringLiteral("Event JSON"), "fieldLabel", panel));
    jsonHeader->addStretch();
    auto *format = secondaryButton(QStringLiteral("Format JSON"), panel);
    jsonHeader->addWidget(format);
    body->addLayout(jsonHeader);
    m_document = new editor::CodeDocument(this);
    m_document->setFileName(QStringLiteral("event.json"));
    m_document->setLanguage(editor::Language::Json);
    m_view = editor::CodeView::create(m_document, panel);
    m_view->widget()->setMinimumHeight(280);
    body->addWidget(m_view->widget());
    m_jsonError = new QLabel(panel);
    m_jsonError->setObjectName(QStringLiteral("inlineError"));
    m_jsonError->setWordWrap(true);
    m_jsonError->hide();
    body->addWidget(m_jsonError);
    layout()->addWidget(panel);

    connect(m_createNew, &QRadioButton::toggled, this, [this](bool create) { setEditSaved(!create); });
    connect(m_template, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        if (m_createNew->isChecked())
            m_document->setText(eventTemplate(name));
    });
    connect(m_saved, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0 || index >= int(m_savedEvents.size()) || !m_editSaved->isChecked())
            return;
        const engine::SavedTestEvent &event = m_savedEvents[std::size_t(index)];
        m_document->setText(QString::fromStdString(event.json));
        (event.shareable ? m_shareable : m_private)->setChecked(true);
    });
    connect(m_deleteSaved, &QPushButton::clicked, this, [this] {
        const QString name = m_saved->currentText();
        if (name.isEmpty() ||
            !ConfirmDialog::ask(
                this, QStringLiteral("Delete saved event"),
                QStringLiteral("Delete the saved event %1? This cannot be undone.").arg(name),
                QStringLiteral("Delete")))
            return;
        m_controller->deleteTestEvent(
            this, name.toStdString(), [this, name](engine::Result<void> result) {
                if (!result)
                    emit flashRequested(int(Flashbar::Kind::Error),
                                        engineErrorText(result.error()));
                else
                    emit flashRequested(int(Flashbar::Kind::Success),
                                        QStringLiteral("The test event %1 was deleted.").arg(name));
                loadSavedEvents();
            });
    });
    connect(format, &QPushButton::clicked, this, &TestTab::formatJson);
    connect(m_save, &QPushButton::clicked, this, &TestTab::saveEvent);
    connect(m_test, &QPushButton::clicked, this, &TestTab::runTest);
}

void TestTab::setPreferredTemplate(const QString &name)
{
    if (!eventTemplate(name).isEmpty())
        m_preferredTemplate = name;
}

void TestTab::setFunction(const engine::FunctionInfo &info)
{
    const bool first = m_function.config.name.empty();
    m_function = info;
    if (!first)
        return;
    m_template->setCurrentText(m_preferredTemplate);
    m_document->setText(eventTemplate(m_template->currentText()));
    loadSavedEvents();
}

void TestTab::loadSavedEvents(const QString &select)
{
    m_controller->listTestEvents(
        this, [this, select](engine::Result<std::vector<engine::SavedTestEvent>> events) {
            m_savedEvents = events ? events.value() : std::vector<engine::SavedTestEvent>{};
            const QSignalBlocker blocker(m_saved);
            m_saved->clear();
            for (const engine::SavedTestEvent &event : m_savedEvents)
                m_saved->addItem(QString::fromStdString(event.name));
            m_editSaved->setEnabled(!m_savedEvents.empty());
            if (!select.isEmpty()) {
                m_saved->setCurrentText(select);
                m_editSaved->setChecked(true);
            } else if (m_savedEvents.empty() && m_editSaved->isChecked()) {
                m_createNew->setChecked(true);
            }
            markLoaded();
        });
}

void TestTab::setEditSaved(bool editSaved)
{
    m_nameRow->setVisible(!editSaved);
    m_templateRow->setVisible(!editSaved);
    m_savedRow->setVisible(editSaved);
    if (editSaved) {
        const int index = m_saved->currentIndex();
        if (index >= 0 && index < int(m_savedEvents.size()))
            m_document->setText(QString::fromStdString(m_savedEvents[std::size_t(index)].json));
    }
}

bool TestTab::validateJson()
{
    m_validateTimer->stop();
    const std::optional<JsonProblem> problem = checkJson(m_document->text());
    if (!problem) {
        m_view->setDiagnostics({});
        m_jsonError->hide();
        return true;
    }
    m_view->setDiagnostics({editor::Diagnostic{problem->line, problem->column, problem->message}});
    m_jsonError->setText(QStringLiteral("<b>Event JSON is not valid</b>: %1 (line %2, column %3). Correct it "
                                        "before saving or testing; your text is kept as typed.")
                             .arg(problem->message.toHtmlEscaped())
                             .arg(problem->line)
                             .arg(problem->column));
    m_jsonError->show();
    return false;
}

void TestTab::formatJson()
{
    if (!validateJson())
        return;
    const QString pretty = prettyJson(m_document->text());
    if (pretty != m_document->text())
        m_document->setText(pretty);
}

QString TestTab::currentEventName() const
{
    return m_editSaved->isChecked() ? m_saved->currentText() : m_name->text().trimmed();
}

QString TestTab::payloadForLoad() const
{
    const QString text = m_document->text();
    return checkJson(text) ? QStringLiteral("{}") : text;
}

void TestTab::saveEvent()
{
    const bool jsonOk = validateJson();
    const QString name = currentEventName();
    const QString nameProblem = eventNameProblem(name);
    m_nameError->setText(nameProblem);
    m_nameError->setVisible(!nameProblem.isEmpty());
    setInvalid(m_name, !nameProblem.isEmpty());
    if (!jsonOk || !nameProblem.isEmpty())
        return;
    engine::SavedTestEvent event{name.toStdString(), m_document->text().toStdString(), m_shareable->isChecked()};
    m_controller->saveTestEvent(this, event, [this, name](engine::Result<void> result) {
        if (!result) {
            emit flashRequested(int(Flashbar::Kind::Error),
                                QStringLiteral("Saving the test event %1 failed: %2")
                                    .arg(name, engineErrorText(result.error())));
            return;
        }
        emit flashRequested(int(Flashbar::Kind::Success),
                            QStringLiteral("The test event %1 was successfully saved.").arg(name));
        loadSavedEvents(name);
    });
}

void TestTab::runTest()
{
    if (m_running)
        return;
    if (!validateJson()) {
        m_result->showError(QStringLiteral("There is an error in your JSON event. Correct it before testing."));
        emit invoked();
        return;
    }
    m_running = true;
    m_test->setEnabled(false);
    const QString eventName = currentEventName();
    m_result->showRunning(eventName);
    m_controller->invoke(this, m_document->text().toStdString(),
                         [this](engine::Result<engine::InvokeResult> result) {
                             m_running = false;
                             m_test->setEnabled(true);
                             if (result)
                                 m_result->showResult(
                                     result.value(), QString::fromStdString(m_function.codeSha256));
                             else
                                 m_result->showError(engineErrorText(result.error()));
                             emit invoked();
                         });
}

} // namespace lambdesk::app
