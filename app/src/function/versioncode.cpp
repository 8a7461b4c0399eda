#include "function/versioncode.h"

#include "errortext.h"
#include "function/codefiles.h"
#include "widgets/ui.h"

#include "lambdesk/editor/codediffview.h"
#include "lambdesk/editor/codeworkspace.h"

#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>

namespace lambdesk::app {
namespace {

const QString kDraft = QStringLiteral("draft");

// Large enough to read code in, never larger than the screen.
void sizeForCode(QDialog *dialog)
{
    QSize size(1080, 680);
    if (const QScreen *screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableSize() * 0.92);
    dialog->resize(size);
}

QVBoxLayout *dialogLayout(QDialog *dialog, const QString &title, const QString &explanation)
{
    dialog->setWindowTitle(title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    sizeForCode(dialog);
    auto *layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(20, 16, 20, 16);
    layout->setSpacing(8);
    layout->addWidget(styledLabel(title, "panelTitle", dialog));
    layout->addWidget(hintLabel(explanation, dialog));
    return layout;
}

void addCloseRow(QDialog *dialog, QVBoxLayout *layout)
{
    auto *row = new QHBoxLayout;
    row->addStretch();
    auto *close = secondaryButton(QStringLiteral("Close"), dialog);
    row->addWidget(close);
    layout->addLayout(row);
    QObject::connect(close, &QPushButton::clicked, dialog, &QDialog::close);
}

void fillRevisions(QComboBox *box, const QStringList &versions)
{
    for (const QString &version : versions)
        box->addItem(version == QLatin1String("$LATEST")
                         ? QStringLiteral("$LATEST (deployed)")
                         : QStringLiteral("Version %1").arg(version),
                     version);
    box->addItem(QStringLiteral("Draft (Code tab)"), kDraft);
}

engine::CodeRevision revisionIn(const QComboBox *box)
{
    const QString data = box->currentData().toString();
    if (data == kDraft)
        return {{}, true};
    return {data.toStdString(), false};
}

void selectRevision(QComboBox *box, const engine::CodeRevision &revision)
{
    const QString data = revision.draft               ? kDraft
                         : revision.qualifier.empty() ? QStringLiteral("$LATEST")
                                                      : QString::fromStdString(revision.qualifier);
    const int index = box->findData(data);
    if (index >= 0)
        box->setCurrentIndex(index);
}

} // namespace

VersionCodeDialog::VersionCodeDialog(SharedFunction function, const engine::FunctionInfo &version,
                                     QWidget *parent)
    : QDialog(parent), m_handler(QString::fromStdString(version.config.handler)),
      m_runtime(QString::fromStdString(version.config.runtime))
{
    const QString number = QString::fromStdString(version.version);
    const QString name = QString::fromStdString(function->name());
    const bool latest = number == QLatin1String("$LATEST");
    QVBoxLayout *layout = dialogLayout(
        this,
        latest ? QStringLiteral("Deployed code of %1 ($LATEST)").arg(name)
               : QStringLiteral("Code of %1, version %2").arg(name, number),
        latest
            ? QStringLiteral("Read-only here: the code as last deployed. Edit it in the Code tab.")
            : QStringLiteral("Read-only: a published version never changes. To change the "
                             "code, edit it in the Code tab, deploy, and publish a new version."));
    m_error = inlineErrorLabel(this);
    layout->addWidget(m_error);
    m_workspace = new editor::CodeWorkspace(this);
    m_workspace->setReadOnly(true);
    m_workspace->setRootName(QStringLiteral("%1:%2").arg(name, number));
    layout->addWidget(m_workspace, 1);
    addCloseRow(this, layout);
    function->readCode(this, version.version,
                       [this](engine::Result<std::vector<engine::CodeFile>> files) {
                           if (files) {
                               const QList<editor::EditorFile> shown = toEditorFiles(*files);
                               m_workspace->setFiles(shown);
                               const QString first = handlerFile(shown, m_handler, m_runtime);
                               if (!first.isEmpty())
                                   m_workspace->openFile(first);
                           } else {
                               m_error->setText(engineErrorText(files.error()));
                               m_error->show();
                           }
                           emit loaded();
                       });
}

CompareCodeDialog::CompareCodeDialog(SharedFunction function, const QStringList &versions,
                                     const engine::CodeRevision &from,
                                     const engine::CodeRevision &to, QWidget *parent)
    : QDialog(parent), m_controller(std::move(function))
{
    QVBoxLayout *layout = dialogLayout(
        this,
        QStringLiteral("Compare code of %1").arg(QString::fromStdString(m_controller->name())),
        QStringLiteral("Each changed file whole: removed lines on red, added lines on green, with "
                       "their line numbers before and after. Alt+Down and Alt+Up move between "
                       "changes. The draft is what the Code tab last saved."));
    auto *row = new QHBoxLayout;
    m_from = new QComboBox(this);
    m_from->setAccessibleName(QStringLiteral("Compare from"));
    m_to = new QComboBox(this);
    m_to->setAccessibleName(QStringLiteral("Compare with"));
    fillRevisions(m_from, versions);
    fillRevisions(m_to, versions);
    selectRevision(m_from, from);
    selectRevision(m_to, to);
    row->addWidget(styledLabel(QStringLiteral("From"), "fieldLabel", this));
    row->addWidget(m_from);
    row->addSpacing(8);
    row->addWidget(styledLabel(QStringLiteral("to"), "fieldLabel", this));
    row->addWidget(m_to);
    row->addStretch();
    layout->addLayout(row);
    m_error = inlineErrorLabel(this);
    layout->addWidget(m_error);
    m_view = new editor::CodeDiffView(this);
    layout->addWidget(m_view, 1);
    addCloseRow(this, layout);
    connect(m_from, &QComboBox::currentIndexChanged, this, &CompareCodeDialog::compare);
    connect(m_to, &QComboBox::currentIndexChanged, this, &CompareCodeDialog::compare);
    compare();
}

void CompareCodeDialog::compare()
{
    const int generation = ++m_generation;
    m_controller->diffCode(this, revisionIn(m_from), revisionIn(m_to),
                           [this, generation](engine::Result<std::vector<engine::FileDiff>> diff) {
                               if (generation != m_generation)
                                   return;
                               m_error->setVisible(!diff);
                               m_view->setVisible(bool(diff));
                               if (diff) {
                                   m_view->setDiff(toEditorDiff(*diff));
                               } else {
                                   m_error->setText(engineErrorText(diff.error()));
                               }
                               emit compared();
                           });
}

} // namespace lambdesk::app
