// The Layers screens: the list and a layer's versions, Create layer from a folder and a .zip, and
// the function's Layers section (pick, specify an ARN, reorder, remove, save).
#include "apptestsupport.h"
#include "testzip.h"

#include "function/functioncontroller.h"
#include "function/layerssection.h"
#include "screens/createlayerpage.h"
#include "screens/layerspage.h"
#include "widgets/flashbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>

using namespace lambdesk;
using namespace lambdesk::app;
using lambdesk::app::testing::TestEngine;

namespace {

constexpr int kWait = 30'000;

engine::LayerVersionInfo publish(engine::Engine &engine, const std::string &name,
                                 const std::string &runtime)
{
    engine::LayerVersionInput input;
    input.layerName = name;
    input.compatibleRuntimes = {runtime};
    auto published =
        engine.publishLayerVersion(input, makeZip({{"python/" + name + ".py", "X = 1\n", false}}));
    return published ? *published : engine::LayerVersionInfo{};
}

} // namespace

class LayersTest : public QObject {
    Q_OBJECT
private slots:
    void listShowsLatestVersionsAndALayersVersions();
    void createLayerFromAFolderAndAZip();
    void createLayerRefusesBadInputInTheEnginesWords();
    void layersSectionAddsReordersAndSaves();
};

void LayersTest::listShowsLatestVersionsAndALayersVersions()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    publish(engine.engine(), "alpha", "python3.11");
    publish(engine.engine(), "alpha", "python3.12");
    publish(engine.engine(), "beta", "python3.11");

    LayersPage page(engine.engine());
    QSignalSpy loaded(&page, &LayersPage::loaded);
    page.showList();
    QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), kWait);
    QCOMPARE(page.layersModel()->rowCount(), 2);
    QCOMPARE(page.layersModel()->item(0, 0)->text(), QStringLiteral("alpha"));
    QCOMPARE(page.layersModel()->item(0, 1)->text(), QStringLiteral("2")); // the latest version
    QCOMPARE(page.layersModel()->item(0, 3)->text(), QStringLiteral("python3.12"));

    // The name is a link to the layer's versions, newest first.
    QSignalSpy opened(&page, &LayersPage::layerOpened);
    page.layersTable()->show();
    const QModelIndex alpha = page.layersModel()->index(0, 0);
    QTest::mouseClick(page.layersTable()->viewport(), Qt::LeftButton, {},
                      page.layersTable()->visualRect(alpha).center());
    QCOMPARE(opened.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(page.versionsModel()->rowCount(), 2, kWait);
    QCOMPARE(page.versionsModel()->item(0, 0)->text(), QStringLiteral("2"));

    // Delete (without the question the button asks first) leaves one version.
    QVERIFY(!page.deleteButton()->isEnabled());
    page.versionsTable()->selectRow(0);
    QVERIFY(page.deleteButton()->isEnabled());
    page.deleteVersion(QStringLiteral("alpha"), 2);
    QTRY_COMPARE_WITH_TIMEOUT(page.versionsModel()->rowCount(), 1, kWait);
    QCOMPARE(page.versionsModel()->item(0, 0)->text(), QStringLiteral("1"));
    QVERIFY(page.flashbar()->text().contains(
        QStringLiteral("Successfully deleted version 2 of alpha")));
}

void LayersTest::createLayerFromAFolderAndAZip()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    QTemporaryDir folder;
    QDir(folder.path()).mkpath(QStringLiteral("python"));
    QDir(folder.path()).mkpath(QStringLiteral("bin"));
    QFile module(folder.filePath(QStringLiteral("python/helper.py")));
    QVERIFY(module.open(QIODevice::WriteOnly));
    module.write("VALUE = 42\n");
    module.close();
    QFile tool(folder.filePath(QStringLiteral("bin/tool")));
    QVERIFY(tool.open(QIODevice::WriteOnly));
    tool.write("#!/bin/sh\necho tool\n");
    tool.close();
    tool.setPermissions(tool.permissions() | QFileDevice::ExeOwner);

    CreateLayerPage page(engine.engine());
    page.start();
    QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), kWait);
    QVERIFY(page.runtimeList()->count() > 0);
    QSignalSpy created(&page, &CreateLayerPage::created);
    QTest::keyClicks(page.nameEdit(), QStringLiteral("from-folder"));
    page.descriptionEdit()->setText(QStringLiteral("helpers"));
    page.folderSource()->setChecked(true);
    page.pathEdit()->setText(folder.path());
    page.x86()->setChecked(true);
    page.runtimeList()->item(0)->setCheckState(Qt::Checked);
    QTest::mouseClick(page.createButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, kWait);
    QCOMPARE(created.first().at(0).toString(), QStringLiteral("from-folder"));
    QCOMPARE(created.first().at(1).toLongLong(), 1);
    const auto version = engine.engine().getLayerVersion("from-folder", 1);
    QVERIFY(version);
    QCOMPARE(version->description, std::string("helpers"));
    QCOMPARE(version->compatibleArchitectures, std::vector<std::string>{"x86_64"});
    QCOMPARE(version->compatibleRuntimes.size(), std::size_t(1));
    QCOMPARE(version->unzippedSize, std::int64_t(11 + 20));

    // A new version of the same layer from a .zip file: the name is fixed.
    const QString zipPath = folder.filePath(QStringLiteral("layer.zip"));
    QFile zip(zipPath);
    QVERIFY(zip.open(QIODevice::WriteOnly));
    const std::string bytes = makeZip({{"python/helper.py", "VALUE = 43\n", false}});
    zip.write(bytes.data(), qint64(bytes.size()));
    zip.close();
    page.start(QStringLiteral("from-folder"));
    QVERIFY(page.nameEdit()->isReadOnly());
    page.zipSource()->setChecked(true);
    page.pathEdit()->setText(zipPath);
    page.create();
    QTRY_COMPARE_WITH_TIMEOUT(created.count(), 2, kWait);
    QCOMPARE(created.last().at(1).toLongLong(), 2);
}

void LayersTest::createLayerRefusesBadInputInTheEnginesWords()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    CreateLayerPage page(engine.engine());
    page.start();
    QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), kWait);
    QSignalSpy created(&page, &CreateLayerPage::created);
    page.nameEdit()->setText(QStringLiteral("has space"));
    page.create();
    QVERIFY2(page.errorText().contains(QStringLiteral("layerName")), qPrintable(page.errorText()));
    page.nameEdit()->setText(QStringLiteral("fine"));
    page.pathEdit()->setText(QStringLiteral("/nonexistent/layer.zip"));
    page.create();
    QCOMPARE(page.errorText(), QStringLiteral("Choose the .zip file to upload."));
    // Not a zip: the engine's own words come back under the form, which keeps its values.
    QTemporaryDir dir;
    const QString notZip = dir.filePath(QStringLiteral("notes.zip"));
    QFile file(notZip);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("plain text");
    file.close();
    page.pathEdit()->setText(notZip);
    page.create();
    QTRY_VERIFY_WITH_TIMEOUT(page.errorText().contains(QStringLiteral("Could not unzip")), kWait);
    QCOMPARE(page.nameEdit()->text(), QStringLiteral("fine"));
    QCOMPARE(created.count(), 0);
}

void LayersTest::layersSectionAddsReordersAndSaves()
{
    TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    const std::string python = engine.runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime on this machine");
    const auto first = publish(engine.engine(), "first", python);
    const auto second = publish(engine.engine(), "second", python);
    QVERIFY(createEchoFunction(engine.engine(), "uses-layers", python));

    auto controller = std::make_shared<FunctionController>(engine.engine(), "uses-layers");
    LayersSection section(controller);
    section.resize(1000, 700);
    section.show();
    QSignalSpy updated(&section, &ConfigSection::functionUpdated);
    section.setFunction(*engine.engine().getFunction("uses-layers"));
    QTRY_VERIFY_WITH_TIMEOUT(section.pickerLoaded(), kWait);

    section.addLayer();
    QVERIFY(section.isEditing());
    QTRY_VERIFY_WITH_TIMEOUT(section.layerChoice()->count() == 2, kWait);
    section.layerChoice()->setCurrentText(QStringLiteral("second"));
    QCOMPARE(section.versionChoice()->currentText(), QStringLiteral("1"));
    QVERIFY(section.addChosenLayer());
    section.specifyArn()->setChecked(true);
    section.arnInput()->setText(QStringLiteral("not an arn"));
    QVERIFY(!section.addChosenLayer());
    QVERIFY(section.errorText().contains(QStringLiteral("layer version ARN")));
    section.arnInput()->setText(QString::fromStdString(first.layerVersionArn));
    QVERIFY(section.addChosenLayer());
    QCOMPARE(section.formLayers(),
             (std::vector<std::string>{second.layerVersionArn, first.layerVersionArn}));

    // Move the first one down: "first" is merged before "second".
    section.orderList()->setCurrentRow(0);
    for (QPushButton *button : section.findChildren<QPushButton *>())
        if (button->text() == QStringLiteral("Move down"))
            QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(section.formLayers(),
             (std::vector<std::string>{first.layerVersionArn, second.layerVersionArn}));
    section.save();
    QTRY_COMPARE_WITH_TIMEOUT(updated.count(), 1, kWait);
    QVERIFY(!section.isEditing());
    const auto saved = engine.engine().getFunction("uses-layers");
    QCOMPARE(saved->config.layers,
             (std::vector<std::string>{first.layerVersionArn, second.layerVersionArn}));
    auto *view = qobject_cast<QStandardItemModel *>(section.viewTable()->model());
    QCOMPARE(view->rowCount(), 2);
    QCOMPARE(view->item(0, 1)->text(), QStringLiteral("first"));

    // The engine's refusal shows in the form: one layer twice in two versions.
    const auto firstAgain = publish(engine.engine(), "first", python);
    section.edit();
    section.specifyArn()->setChecked(true);
    section.arnInput()->setText(QString::fromStdString(firstAgain.layerVersionArn));
    QVERIFY(section.addChosenLayer());
    section.save();
    QTRY_VERIFY_WITH_TIMEOUT(
        section.errorText().contains(QStringLiteral("Two different versions of the same layer")),
        kWait);
    QVERIFY(section.isEditing());
}

QTEST_MAIN(LayersTest)
#include "layers_test.moc"
