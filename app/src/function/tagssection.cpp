#include "function/tagssection.h"

#include "guestimagecontroller.h"
#include "models/keyvaluemodel.h"
#include "widgets/consoletable.h"
#include "widgets/guestimagebanner.h"
#include "widgets/keyvalueeditor.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace lambdesk::app {
namespace {

QString tagKeyProblem(const QString &key)
{
    if (key.size() > 128)
        return QStringLiteral("Tag keys are at most 128 characters.");
    if (key.startsWith(QLatin1String("aws:"), Qt::CaseInsensitive))
        return QStringLiteral("Tag keys starting with \"aws:\" are reserved.");
    if (key == QLatin1String(TagsSection::kSandboxTag))
        return QStringLiteral("Choose the sandbox with the Sandbox setting above.");
    return {};
}

} // namespace

TagsSection::TagsSection(SharedFunction function, QWidget *parent)
    : ConfigSection(function, QStringLiteral("Tags"), parent)
{
    panel()->setDescription(QStringLiteral("Labels for the function. The tag lambdesk:sandbox chooses the sandbox "
                                           "that runs it: auto, process (bubblewrap), gvisor or microvm."));
    m_sandboxView = new QLabel(this);
    m_sandboxView->setTextFormat(Qt::RichText);
    viewLayout()->addWidget(m_sandboxView);
    m_viewModel = new KeyValueModel(this);
    m_viewTable = consoleTable(m_viewModel, this);
    m_viewTable->setSortingEnabled(false); // kept in the function's own order
    m_viewTable->horizontalHeader()->resizeSection(0, 260);
    m_viewTable->setMinimumHeight(140);
    m_viewTable->setFrameShape(QFrame::StyledPanel);
    viewLayout()->addWidget(m_viewTable);

    formLayout()->addWidget(styledLabel(QStringLiteral("Sandbox"), "fieldLabel", this));
    formLayout()->addWidget(styledLabel(QStringLiteral("Backends this machine cannot use are greyed out; hover for why."), "hint", this));
    m_sandbox = new QComboBox(this);
    m_sandboxItems = new QStandardItemModel(m_sandbox);
    m_sandbox->setModel(m_sandboxItems);
    m_sandbox->setMaximumWidth(320);
    formLayout()->addWidget(m_sandbox);
    formLayout()->addWidget(styledLabel(QStringLiteral("Tags"), "fieldLabel", this));
    m_formModel = new KeyValueModel(this);
    m_formModel->setKeyValidator(tagKeyProblem);
    m_editor = new KeyValueEditor(m_formModel, QStringLiteral("Add new tag"), this);
    formLayout()->addWidget(m_editor);

    auto *autoItem = new QStandardItem(QStringLiteral("auto"));
    autoItem->setToolTip(QStringLiteral("The engine's default backend"));
    m_sandboxItems->appendRow(autoItem);
    connect(m_sandbox, &QComboBox::activated, this, &TagsSection::sandboxActivated);
    m_controller->sandboxes(this,
                            [this](std::vector<engine::Availability> found, bool guestImageBuilt) {
                                showSandboxes(found, guestImageBuilt);
                            });
}

void TagsSection::setGuestImage(GuestImageController *controller)
{
    if (m_guestImage || !controller)
        return;
    m_guestImage = controller;
    m_imageBanner = new GuestImageBanner(controller, this);
    formLayout()->insertWidget(formLayout()->indexOf(m_sandbox) + 1, m_imageBanner);
    connect(controller, &GuestImageController::availabilityChanged, this,
            [this] { showSandboxes(m_guestImage->availability(), true); });
    if (m_sandboxesLoaded)
        showSandboxes(m_backends, m_imageBuilt);
}

void TagsSection::showSandboxes(const std::vector<engine::Availability> &backends, bool imageBuilt)
{
    m_backends = backends;
    m_imageBuilt = imageBuilt;
    const QStandardItem *current = m_sandboxItems->item(m_sandbox->currentIndex());
    const QVariant chosen = current ? current->data(Qt::UserRole) : QVariant();
    m_sandboxItems->removeRows(1, m_sandboxItems->rowCount() - 1);
    for (const engine::Availability &backend : backends) {
        const QString id = QString::fromStdString(backend.id);
        auto *item = new QStandardItem(backend.available ? id : QStringLiteral("%1 (not available)").arg(id));
        item->setData(id, Qt::UserRole);
        item->setToolTip(QString::fromStdString(backend.detail));
        // Without its guest image microvm cannot work yet, but choosing it is how the image
        // gets built (issue 5: "the app builds it on first use").
        const bool buildable = id == QLatin1String("microvm") && !imageBuilt && m_guestImage;
        if (buildable && !backend.available) {
            item->setText(QStringLiteral("microvm (builds its guest image first)"));
            item->setToolTip(QStringLiteral("%1\nChoosing it builds the guest image now (a few minutes, once).")
                                 .arg(QString::fromStdString(backend.detail)));
        } else if (!backend.available) {
            item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
        }
        m_sandboxItems->appendRow(item);
    }
    m_sandbox->setCurrentIndex(0);
    for (int row = 1; chosen.isValid() && row < m_sandboxItems->rowCount(); ++row) {
        if (m_sandboxItems->item(row)->data(Qt::UserRole) == chosen)
            m_sandbox->setCurrentIndex(row);
    }
    m_sandboxesLoaded = true;
    emit sandboxesChanged();
}

void TagsSection::sandboxActivated(int row)
{
    const QStandardItem *item = m_sandboxItems->item(row);
    if (m_guestImage && item && item->data(Qt::UserRole).toString() == QLatin1String("microvm"))
        m_guestImage->ensureImage();
}

void TagsSection::showValues(const engine::FunctionInfo &info)
{
    m_controller->listTags(this, info.functionArn,
                           [this](engine::Result<std::map<std::string, std::string>> tags) {
                               m_tags = tags ? tags.value() : std::map<std::string, std::string>{};
                               m_tagsLoaded = true;
                               showTags();
                               emit tagsChanged();
                           });
}

void TagsSection::showTags()
{
    std::map<std::string, std::string> others = m_tags;
    const auto sandbox = others.find(kSandboxTag);
    const QString chosen = sandbox == others.end() ? QStringLiteral("auto") : QString::fromStdString(sandbox->second);
    if (sandbox != others.end())
        others.erase(sandbox);
    m_sandboxView->setText(QStringLiteral("<b>Sandbox</b>: %1 &nbsp;<span style='color:#687078'>(serving now: %2)</span>")
                               .arg(chosen.toHtmlEscaped(),
                                    m_info.sandbox.empty() ? QStringLiteral("-") : QString::fromStdString(m_info.sandbox).toHtmlEscaped()));
    m_viewModel->setPairs(others);
    panel()->setCount(QStringLiteral("(%1)").arg(m_tags.size()));
}

void TagsSection::fillForm(const engine::FunctionInfo &)
{
    std::map<std::string, std::string> others = m_tags;
    const auto sandbox = others.find(kSandboxTag);
    const QString chosen = sandbox == others.end() ? QStringLiteral("auto") : QString::fromStdString(sandbox->second);
    if (sandbox != others.end())
        others.erase(sandbox);
    m_formModel->setPairs(others);
    for (int row = 0; row < m_sandboxItems->rowCount(); ++row) {
        const QStandardItem *item = m_sandboxItems->item(row);
        const QString id = item->data(Qt::UserRole).isValid() ? item->data(Qt::UserRole).toString() : item->text();
        if (id == chosen)
            m_sandbox->setCurrentIndex(row);
    }
}

bool TagsSection::startSave(const engine::FunctionInfo &info)
{
    const QStringList problems = m_formModel->problems();
    if (!problems.isEmpty()) {
        showError(QStringLiteral("Fix the tags first:\n%1").arg(problems.join(QLatin1Char('\n'))));
        return false;
    }
    std::map<std::string, std::string> tags = m_formModel->pairs();
    const QStandardItem *item = m_sandboxItems->item(m_sandbox->currentIndex());
    const QString sandbox = item && item->data(Qt::UserRole).isValid() ? item->data(Qt::UserRole).toString()
                                                                       : QStringLiteral("auto");
    if (sandbox != QLatin1String("auto"))
        tags[kSandboxTag] = sandbox.toStdString();
    std::vector<std::string> removed;
    for (const auto &[key, value] : m_tags) {
        if (!tags.count(key))
            removed.push_back(key);
    }
    m_controller->changeTags(
        this, info.functionArn, std::move(tags), std::move(removed),
        [this](const engine::Result<engine::FunctionInfo> &result) { finishSave(result); });
    return true;
}

} // namespace lambdesk::app
