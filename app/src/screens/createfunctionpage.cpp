#include "screens/createfunctionpage.h"

#include "async.h"
#include "errortext.h"
#include "function/folderbucketfield.h"
#include "function/functioncontroller.h"
#include "function/triggerform.h"
#include "models/blueprintmodel.h"
#include "screens/functionsettingsform.h"
#include "screens/starters.h"
#include "widgets/blueprintcarddelegate.h"
#include "widgets/flashbar.h"
#include "widgets/optioncard.h"
#include "widgets/pagebody.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/editor/codedocument.h"
#include "lambdesk/engine/blueprint.h"
#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/schedule.h"
#include "lambdesk/engine/trigger.h"
#include "lambdesk/engine/validation.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

namespace lambdesk::app {

using Manifest = engine::BlueprintManifest;

CreateFunctionPage::CreateFunctionPage(engine::Engine &engine, QWidget *parent)
    : QWidget(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("page"));
    PageBody *body = PageBody::install(this);
    QVBoxLayout *layout = body->layout();

    layout->addWidget(styledLabel(QStringLiteral("Create function"), "pageTitle", body));
    auto *intro = styledLabel(QStringLiteral("Choose one of the following options to create your function."), "hint", body);
    layout->addWidget(intro);
    m_flash = new Flashbar(body);
    layout->addWidget(m_flash);

    auto *cards = new QHBoxLayout;
    cards->setSpacing(12);
    m_scratchCard = new OptionCard(QStringLiteral("Author from scratch"),
                                   QStringLiteral("Start with a simple Hello World example."), body);
    m_blueprintCard = new OptionCard(QStringLiteral("Use a blueprint"),
                                     QStringLiteral("Build a Lambda application from sample code and configuration "
                                                    "presets for common use cases."), body);
    auto *container = new OptionCard(QStringLiteral("Container image"),
                                     QStringLiteral("Select a container image to deploy for your function."), body);
    auto *repository = new OptionCard(QStringLiteral("Browse serverless app repository"),
                                      QStringLiteral("Deploy a sample Lambda application from the AWS Serverless "
                                                     "Application Repository."), body);
    container->setEnabled(false);
    repository->setEnabled(false);
    container->setToolTip(QStringLiteral("Not available in Lambdesk: functions are .zip packages."));
    repository->setToolTip(QStringLiteral("Not available in Lambdesk: it runs offline."));
    auto *group = new QButtonGroup(this);
    for (OptionCard *card : {m_scratchCard, m_blueprintCard, container, repository}) {
        group->addButton(card->radio());
        card->setMinimumHeight(86);
        cards->addWidget(card, 1);
    }
    layout->addLayout(cards);
    connect(m_scratchCard, &OptionCard::chosen, this, [this] { setMode(Mode::Scratch); });
    connect(m_blueprintCard, &OptionCard::chosen, this, [this] { setMode(Mode::Blueprint); });

    layout->addWidget(buildBlueprintPanel());
    m_form = new FunctionSettingsForm(body);
    layout->addWidget(m_form);
    layout->addWidget(buildTriggerPanel());
    layout->addWidget(buildOutputPanel());
    connect(m_form->nameEdit(), &QLineEdit::textChanged, this, &CreateFunctionPage::deriveRuleName);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    m_cancel = linkButton(QStringLiteral("Cancel"), body);
    m_create = primaryButton(QStringLiteral("Create function"), body);
    buttons->addWidget(m_cancel);
    buttons->addSpacing(12);
    buttons->addWidget(m_create);
    layout->addLayout(buttons);
    layout->addStretch();

    connect(m_cancel, &QPushButton::clicked, this, &CreateFunctionPage::cancelled);
    connect(m_create, &QPushButton::clicked, this, &CreateFunctionPage::create);

    m_blueprints->setBlueprints(loadBlueprints());
    setMode(Mode::Scratch);
}

QWidget *CreateFunctionPage::buildBlueprintPanel()
{
    m_blueprintPanel = new Panel(QStringLiteral("Blueprints"), this);
    m_blueprintPanel->setDescription(QStringLiteral("Choose a blueprint: its code and the trigger it suggests "
                                                    "are shown below before you create the function."));
    m_blueprintFilter = new QLineEdit(m_blueprintPanel);
    m_blueprintFilter->setPlaceholderText(QStringLiteral("Filter by tags and attributes or search by keyword"));
    m_blueprintFilter->setClearButtonEnabled(true);
    m_blueprintFilter->setMaximumWidth(520);
    m_blueprintPanel->bodyLayout()->addWidget(m_blueprintFilter);

    m_blueprints = new BlueprintModel(this);
    m_blueprintProxy = new BlueprintFilterProxy(this);
    m_blueprintProxy->setSourceModel(m_blueprints);
    m_blueprintGrid = new QListView(m_blueprintPanel);
    m_blueprintGrid->setObjectName(QStringLiteral("blueprintGrid"));
    m_blueprintGrid->setModel(m_blueprintProxy);
    m_blueprintGrid->setItemDelegate(new BlueprintCardDelegate(m_blueprintGrid));
    m_blueprintGrid->setViewMode(QListView::IconMode);
    m_blueprintGrid->setFlow(QListView::LeftToRight);
    m_blueprintGrid->setWrapping(true);
    m_blueprintGrid->setResizeMode(QListView::Adjust);
    m_blueprintGrid->setMovement(QListView::Static);
    m_blueprintGrid->setUniformItemSizes(true);
    m_blueprintGrid->setSpacing(6);
    m_blueprintGrid->setMouseTracking(true);
    m_blueprintGrid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_blueprintGrid->setFrameShape(QFrame::NoFrame);
    m_blueprintGrid->setFixedHeight(3 * (BlueprintCardDelegate::kCardHeight + 12) + 8);
    m_blueprintPanel->bodyLayout()->addWidget(m_blueprintGrid);

    m_blueprintDetails = new QWidget(m_blueprintPanel);
    auto *details = new QVBoxLayout(m_blueprintDetails);
    details->setContentsMargins(0, 6, 0, 0);
    m_blueprintSummary = new QLabel(m_blueprintDetails);
    m_blueprintSummary->setWordWrap(true);
    m_blueprintSummary->setTextFormat(Qt::RichText);
    details->addWidget(m_blueprintSummary);
    m_blueprintCode = new QTabWidget(m_blueprintDetails);
    m_blueprintCode->setMinimumHeight(260);
    m_blueprintCode->setDocumentMode(true);
    details->addWidget(m_blueprintCode);
    m_blueprintDetails->hide();
    m_blueprintPanel->bodyLayout()->addWidget(m_blueprintDetails);

    connect(m_blueprintFilter, &QLineEdit::textChanged, m_blueprintProxy, &BlueprintFilterProxy::setSearchText);
    connect(m_blueprintGrid->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    showBlueprint(m_blueprintProxy->mapToSource(current).row());
            });
    return m_blueprintPanel;
}

QWidget *CreateFunctionPage::buildTriggerPanel()
{
    m_triggerPanel = new Panel(QStringLiteral("Trigger - optional"), this);
    m_addTrigger = new QCheckBox(QStringLiteral("Add a trigger"), m_triggerPanel);
    m_addTrigger->setObjectName(QStringLiteral("addTrigger"));
    m_triggerPanel->bodyLayout()->addWidget(m_addTrigger);
    m_triggerHint = hintLabel(QString(), m_triggerPanel);
    m_triggerHint->setObjectName(QStringLiteral("triggerHint"));
    m_triggerPanel->bodyLayout()->addWidget(m_triggerHint);
    m_triggerForm = new TriggerForm(m_triggerPanel);
    m_triggerForm->setVisible(false);
    m_triggerPanel->bodyLayout()->addWidget(m_triggerForm);
    connect(m_addTrigger, &QCheckBox::toggled, m_triggerForm, &QWidget::setVisible);
    return m_triggerPanel;
}

QWidget *CreateFunctionPage::buildOutputPanel()
{
    m_outputPanel = new Panel(QStringLiteral("Output bucket"), this);
    m_outputHint = hintLabel(QString(), m_outputPanel);
    m_outputPanel->bodyLayout()->addWidget(m_outputHint);
    m_outputField = new FolderBucketField(QStringLiteral("Folder (bucket)"),
                                          QStringLiteral("/home/you/orders-clean"), m_outputPanel);
    m_outputField->edit()->setObjectName(QStringLiteral("outputFolder"));
    m_outputPanel->bodyLayout()->addWidget(m_outputField);
    m_outputPanel->hide();
    return m_outputPanel;
}

// Only a blueprint that writes to a bucket of its own asks for one.
void CreateFunctionPage::showOutputBucket(const engine::BlueprintManifest *manifest)
{
    const bool wanted = manifest && !manifest->outputBucketVariable.empty();
    m_outputPanel->setVisible(wanted);
    m_outputField->edit()->clear();
    m_autoOutputFolder.clear();
    if (!wanted)
        return;
    m_outputHint->setText(
        QStringLiteral("%1 The function finds the bucket's name in %2 and reaches its files "
                       "through S3's API: boto3.client(\"s3\") is pointed at it, through "
                       "AWS_ENDPOINT_URL_S3, as it reaches S3 on Lambda. Choose a folder outside "
                       "the trigger's: a folder that is missing is made.")
            .arg(QString::fromStdString(manifest->outputBucketDescription),
                 QString::fromStdString(manifest->outputBucketVariable)));
    connect(m_triggerForm->folder(), &QLineEdit::textChanged, this,
            &CreateFunctionPage::deriveOutputFolder, Qt::UniqueConnection);
}

// "<input>-output" beside the trigger's folder, while the user has not chosen one of their own.
void CreateFunctionPage::deriveOutputFolder()
{
    if (m_outputField->folder() != m_autoOutputFolder)
        return;
    const QString input = m_triggerForm->folder()->text().trimmed();
    const QString folder = QString::fromStdString(engine::normalFolder(input.toStdString()));
    m_autoOutputFolder = input.isEmpty() || folder == QStringLiteral("/")
                             ? QString()
                             : folder + QStringLiteral("-output");
    m_outputField->edit()->setText(m_autoOutputFolder);
}

// "<function>-<the blueprint's rule name>" while the user has not typed a rule name of their own.
void CreateFunctionPage::deriveRuleName()
{
    if (m_suggestedRuleSuffix.isEmpty() || m_triggerForm->ruleName()->text() != m_autoRuleName)
        return;
    // Within the rule name's 64 characters, however long the function's name.
    const auto room = qsizetype(engine::kMaxRuleNameLength) - m_suggestedRuleSuffix.size() - 1;
    const QString function =
        m_form->nameEdit()->text().trimmed().left(std::max<qsizetype>(room, 0));
    m_autoRuleName = function.isEmpty() ? m_suggestedRuleSuffix
                                        : function + QLatin1Char('-') + m_suggestedRuleSuffix;
    m_triggerForm->ruleName()->setText(m_autoRuleName);
}

// A new wizard starts from an empty trigger form, as from an empty settings form.
void CreateFunctionPage::resetTriggerForm()
{
    auto *fresh = new TriggerForm(m_triggerPanel);
    fresh->setVisible(m_addTrigger->isChecked());
    if (m_queueNames)
        fresh->setQueueNames(*m_queueNames);
    delete m_triggerPanel->bodyLayout()->replaceWidget(m_triggerForm, fresh);
    delete m_triggerForm;
    m_triggerForm = fresh;
    connect(m_addTrigger, &QCheckBox::toggled, m_triggerForm, &QWidget::setVisible);
}

// Scratch: no trigger unless asked for. A blueprint: its suggestion, filled in and ticked.
void CreateFunctionPage::showSuggestedTrigger()
{
    const bool blueprint = m_mode == Mode::Blueprint && m_selectedBlueprint >= 0;
    const engine::BlueprintManifest *manifest =
        blueprint ? &m_blueprints->blueprint(m_selectedBlueprint).manifest : nullptr;
    const bool suggested = manifest && manifest->trigger.kind != engine::TriggerKind::None;
    resetTriggerForm(); // nothing of another blueprint's (or of scratch's) trigger stays
    m_suggestedRuleSuffix.clear();
    if (suggested) {
        m_triggerForm->suggest(manifest->trigger);
        // Rule names are unique: a second function from the blueprint gets a rule of its own.
        if (manifest->trigger.kind == engine::TriggerKind::Schedule) {
            m_suggestedRuleSuffix = QString::fromStdString(manifest->trigger.schedule.name);
            m_autoRuleName = m_triggerForm->ruleName()->text();
            deriveRuleName();
        }
    }
    showOutputBucket(manifest);
    m_addTrigger->setChecked(suggested);
    m_addTrigger->setText(suggested ? QStringLiteral("Add the trigger the blueprint suggests")
                                    : QStringLiteral("Add a trigger"));
    if (manifest && !manifest->triggerService.empty())
        m_triggerHint->setText(QStringLiteral("Suggested trigger: %1. %2")
                                   .arg(QString::fromStdString(manifest->triggerService),
                                        QString::fromStdString(manifest->triggerDescription)));
    else
        m_triggerHint->setText(QStringLiteral(
            "A schedule, a folder, a queue or a function URL can invoke the function as soon as "
            "it is created; Configuration → Triggers adds more later."));
}

OptionCard *CreateFunctionPage::card(Mode mode) const
{
    return mode == Mode::Scratch ? m_scratchCard : m_blueprintCard;
}

void CreateFunctionPage::start(Mode mode)
{
    m_flash->clear();
    m_form->reset();
    m_runtimesLoaded = false;
    m_queueNames.reset();
    setBusy(false);
    setMode(mode); // a fresh trigger form too
    engine::Engine *engine = &m_engine;
    loadQueueNames(m_engine, this, [this](const engine::Result<std::vector<std::string>> &names) {
        m_queueNames = names; // for the forms a blueprint change makes afterwards
        m_triggerForm->setQueueNames(names);
    });
    runAsync(
        this, [engine] { return engine->runtimes(); },
        [this](const std::vector<engine::Availability> &runtimes) {
            m_form->setRuntimes(runtimes);
            if (m_mode == Mode::Blueprint && m_selectedBlueprint >= 0)
                m_form->selectRuntime(
                    m_blueprints->blueprint(m_selectedBlueprint).text(&Manifest::runtime));
            m_runtimesLoaded = true;
            emit loaded();
        });
}

bool CreateFunctionPage::isLoaded() const
{
    return m_runtimesLoaded;
}

void CreateFunctionPage::setMode(Mode mode)
{
    m_mode = mode;
    card(mode)->setChecked(true);
    m_blueprintPanel->setVisible(mode == Mode::Blueprint);
    if (mode == Mode::Blueprint && m_selectedBlueprint < 0 && m_blueprintProxy->rowCount() > 0)
        m_blueprintGrid->setCurrentIndex(m_blueprintProxy->index(0, 0));
    showSuggestedTrigger();
}

void CreateFunctionPage::selectBlueprint(const QString &idOrName)
{
    const int row = m_blueprints->rowOf(idOrName);
    if (row < 0)
        return;
    setMode(Mode::Blueprint);
    m_blueprintGrid->setCurrentIndex(m_blueprintProxy->mapFromSource(m_blueprints->index(row, 0)));
}

void CreateFunctionPage::showBlueprint(int sourceRow)
{
    m_selectedBlueprint = sourceRow;
    const Blueprint &blueprint = m_blueprints->blueprint(sourceRow);
    m_blueprintSummary->setText(
        QStringLiteral("<b>%1</b> &nbsp;·&nbsp; %2<br>Runtime <b>%3</b>, handler <b>%4</b><br>"
                       "Suggested trigger: <b>%5</b> — %6")
            .arg(blueprint.text(&Manifest::name).toHtmlEscaped(),
                 blueprint.text(&Manifest::description).toHtmlEscaped(),
                 blueprint.text(&Manifest::runtime).toHtmlEscaped(),
                 blueprint.text(&Manifest::handler).toHtmlEscaped(),
                 blueprint.text(&Manifest::triggerService).toHtmlEscaped(),
                 blueprint.text(&Manifest::triggerDescription).toHtmlEscaped()));
    showSuggestedTrigger();
    while (m_blueprintCode->count() > 0) {
        QWidget *page = m_blueprintCode->widget(0);
        m_blueprintCode->removeTab(0);
        page->deleteLater();
    }
    for (const engine::CodeFile &file : blueprint.files) {
        auto *page = new QWidget(m_blueprintCode);
        auto *pageLayout = new QVBoxLayout(page);
        pageLayout->setContentsMargins(0, 0, 0, 0);
        auto *document = new editor::CodeDocument(page);
        const QString name = QString::fromStdString(file.path);
        document->setFileName(name);
        document->setLanguage(editor::languageForFileName(name));
        document->setText(QString::fromStdString(file.content));
        editor::CodeView *view = editor::CodeView::create(document, page);
        view->setReadOnly(true);
        pageLayout->addWidget(view->widget());
        m_blueprintCode->addTab(page, name);
    }
    m_blueprintDetails->show();
    if (m_runtimesLoaded)
        m_form->selectRuntime(blueprint.text(&Manifest::runtime));
}

void CreateFunctionPage::setBusy(bool busy)
{
    m_create->setEnabled(!busy);
    m_create->setText(busy ? QStringLiteral("Creating function...") : QStringLiteral("Create function"));
}

void CreateFunctionPage::create()
{
    m_flash->clear();
    if (m_mode == Mode::Blueprint && m_selectedBlueprint < 0) {
        m_flash->showMessage(Flashbar::Kind::Error, QStringLiteral("Choose a blueprint first."));
        return;
    }
    std::optional<engine::FunctionConfig> config = m_form->buildConfig();
    if (!config) {
        if (m_form->runtime().isEmpty())
            m_flash->showMessage(Flashbar::Kind::Error, QStringLiteral("Choose a runtime that can run on this machine."));
        return;
    }
    std::optional<engine::TriggerRequest> trigger;
    if (m_addTrigger->isChecked()) {
        auto request = m_triggerForm->request();
        if (!request) {
            m_flash->showMessage(
                Flashbar::Kind::Error,
                QStringLiteral("Trigger: %1").arg(engineErrorText(request.error())));
            return;
        }
        trigger = std::move(*request);
    }
    std::vector<engine::CodeFile> files;
    QString testEvent = QStringLiteral("hello-world");
    std::optional<engine::BlueprintManifest> blueprintManifest;
    if (m_mode == Mode::Blueprint) {
        const Blueprint &blueprint = m_blueprints->blueprint(m_selectedBlueprint);
        config->handler = blueprint.manifest.handler;
        config->description = blueprint.manifest.description;
        files = blueprint.files;
        blueprintManifest = blueprint.manifest;
        if (!blueprint.manifest.testEvent.empty())
            testEvent = blueprint.text(&Manifest::testEvent);
    } else {
        const QString runtime = QString::fromStdString(config->runtime);
        config->handler = starterHandler(runtime).toStdString();
        files = starterFiles(runtime);
    }
    if (files.empty()) {
        m_flash->showMessage(Flashbar::Kind::Error,
                             QStringLiteral("There is no starter code for runtime %1.").arg(QString::fromStdString(config->runtime)));
        return;
    }
    if (auto valid = engine::validateConfig(*config); !valid) {
        m_flash->showMessage(Flashbar::Kind::Error, engineErrorText(valid.error()));
        return;
    }

    setBusy(true);
    runAsync(
        this,
        [engine = &m_engine, config = *config, files, trigger, blueprintManifest,
         outputFolder =
             !m_outputPanel->isHidden() ? m_outputField->folder().toStdString() : std::string()] {
            return engine::createFunctionWithTrigger(
                *engine, config, files, trigger, blueprintManifest ? &*blueprintManifest : nullptr,
                outputFolder);
        },
        [this, testEvent](const engine::Result<engine::CreatedFunction> &result) {
            setBusy(false);
            if (!result) {
                m_flash->showMessage(Flashbar::Kind::Error,
                                     QStringLiteral("Creating the function failed: %1")
                                         .arg(engineErrorText(result.error())));
                return;
            }
            emit functionCreated(QString::fromStdString(result->function.config.name), testEvent,
                                 QString::fromStdString(result->trigger));
        });
}

} // namespace lambdesk::app
