#include "function/versionstab.h"

#include "errortext.h"
#include "function/versioncode.h"
#include "models/versionmodel.h"
#include "widgets/confirmdialog.h"
#include "widgets/consoletable.h"
#include "widgets/flashbar.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace lambdesk::app {

VersionsTab::VersionsTab(SharedFunction function, QWidget *parent) : FunctionTab(function, parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 14, 0, 0);
    m_panel = new Panel(QStringLiteral("Versions"), this);
    m_panel->setDescription(QStringLiteral("A published version is an immutable snapshot of the code and "
                                           "configuration (a git tag on the deployed commit)."));
    m_viewButton = secondaryButton(QStringLiteral("View code"), m_panel);
    m_compareButton = secondaryButton(QStringLiteral("Compare"), m_panel);
    m_viewButton->setToolTip(QStringLiteral("The selected version's code, read-only"));
    m_compareButton->setToolTip(
        QStringLiteral("What changed from the selected version to another version or the draft"));
    auto *publishButton = primaryButton(QStringLiteral("Publish new version"), m_panel);
    m_panel->addHeaderWidget(m_viewButton);
    m_panel->addHeaderWidget(m_compareButton);
    m_panel->addHeaderWidget(publishButton);
    m_model = new VersionModel(this);
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(VersionModel::SortRole);
    m_table = consoleTable(proxy, m_panel);
    m_table->sortByColumn(int(VersionModel::Column::Version), Qt::DescendingOrder);
    m_table->horizontalHeader()->resizeSection(int(VersionModel::Column::Version), 100);
    m_table->horizontalHeader()->resizeSection(int(VersionModel::Column::Description), 260);
    m_table->horizontalHeader()->resizeSection(int(VersionModel::Column::CodeSha256), 360);
    m_table->setMinimumHeight(320);
    m_panel->bodyLayout()->addWidget(m_table);
    layout->addWidget(m_panel);
    layout->addStretch();
    connect(publishButton, &QPushButton::clicked, this, &VersionsTab::askToPublish);
    auto updateButtons = [this] {
        const bool selected = !selectedVersion().isEmpty();
        m_viewButton->setEnabled(selected);
        m_compareButton->setEnabled(selected);
    };
    updateButtons();
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, updateButtons);
    connect(m_viewButton, &QPushButton::clicked, this, [this] { viewCode(selectedVersion()); });
    connect(m_compareButton, &QPushButton::clicked, this, [this] { compare(selectedVersion()); });
    connect(m_table, &QTableView::doubleClicked, this, [this] { viewCode(selectedVersion()); });
}

QString VersionsTab::selectedVersion() const
{
    const QModelIndexList rows =
        m_table->selectionModel()->selectedRows(int(VersionModel::Column::Version));
    return rows.isEmpty() ? QString() : rows.front().data().toString();
}

VersionCodeDialog *VersionsTab::viewCode(const QString &version)
{
    const qsizetype at = m_versions.indexOf(version);
    if (at < 0)
        return nullptr;
    auto *dialog = new VersionCodeDialog(m_controller, m_listed[std::size_t(at)], this);
    dialog->show();
    return dialog;
}

CompareCodeDialog *VersionsTab::compare(const QString &version)
{
    if (version.isEmpty())
        return nullptr;
    const qsizetype at = m_versions.indexOf(version);
    engine::CodeRevision to{{}, true}; // $LATEST against the draft
    if (version != QLatin1String("$LATEST"))
        to = {at >= 0 && at + 1 < m_versions.size() ? m_versions[at + 1].toStdString() : "$LATEST",
              false};
    auto *dialog =
        new CompareCodeDialog(m_controller, m_versions, {version.toStdString(), false}, to, this);
    dialog->show();
    return dialog;
}

void VersionsTab::askToPublish()
{
    ConfirmDialog dialog(
        QStringLiteral("Publish new version"),
        QStringLiteral("Publishing a version freezes the deployed code and configuration of %1 as "
                       "an immutable version with the next number. Code that is not deployed is "
                       "not part of it.")
            .arg(functionName()),
        QStringLiteral("Publish"), this);
    QLineEdit *description =
        dialog.addField(QStringLiteral("Version description"), QStringLiteral("Optional"));
    if (dialog.exec() == QDialog::Accepted)
        publish(description->text());
}

void VersionsTab::setFunction(const engine::FunctionInfo &info)
{
    m_function = info;
    reload();
}

void VersionsTab::reload()
{
    m_controller->listVersions(
        this, [this](engine::Result<std::vector<engine::FunctionInfo>> versions) {
            if (versions) {
                const QString selected = selectedVersion();
                m_listed = *versions;
                m_versions.clear();
                for (const engine::FunctionInfo &version : m_listed)
                    m_versions << QString::fromStdString(version.version);
                m_model->setVersions(versions.value());
                QAbstractItemModel *shown = m_table->model();
                for (int row = 0; row < shown->rowCount() && !selected.isEmpty(); ++row) {
                    if (shown->index(row, 0).data().toString() == selected)
                        m_table->selectRow(row); // a reload keeps what the user picked
                }
                m_panel->setCount(QStringLiteral("(%1)").arg(versions->size()));
            } else {
                emit flashRequested(int(Flashbar::Kind::Error), engineErrorText(versions.error()));
            }
            markLoaded();
        });
}

void VersionsTab::publish(const QString &description)
{
    m_controller->publishVersion(
        this, description.toStdString(), [this](engine::Result<engine::FunctionInfo> result) {
            if (!result) {
                emit flashRequested(int(Flashbar::Kind::Error),
                                    QStringLiteral("Publishing a version failed: %1")
                                        .arg(engineErrorText(result.error())));
                return;
            }
            emit flashRequested(int(Flashbar::Kind::Success),
                                QStringLiteral("Successfully created version %1 of function %2.")
                                    .arg(QString::fromStdString(result->version), functionName()));
            reload();
            emit versionPublished();
        });
}

} // namespace lambdesk::app
