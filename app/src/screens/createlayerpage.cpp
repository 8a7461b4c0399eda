#include "screens/createlayerpage.h"

#include "async.h"
#include "errortext.h"
#include "function/codefiles.h"
#include "widgets/pagebody.h"
#include "widgets/panel.h"
#include "widgets/ui.h"

#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/validation.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <algorithm>

namespace lambdesk::app {
namespace {

// "python3.12" -> ("python", [-3, -12]): languages in name order, their versions newest first.
std::pair<std::string, std::vector<int>> runtimeOrderKey(const std::string &id)
{
    const auto digit =
        std::find_if(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
    std::vector<int> version;
    int current = -1;
    for (auto it = digit; it != id.end(); ++it) {
        if (*it >= '0' && *it <= '9') {
            current = (current < 0 ? 0 : current * 10) + (*it - '0');
        } else if (current >= 0) {
            version.push_back(-current);
            current = -1;
        }
    }
    if (current >= 0)
        version.push_back(-current);
    return {std::string(id.begin(), digit), version};
}

} // namespace

CreateLayerPage::CreateLayerPage(engine::Engine &engine, QWidget *parent)
    : QWidget(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("page"));
    PageBody *page = PageBody::install(this);
    QVBoxLayout *layout = page->layout();
    m_title = styledLabel(QStringLiteral("Create layer"), "pageTitle", this);
    layout->addWidget(m_title);

    auto *panel = new Panel(QStringLiteral("Layer configuration"), this);
    QVBoxLayout *body = panel->bodyLayout();
    auto field = [&](const QString &label, const QString &hint) {
        body->addWidget(styledLabel(label, "fieldLabel", panel));
        if (!hint.isEmpty())
            body->addWidget(hintLabel(hint, panel));
    };
    field(QStringLiteral("Name"),
          QStringLiteral("Letters, numbers, hyphens and underscores, up to 140 characters."));
    m_name = new QLineEdit(panel);
    m_name->setMaximumWidth(520);
    body->addWidget(m_name);
    field(QStringLiteral("Description - optional"), {});
    m_description = new QLineEdit(panel);
    m_description->setMaxLength(int(engine::kMaxDescriptionLength));
    m_description->setMaximumWidth(520);
    body->addWidget(m_description);

    m_zip = new QRadioButton(QStringLiteral("Upload a .zip file"), panel);
    m_folder = new QRadioButton(QStringLiteral("Upload a folder"), panel);
    auto *sources = new QButtonGroup(this);
    sources->addButton(m_zip);
    sources->addButton(m_folder);
    m_zip->setChecked(true);
    auto *sourceRow = new QHBoxLayout;
    sourceRow->addWidget(m_zip);
    sourceRow->addWidget(m_folder);
    sourceRow->addStretch();
    body->addLayout(sourceRow);
    body->addWidget(hintLabel(
        QStringLiteral("Put Python packages under python/, Node.js modules under "
                       "nodejs/node_modules/, programs under bin/ and libraries under lib/: "
                       "functions find them at /opt."),
        panel));
    auto *pathRow = new QHBoxLayout;
    m_path = new QLineEdit(panel);
    m_path->setPlaceholderText(QStringLiteral("/path/to/layer.zip"));
    auto *choose = secondaryButton(QStringLiteral("Choose…"), panel);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(choose);
    pathRow->addStretch();
    body->addLayout(pathRow);

    field(QStringLiteral("Compatible architectures - optional"), {});
    m_x86 = new QCheckBox(QStringLiteral("x86_64"), panel);
    m_arm = new QCheckBox(QStringLiteral("arm64"), panel);
    auto *archRow = new QHBoxLayout;
    archRow->addWidget(m_x86);
    archRow->addWidget(m_arm);
    archRow->addStretch();
    body->addLayout(archRow);
    field(QStringLiteral("Compatible runtimes - optional"),
          QStringLiteral(
              "Up to %1. The Add a layer picker lists layers of the function's runtime first.")
              .arg(engine::kMaxCompatibleRuntimes));
    m_runtimes = new QListWidget(panel);
    m_runtimes->setMaximumWidth(320);
    m_runtimes->setMinimumHeight(120);
    body->addWidget(m_runtimes);
    field(QStringLiteral("License - optional"),
          QStringLiteral("An SPDX identifier, a URL, or the license text."));
    m_license = new QLineEdit(panel);
    m_license->setMaxLength(int(engine::kMaxLicenseInfoLength));
    m_license->setMaximumWidth(520);
    body->addWidget(m_license);
    layout->addWidget(panel);

    m_error = inlineErrorLabel(this);
    layout->addWidget(m_error);
    const FormButtons buttons = formButtons(QStringLiteral("Create"), this);
    QPushButton *cancel = buttons.cancel;
    m_create = buttons.confirm;
    layout->addLayout(buttons.row);
    layout->addStretch(1);

    connect(m_name, &QLineEdit::textChanged, this, [this](const QString &text) {
        setInvalid(m_name, !text.isEmpty() && !engine::parseLayerName(text.toStdString()));
    });
    connect(m_folder, &QRadioButton::toggled, this, [this](bool folder) {
        m_path->setPlaceholderText(folder ? QStringLiteral("/path/to/layer-folder")
                                          : QStringLiteral("/path/to/layer.zip"));
    });
    connect(choose, &QPushButton::clicked, this, &CreateLayerPage::choosePath);
    connect(cancel, &QPushButton::clicked, this, &CreateLayerPage::cancelled);
    connect(m_create, &QPushButton::clicked, this, &CreateLayerPage::create);
}

void CreateLayerPage::start(const QString &layerName)
{
    ++m_generation;
    m_creating = false;
    m_create->setEnabled(true);
    m_create->setText(QStringLiteral("Create"));
    m_title->setText(layerName.isEmpty() ? QStringLiteral("Create layer")
                                         : QStringLiteral("Create version of %1").arg(layerName));
    m_name->setText(layerName);
    m_name->setReadOnly(!layerName.isEmpty());
    m_description->clear();
    m_path->clear();
    m_license->clear();
    m_x86->setChecked(false);
    m_arm->setChecked(false);
    showError({});
    m_loaded = false;
    engine::Engine *engine = &m_engine;
    runAsync(
        this, [engine] { return engine->runtimes(); },
        [this](std::vector<engine::Availability> runtimes) {
            m_runtimes->clear();
            // By language, newest version first, as the console's runtime lists read.
            std::sort(runtimes.begin(), runtimes.end(),
                      [](const engine::Availability &a, const engine::Availability &b) {
                          return runtimeOrderKey(a.id) < runtimeOrderKey(b.id);
                      });
            for (const engine::Availability &runtime : runtimes) {
                auto *item = new QListWidgetItem(QString::fromStdString(runtime.id), m_runtimes);
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                item->setCheckState(Qt::Unchecked);
            }
            m_loaded = true;
            emit loaded();
        });
}

void CreateLayerPage::choosePath()
{
    const QString path =
        m_folder->isChecked()
            ? QFileDialog::getExistingDirectory(this, QStringLiteral("Choose the layer's folder"),
                                                m_path->text())
            : QFileDialog::getOpenFileName(this, QStringLiteral("Choose the layer's .zip file"),
                                           m_path->text(),
                                           QStringLiteral("Zip archives (*.zip);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void CreateLayerPage::create()
{
    if (m_creating)
        return;
    engine::LayerVersionInput input;
    input.layerName = m_name->text().trimmed().toStdString();
    input.description = m_description->text().toStdString();
    input.licenseInfo = m_license->text().toStdString();
    if (m_x86->isChecked())
        input.compatibleArchitectures.push_back("x86_64");
    if (m_arm->isChecked())
        input.compatibleArchitectures.push_back("arm64");
    for (int row = 0; row < m_runtimes->count(); ++row)
        if (m_runtimes->item(row)->checkState() == Qt::Checked)
            input.compatibleRuntimes.push_back(m_runtimes->item(row)->text().toStdString());
    // The engine's own rules, worded as it words them, before any file is read.
    if (auto valid = engine::validateLayerVersionInput(input); !valid) {
        showError(engineErrorText(valid.error()));
        return;
    }
    const QString path = m_path->text().trimmed();
    const bool folder = m_folder->isChecked();
    const QFileInfo source(path);
    if (path.isEmpty() || !source.exists() || (folder ? !source.isDir() : !source.isFile())) {
        showError(folder ? QStringLiteral("Choose the folder to upload.")
                         : QStringLiteral("Choose the .zip file to upload."));
        return;
    }
    showError({});
    m_creating = true;
    m_create->setEnabled(false);
    m_create->setText(QStringLiteral("Creating…"));
    engine::Engine *engine = &m_engine;
    runAsync(
        this,
        [engine, input, path, folder]() -> engine::Result<engine::LayerVersionInfo> {
            if (folder)
                return engine->publishLayerVersionFromFiles(input, filesInFolder(path));
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return engine::makeError(engine::ErrorCode::InvalidParameter,
                                         "Cannot read " + path.toStdString() + ": " +
                                             file.errorString().toStdString());
            return engine->publishLayerVersion(input, file.readAll().toStdString());
        },
        [this, generation = m_generation](engine::Result<engine::LayerVersionInfo> result) {
            if (generation != m_generation)
                return; // the user has started another form meanwhile
            m_creating = false;
            m_create->setEnabled(true);
            m_create->setText(QStringLiteral("Create"));
            if (!result) {
                showError(engineErrorText(result.error()));
                return;
            }
            emit created(QString::fromStdString(result->layerName), qint64(result->version));
        });
}

void CreateLayerPage::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString CreateLayerPage::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace lambdesk::app
