#include "function/codetab.h"

#include "function/layerssection.h"

#include "errortext.h"
#include "format.h"
#include "function/codefiles.h"
#include "function/runtimesettingsdialog.h"
#include "lambdesk/engine/codebuild.h"
#include "widgets/confirmdialog.h"
#include "widgets/flashbar.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/editor/codedocument.h"
#include "lambdesk/editor/codeworkspace.h"

#include <QDateTime>

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <utility>

namespace lambdesk::app {
namespace {

int flashKind(Flashbar::Kind kind)
{
    return int(kind);
}

QLabel *addProperty(QGridLayout *grid, int row, int column, const QString &label, QWidget *parent)
{
    grid->addWidget(styledLabel(label, "fieldLabel", parent), row * 2, column);
    auto *value = new QLabel(QStringLiteral("-"), parent);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    grid->addWidget(value, row * 2 + 1, column);
    return value;
}

} // namespace

CodeTab::CodeTab(SharedFunction function, QWidget *parent) : FunctionTab(function, parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 14, 0, 0);
    layout->setSpacing(14);
    layout->addWidget(buildCodeSource());
    layout->addWidget(buildProperties());

    m_autosave = new QTimer(this);
    m_autosave->setInterval(5000);
    connect(m_autosave, &QTimer::timeout, this, [this] {
        if (m_codeLoaded && m_workspace->isModified())
            saveDraft();
    });
    m_autosave->start();
}

CodeTab::~CodeTab()
{
    if (!m_codeLoaded || !m_workspace->isModified())
        return;
    // Leaving the page or closing the app: keep the edits as a draft.
    m_controller->keepDraftDetached(toCodeFiles(m_workspace->files()));
}

QWidget *CodeTab::buildCodeSource()
{
    auto *panel = new Panel(QStringLiteral("Code source"), this);
    panel->setDescription(QStringLiteral("Edits are kept as a draft (Ctrl+S, and automatically); Deploy "
                                         "(Ctrl+Shift+D) makes them the function's code."));
    auto *upload = new QMenu;
    QAction *uploadAction = upload->addAction(QStringLiteral(".zip file"));
    QToolButton *uploadButton = menuButton(QStringLiteral("Upload from"), upload, panel);
    panel->addHeaderWidget(uploadButton);
    connect(uploadAction, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Upload a .zip file"), QString(),
                                                          QStringLiteral("Deployment package (*.zip)"));
        if (!path.isEmpty())
            uploadZip(path);
    });

    auto *toolbar = new QHBoxLayout;
    toolbar->setSpacing(6);
    auto *fileMenu = new QMenu;
    QAction *save = fileMenu->addAction(QStringLiteral("Save draft"));
    // Shown in the menu only: the page's own shortcuts handle the keys (two live shortcuts on
    // one key cancel each other out).
    save->setShortcut(QKeySequence::Save);
    save->setShortcutContext(Qt::WidgetShortcut);
    QAction *revert = fileMenu->addAction(QStringLiteral("Revert to deployed code"));
    auto *editMenu = new QMenu;
    QAction *find = editMenu->addAction(QStringLiteral("Find and replace"));
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetShortcut);
    QToolButton *fileButton = menuButton(QStringLiteral("File"), fileMenu, panel);
    toolbar->addWidget(fileButton);
    toolbar->addWidget(menuButton(QStringLiteral("Edit"), editMenu, panel));
    connect(save, &QAction::triggered, this, &CodeTab::saveDraft);
    connect(find, &QAction::triggered, this, &CodeTab::showFind);
    connect(revert, &QAction::triggered, this, [this] {
        if (!ConfirmDialog::ask(
                this, QStringLiteral("Revert to deployed code"),
                QStringLiteral(
                    "Discard every change that is not deployed? The draft is removed too."),
                QStringLiteral("Revert")))
            return;
        m_workspace->setFiles(toEditorFiles(m_deployedFiles));
        m_draftDiffers = false;
        m_controller->discardDraftDetached();
        updateNotice();
    });
    m_saveState = styledLabel(QString(), "hint", panel);
    toolbar->addWidget(m_saveState);
    toolbar->addStretch();
    m_notDeployed = new QLabel(QStringLiteral("⚠ Changes not deployed"), panel);
    m_notDeployed->setObjectName(QStringLiteral("notDeployed"));
    m_notDeployed->hide();
    toolbar->addWidget(m_notDeployed);
    m_progress = new QProgressBar(panel);
    m_progress->setRange(0, 0);
    m_progress->setFixedWidth(120);
    m_progress->setTextVisible(false);
    m_progress->hide();
    toolbar->addWidget(m_progress);
    m_test = secondaryButton(QStringLiteral("Test"), panel);
    m_test->setToolTip(QStringLiteral("Run the selected test event (Ctrl+T)"));
    m_deploy = primaryButton(QStringLiteral("Deploy"), panel);
    m_deploy->setToolTip(QStringLiteral("Deploy every edited file as one change (Ctrl+Shift+D)"));
    toolbar->addWidget(m_test);
    toolbar->addWidget(m_deploy);
    panel->bodyLayout()->addLayout(toolbar);
    connect(m_test, &QPushButton::clicked, this, &CodeTab::testRequested);
    connect(m_deploy, &QPushButton::clicked, this, &CodeTab::deploy);

    m_deployError = new QLabel(panel);
    m_deployError->setObjectName(QStringLiteral("inlineError"));
    m_deployError->setWordWrap(true);
    m_deployError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_deployError->hide();
    panel->bodyLayout()->addWidget(m_deployError);

    m_workspace = new editor::CodeWorkspace(panel);
    m_workspace->setMinimumHeight(430);
    m_codePanel = panel;
    if (isReadOnlyVersion()) {
        // A published version (or the one an alias names) never changes: look, test, no edits.
        m_workspace->setReadOnly(true);
        for (QWidget *editing :
             std::initializer_list<QWidget *>{uploadButton, fileButton, m_deploy})
            editing->hide();
    }
    panel->bodyLayout()->addWidget(m_workspace, 1);
    connect(m_workspace, &editor::CodeWorkspace::modifiedChanged, this, [this](bool modified) {
        if (modified)
            m_saveState->clear();
        updateNotice();
    });
    return panel;
}

QWidget *CodeTab::buildProperties()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);

    auto *properties = new Panel(QStringLiteral("Code properties"), box);
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(40);
    grid->setVerticalSpacing(2);
    m_packageSize = addProperty(grid, 0, 0, QStringLiteral("Package size"), properties);
    m_sha = addProperty(grid, 0, 1, QStringLiteral("SHA256 hash"), properties);
    m_lastModified = addProperty(grid, 0, 2, QStringLiteral("Last modified"), properties);
    for (int column = 0; column < 3; ++column)
        grid->setColumnStretch(column, 1);
    properties->bodyLayout()->addLayout(grid);
    layout->addWidget(properties);

    auto *runtime = new Panel(QStringLiteral("Runtime settings"), box);
    auto *edit = secondaryButton(QStringLiteral("Edit"), runtime);
    runtime->addHeaderWidget(edit);
    connect(edit, &QPushButton::clicked, this, &CodeTab::editRuntimeSettings);
    auto *runtimeGrid = new QGridLayout;
    runtimeGrid->setHorizontalSpacing(40);
    runtimeGrid->setVerticalSpacing(2);
    m_runtime = addProperty(runtimeGrid, 0, 0, QStringLiteral("Runtime"), runtime);
    m_handler = addProperty(runtimeGrid, 0, 1, QStringLiteral("Handler"), runtime);
    m_architecture = addProperty(runtimeGrid, 0, 2, QStringLiteral("Architecture"), runtime);
    for (int column = 0; column < 3; ++column)
        runtimeGrid->setColumnStretch(column, 1);
    runtime->bodyLayout()->addLayout(runtimeGrid);
    layout->addWidget(runtime);

    m_layers = new LayersSection(m_controller, box);
    m_layers->setEnabled(!isReadOnlyVersion()); // a version's layers are part of it
    connect(m_layers, &ConfigSection::functionUpdated, this, &CodeTab::functionUpdated);
    connect(m_layers, &ConfigSection::saved, this, [this](const QString &message) {
        emit flashRequested(int(Flashbar::Kind::Success), message);
    });
    layout->addWidget(m_layers);
    return box;
}

void CodeTab::setFunction(const engine::FunctionInfo &info)
{
    const bool first = m_function.config.name.empty();
    m_function = info;
    updateProperties();
    if (isReadOnlyVersion())
        m_codePanel->setDescription(
            QStringLiteral("The code of version %1, read-only: a published version never changes. "
                           "To change it, edit the function's code, deploy and publish a version.")
                .arg(QString::fromStdString(info.version)));
    if (first)
        loadCode();
}

void CodeTab::updateProperties()
{
    m_packageSize->setText(byteSize(m_function.codeSize));
    m_sha->setText(QString::fromStdString(m_function.codeSha256));
    m_lastModified->setText(timestamp(m_function.lastModifiedMs));
    m_runtime->setText(QString::fromStdString(m_function.config.runtime));
    m_handler->setText(QString::fromStdString(m_function.config.handler));
    m_architecture->setText(QString::fromStdString(m_function.config.architecture));
    m_layers->setFunction(m_function);
}

void CodeTab::loadCode()
{
    m_controller->loadCode(this, [this](FunctionController::Code loaded) {
        if (!loaded.deployed) {
            m_deployError->setText(QStringLiteral("Loading the code failed: %1")
                                       .arg(engineErrorText(loaded.deployed.error())));
            m_deployError->show();
            markLoaded();
            return;
        }
        m_deployedFiles = loaded.deployed.value();
        const bool keepEdits = std::exchange(m_keepEditsOnLoad, false) && m_workspace->isModified();
        if (keepEdits) {
            m_codeLoaded = true;
            saveDraft();
            updateNotice();
            markLoaded();
            return;
        }
        m_workspace->setRootName(functionName());
        m_workspace->setLanguageHint(QString::fromStdString(m_function.config.runtime));
        const bool restore = loaded.draft && !loaded.draft->empty() &&
                             !sameFiles(loaded.draft.value(), m_deployedFiles);
        const QList<editor::EditorFile> files =
            toEditorFiles(restore ? loaded.draft.value() : m_deployedFiles);
        m_workspace->setFiles(files);
        m_draftDiffers = restore;
        m_codeLoaded = true;
        if (restore)
            emit flashRequested(
                flashKind(Flashbar::Kind::Info),
                QStringLiteral("Restored your draft of %1: it has changes that are not "
                               "deployed yet. Choose Deploy to make them the function's code.")
                    .arg(functionName()));
        const QString first = handlerFile(files, QString::fromStdString(m_function.config.handler),
                                          QString::fromStdString(m_function.config.runtime));
        if (!first.isEmpty())
            m_workspace->openFile(first);
        updateNotice();
        markLoaded();
    });
}

bool CodeTab::isReadOnlyVersion() const
{
    return !m_controller->qualifier().empty();
}

bool CodeTab::hasUndeployedChanges() const
{
    return m_codeLoaded && (m_draftDiffers || m_workspace->isModified());
}

void CodeTab::updateNotice()
{
    m_notDeployed->setVisible(hasUndeployedChanges());
}

void CodeTab::showFind()
{
    if (editor::CodeView *view = m_workspace->currentView())
        view->showFind();
}

void CodeTab::saveDraft()
{
    if (!m_codeLoaded || isReadOnlyVersion())
        return;
    const std::vector<engine::CodeFile> files = toCodeFiles(m_workspace->files());
    const bool differs = !sameFiles(files, m_deployedFiles);
    auto saved = [this, files, differs](engine::Result<void> result) {
        if (!result) {
            emit flashRequested(
                flashKind(Flashbar::Kind::Error),
                QStringLiteral("Saving the draft failed: %1").arg(engineErrorText(result.error())));
            return;
        }
        // Edits typed while the save ran are not in this draft: leave them marked.
        if (sameFiles(toCodeFiles(m_workspace->files()), files))
            m_workspace->markAllSaved();
        m_draftDiffers = differs;
        m_saveState->setText(
            QStringLiteral("Draft saved at %1")
                .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"))));
        updateNotice();
        emit draftSaved();
    };
    // Nothing to keep when the editor matches the deployed code.
    if (differs)
        m_controller->saveDraft(this, files, std::move(saved));
    else
        m_controller->discardDraft(this, std::move(saved));
}

void CodeTab::deploy()
{
    if (!m_codeLoaded || m_deploying || isReadOnlyVersion())
        return;
    m_deploying = true;
    m_deployError->hide();
    m_workspace->setDiagnostics({});
    m_deploy->setEnabled(false);
    const std::vector<engine::CodeFile> files = toCodeFiles(m_workspace->files());
    std::vector<std::string> paths;
    for (const auto &file : files)
        paths.push_back(file.path);
    // javac and go build take seconds: the button says what the wait is for.
    const bool builds =
        engine::buildKindFor(m_function.config.runtime, paths) != engine::BuildKind::None;
    m_deploy->setText(builds ? QStringLiteral("Building...") : QStringLiteral("Deploying..."));
    m_progress->show();
    m_controller->deploy(
        this, files, [this, files, builds](engine::Result<engine::FunctionInfo> result) {
            m_deploying = false;
            m_deploy->setEnabled(true);
            m_deploy->setText(QStringLiteral("Deploy"));
            m_progress->hide();
            if (!result) {
                showDeployFailure(result.error());
                return;
            }
            m_function = result.value();
            updateProperties();
            emit flashRequested(
                flashKind(Flashbar::Kind::Success),
                QStringLiteral("Successfully updated the function %1.").arg(functionName()));
            emit functionUpdated(result.value());
            emit deployed();
            if (builds && sameFiles(toCodeFiles(m_workspace->files()), files)) {
                // The deployed code now holds what the build made (classes, bootstrap): show it,
                // unless the user types meanwhile (then their edits stay, as a draft).
                m_saveState->clear();
                m_workspace->markAllSaved();
                m_keepEditsOnLoad = true;
                m_codeLoaded = false;
                loadCode();
                return;
            }
            m_deployedFiles = files;
            m_draftDiffers = false;
            if (sameFiles(toCodeFiles(m_workspace->files()), files))
                m_workspace->markAllSaved();
            else
                saveDraft(); // edits made during the deploy become the new draft
            m_saveState->clear();
            updateNotice();
        });
}

// The previous code stays deployed and the edits stay in the editor; a compiler's errors are
// marked at their lines, the first file with one opened there.
void CodeTab::showDeployFailure(const engine::Error &error)
{
    const auto diagnostics = engine::buildDiagnostics(error.message);
    QString detail = engineErrorText(error).toHtmlEscaped();
    if (!diagnostics.empty()) {
        QHash<QString, QList<editor::Diagnostic>> byPath;
        QStringList lines;
        for (const auto &diagnostic : diagnostics) {
            const QString path = QString::fromStdString(diagnostic.path);
            const QString message = QString::fromStdString(diagnostic.message);
            byPath[path].push_back({diagnostic.line, diagnostic.column, message});
            if (lines.size() < kListedBuildErrors)
                lines << QStringLiteral("%1:%2: %3")
                             .arg(path)
                             .arg(diagnostic.line)
                             .arg(
                                 message.section(QLatin1Char('\n'), 0, 0)) // details: in the editor
                             .toHtmlEscaped();
        }
        m_workspace->setDiagnostics(byPath);
        const QString first = QString::fromStdString(diagnostics.front().path);
        if (m_workspace->openFile(first) && m_workspace->currentView())
            m_workspace->currentView()->goToLine(diagnostics.front().line);
        detail = QStringLiteral("%1 compiler error%2, marked in the editor:<br>%3")
                     .arg(diagnostics.size())
                     .arg(diagnostics.size() == 1 ? QString() : QStringLiteral("s"))
                     .arg(lines.join(QStringLiteral("<br>")));
    }
    m_deployError->setText(
        QStringLiteral("<b>%1</b>: %2<br>Your changes are kept in the editor; the "
                       "function still runs the previous code.")
            .arg(diagnostics.empty() ? QStringLiteral("Deploy failed")
                                     : QStringLiteral("Build failed"),
                 detail));
    m_deployError->show();
    emit flashRequested(flashKind(Flashbar::Kind::Error),
                        diagnostics.empty()
                            ? QStringLiteral("Updating the function %1 failed: %2")
                                  .arg(functionName(), engineErrorText(error))
                            : QStringLiteral("Updating the function %1 failed: its code does not "
                                             "compile.")
                                  .arg(functionName()));
}

void CodeTab::uploadZip(const QString &path)
{
    if (isReadOnlyVersion())
        return;
    if (hasUndeployedChanges() &&
        !ConfirmDialog::ask(
            this, QStringLiteral("Upload a .zip file"),
            QStringLiteral("The uploaded package replaces the code, including changes that are not "
                           "deployed."),
            QStringLiteral("Upload")))
        return;
    m_progress->show();
    m_controller->uploadZip(this, path, [this, path](engine::Result<engine::FunctionInfo> result) {
        m_progress->hide();
        if (!result) {
            emit flashRequested(
                flashKind(Flashbar::Kind::Error),
                QStringLiteral("Uploading %1 failed: %2")
                    .arg(QFileInfo(path).fileName(), engineErrorText(result.error())));
            return;
        }
        m_function = result.value();
        updateProperties();
        m_codeLoaded = false;
        loadCode();
        emit flashRequested(
            flashKind(Flashbar::Kind::Success),
            QStringLiteral("Successfully updated the function %1.").arg(functionName()));
        emit functionUpdated(result.value());
    });
}

void CodeTab::editRuntimeSettings()
{
    auto *dialog = new RuntimeSettingsDialog(m_controller, m_function, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RuntimeSettingsDialog::saved, this, [this](const engine::FunctionInfo &info) {
        m_function = info;
        updateProperties();
        emit flashRequested(
            flashKind(Flashbar::Kind::Success),
            QStringLiteral("Successfully updated the function %1.").arg(functionName()));
        emit functionUpdated(info);
    });
    dialog->open();
}

} // namespace lambdesk::app
