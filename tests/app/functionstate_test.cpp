// What the function page tells about the function: a throttled function says so next to any
// other message and offers Unthrottle, "Last modified" follows changes and the clock, success
// banners are green, banner icons need no font glyph, and confirmations use the console's dialog.

#include "apptestsupport.h"

#include "format.h"
#include "function/codetab.h"
#include "function/configurationtab.h"
#include "function/functionpage.h"
#include "function/generalconfigsection.h"
#include "function/versionstab.h"
#include "mainwindow.h"
#include "models/versionmodel.h"
#include "screens/createfunctionpage.h"
#include "screens/functionlistpage.h"
#include "screens/functionsettingsform.h"
#include "testzip.h"
#include "widgets/flashbar.h"

#include <QAction>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

constexpr int kTimeout = 60'000;

QList<Flashbar *> visibleBanners(FunctionPage *page)
{
    QList<Flashbar *> banners;
    for (Flashbar *bar : page->findChildren<Flashbar *>()) {
        if (bar->isVisibleTo(page))
            banners << bar;
    }
    return banners;
}

Flashbar *bannerSaying(FunctionPage *page, const QString &words)
{
    for (Flashbar *bar : visibleBanners(page)) {
        if (bar->text().contains(words, Qt::CaseInsensitive))
            return bar;
    }
    return nullptr;
}

QAbstractButton *visibleButton(QWidget *root, const QString &text)
{
    for (QAbstractButton *button : root->findChildren<QAbstractButton *>()) {
        if (button->text() == text && button->isVisibleTo(root->window()))
            return button;
    }
    return nullptr;
}

QDialog *visibleDialog()
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (auto *dialog = qobject_cast<QDialog *>(widget); dialog && dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

// What the dialog a user action opens looks like. Polls from a timer, so it also sees a
// dialog that blocks in exec().
struct SeenDialog {
    bool seen = false;
    bool consoleStyle = false; // a bold panel title and an orange primary button, as the app's own
    QString title;
};

void inspectNextDialog(SeenDialog *seen, const QString &typeIntoField = {}, bool accept = false)
{
    auto *poll = new QTimer;
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, seen, typeIntoField, accept] {
        QDialog *dialog = visibleDialog();
        if (!dialog)
            return;
        poll->stop();
        poll->deleteLater();
        seen->seen = true;
        seen->title = dialog->windowTitle();
        QPushButton *primary = nullptr;
        for (QPushButton *button : dialog->findChildren<QPushButton *>()) {
            if (button->property("primary").toBool())
                primary = button;
        }
        seen->consoleStyle = primary && dialog->findChild<QLabel *>(QStringLiteral("panelTitle"));
        if (auto *field = dialog->findChild<QLineEdit *>(); field && !typeIntoField.isEmpty())
            field->setText(typeIntoField);
        if (accept && primary && seen->consoleStyle)
            primary->click();
        else
            dialog->reject();
    });
    poll->start();
}

} // namespace

class FunctionStateTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void init();
    void cleanup();
    void throttledBannerStaysBesideTheDraftBanner();
    void unthrottleRemovesReservedConcurrency();
    void lastModifiedFollowsChangesAndTheClock();
    void successBannersAreGreen();
    void bannerIconsNeedNoFontGlyph();
    void throttleAndPublishAskInConsoleDialogs();

private:
    FunctionPage *openFunction();
    std::unique_ptr<testing::TestEngine> m_host;
    std::unique_ptr<MainWindow> m_window;
};

void FunctionStateTest::init()
{
    m_host = std::make_unique<testing::TestEngine>();
    QVERIFY2(m_host->ok(), qPrintable(m_host->error()));
    const std::string python = m_host->runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime available on this machine");
    const auto created = createEchoFunction(m_host->engine(), "state-fn", python);
    QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
    m_window = std::make_unique<MainWindow>(m_host->engine(), QString());
    m_window->resize(1280, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void FunctionStateTest::cleanup()
{
    m_window.reset();
    m_host.reset();
}

FunctionPage *FunctionStateTest::openFunction()
{
    m_window->openFunction(QStringLiteral("state-fn"));
    if (!QTest::qWaitFor(
            [&] { return m_window->functionPage() && m_window->functionPage()->isLoaded(); },
            kTimeout))
        return nullptr;
    return m_window->functionPage();
}

void FunctionStateTest::throttledBannerStaysBesideTheDraftBanner()
{
    // As after a restart: throttled earlier, and a draft with undeployed edits.
    QVERIFY(m_host->engine().putFunctionConcurrency("state-fn", 0).ok());
    QVERIFY(m_host->engine()
                .saveDraft("state-fn",
                           {{"lambda_function.py",
                             "# draft\ndef lambda_handler(event, context):\n    return 1\n"}})
                .ok());
    FunctionPage *page = openFunction();
    QVERIFY(page);
    QTRY_VERIFY_WITH_TIMEOUT(bannerSaying(page, QStringLiteral("Restored your draft")), kTimeout);
    QVERIFY2(bannerSaying(page, QStringLiteral("throttled")),
             "the throttle banner shows beside the draft banner");

    // A later message (Copy ARN) does not hide it either.
    visibleButton(page, QStringLiteral("Copy ARN"))->click();
    QVERIFY(bannerSaying(page, QStringLiteral("Copied the ARN")));
    QVERIFY(bannerSaying(page, QStringLiteral("throttled")));
}

void FunctionStateTest::unthrottleRemovesReservedConcurrency()
{
    QVERIFY(m_host->engine().putFunctionConcurrency("state-fn", 0).ok());
    FunctionPage *page = openFunction();
    QVERIFY(page);
    QAbstractButton *unthrottle = visibleButton(page, QStringLiteral("Unthrottle"));
    QVERIFY2(unthrottle, "a throttled function offers Unthrottle");
    unthrottle->click();
    QTRY_VERIFY_WITH_TIMEOUT(
        !m_host->engine().getFunction("state-fn")->reservedConcurrency.has_value(), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!page->function().reservedConcurrency.has_value(), kTimeout);
    QVERIFY(!bannerSaying(page, QStringLiteral("is throttled")));
    QVERIFY(!visibleButton(page, QStringLiteral("Unthrottle")));
    QVERIFY(visibleButton(page, QStringLiteral("Throttle")));
    QCOMPARE(page->flashbar()->kind(), Flashbar::Kind::Success);
}

void FunctionStateTest::lastModifiedFollowsChangesAndTheClock()
{
    FunctionPage *page = openFunction();
    QVERIFY(page);
    const QString created = timestamp(page->function().lastModifiedMs);
    QLabel *lastModified = nullptr; // the overview's value, "just now" with the exact time as tip
    for (QLabel *label : page->findChildren<QLabel *>()) {
        if (label->toolTip() == created)
            lastModified = label;
    }
    QVERIFY(lastModified);

    // A configuration change moves it on (the timestamp has whole seconds, so the clock's second
    // moves on first).
    const std::int64_t createdSecond = page->function().lastModifiedMs / 1000;
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() / 1000 > createdSecond, kTimeout);
    GeneralConfigSection *general = page->configurationTab()->general();
    general->edit();
    general->description()->setText(QStringLiteral("changed"));
    general->save();
    QTRY_VERIFY_WITH_TIMEOUT(!general->isEditing(), kTimeout);
    const std::int64_t changed = m_host->engine().getFunction("state-fn")->lastModifiedMs;
    QCOMPARE(lastModified->toolTip(), timestamp(changed));
    QVERIFY(lastModified->toolTip() != created);

    // "just now" turns into "1 minute ago" while the page stays open.
    engine::FunctionInfo info = page->function();
    info.lastModifiedMs = QDateTime::currentMSecsSinceEpoch() - 44'000;
    emit page->codeTab()->functionUpdated(info);
    QCOMPARE(lastModified->text(), QStringLiteral("just now"));
    QTRY_COMPARE_WITH_TIMEOUT(lastModified->text(), QStringLiteral("1 minute ago"), 25'000);
}

void FunctionStateTest::successBannersAreGreen()
{
    // Created through the wizard.
    m_window->showCreateFunction();
    CreateFunctionPage *wizard = m_window->createFunctionPage();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
    QTest::keyClicks(wizard->form()->nameEdit(), QStringLiteral("green-fn"));
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->functionPage() && m_window->functionPage()->isLoaded(),
                             kTimeout);
    FunctionPage *page = m_window->functionPage();
    QVERIFY(page->flashbar()->text().startsWith(
        QStringLiteral("Successfully created the function green-fn")));
    QCOMPARE(page->flashbar()->kind(), Flashbar::Kind::Success);

    // Deployed.
    QTRY_VERIFY_WITH_TIMEOUT(page->codeTab()->isLoaded(), kTimeout);
    page->flashbar()->clear();
    page->codeTab()->deploy();
    QTRY_VERIFY_WITH_TIMEOUT(
        page->flashbar()->text().startsWith(QStringLiteral("Successfully updated")), kTimeout);
    QCOMPARE(page->flashbar()->kind(), Flashbar::Kind::Success);

    // Configuration saved.
    page->flashbar()->clear();
    GeneralConfigSection *general = page->configurationTab()->general();
    general->edit();
    general->description()->setText(QStringLiteral("green"));
    general->save();
    QTRY_VERIFY_WITH_TIMEOUT(
        page->flashbar()->text().startsWith(QStringLiteral("Successfully updated")), kTimeout);
    QCOMPARE(page->flashbar()->kind(), Flashbar::Kind::Success);

    // A version published.
    page->flashbar()->clear();
    page->versionsTab()->publish(QStringLiteral("v1"));
    QTRY_VERIFY_WITH_TIMEOUT(
        page->flashbar()->text().startsWith(QStringLiteral("Successfully created version")),
        kTimeout);
    QCOMPARE(page->flashbar()->kind(), Flashbar::Kind::Success);
}

void FunctionStateTest::bannerIconsNeedNoFontGlyph()
{
    Flashbar bar;
    bar.resize(600, 60);
    for (Flashbar::Kind kind : {Flashbar::Kind::Info, Flashbar::Kind::Success,
                                Flashbar::Kind::Error, Flashbar::Kind::Warning}) {
        bar.showMessage(kind, QStringLiteral("A message"));
        bool drawn = false;
        for (QLabel *label : bar.findChildren<QLabel *>()) {
            // ⓘ, ✓, ⊗ and ⚠ are missing from the fonts the README installs (a box is drawn).
            for (QChar glyph : {QChar(0x24d8), QChar(0x2713), QChar(0x2297), QChar(0x26a0)})
                QVERIFY2(!label->text().contains(glyph), qPrintable(label->text()));
            const QPixmap pixmap = label->pixmap();
            if (pixmap.isNull())
                continue;
            const QImage image = pixmap.toImage();
            for (int y = 0; y < image.height() && !drawn; ++y) {
                for (int x = 0; x < image.width() && !drawn; ++x)
                    drawn = qAlpha(image.pixel(x, y)) > 0;
            }
        }
        QVERIFY2(drawn, qPrintable(QStringLiteral("kind %1 shows a painted icon").arg(int(kind))));
    }
}

void FunctionStateTest::throttleAndPublishAskInConsoleDialogs()
{
    FunctionPage *page = openFunction();
    QVERIFY(page);

    // Throttle asks first; cancelling leaves the function alone.
    SeenDialog throttle;
    inspectNextDialog(&throttle);
    visibleButton(page, QStringLiteral("Throttle"))->click();
    QTRY_VERIFY(throttle.seen);
    QVERIFY2(throttle.consoleStyle, qPrintable(throttle.title));
    QVERIFY(!m_host->engine().getFunction("state-fn")->reservedConcurrency.has_value());

    // Confirming throttles.
    SeenDialog confirm;
    inspectNextDialog(&confirm, {}, true);
    visibleButton(page, QStringLiteral("Throttle"))->click();
    QTRY_VERIFY(confirm.seen);
    QTRY_COMPARE_WITH_TIMEOUT(m_host->engine().getFunction("state-fn")->reservedConcurrency,
                              std::optional<int>(0), kTimeout);

    // Actions ▸ Publish new version asks for the description, then publishes.
    QAction *publish = nullptr;
    for (QAction *action : page->findChildren<QAction *>()) {
        if (action->text() == QLatin1String("Publish new version"))
            publish = action;
    }
    QVERIFY(publish);
    SeenDialog publishDialog;
    inspectNextDialog(&publishDialog, QStringLiteral("first release"), true);
    publish->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(publishDialog.seen, 5'000);
    QVERIFY2(publishDialog.consoleStyle, qPrintable(publishDialog.title));
    QTRY_COMPARE_WITH_TIMEOUT(m_host->engine().listVersions("state-fn")->size(), std::size_t(2),
                              kTimeout);
    const auto versions = m_host->engine().listVersions("state-fn");
    QVERIFY(std::any_of(versions->begin(), versions->end(), [](const engine::FunctionInfo &v) {
        return v.config.description == "first release";
    }));

    // The Versions tab's own button opens the same dialog.
    page->showTab(FunctionPage::Tab::Versions);
    SeenDialog versionsDialog;
    inspectNextDialog(&versionsDialog);
    QAbstractButton *button =
        visibleButton(page->versionsTab(), QStringLiteral("Publish new version"));
    QVERIFY(button);
    button->click();
    QTRY_VERIFY(versionsDialog.seen);
    QVERIFY2(versionsDialog.consoleStyle, qPrintable(versionsDialog.title));
}

QTEST_MAIN(FunctionStateTest)
#include "functionstate_test.moc"
