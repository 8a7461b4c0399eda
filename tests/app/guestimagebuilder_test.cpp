// The microVM guest image build as the app runs it: PROGRESS lines become progress signals, a
// failure carries the last lines of output, cancel stops the whole process group (escalating to
// SIGKILL and letting the script's traps clean up), and the shared controller, its banner and
// the Configuration tab's sandbox choice follow a build from start to rescan. Every build here is
// a fake /bin/sh or /bin/bash script; the real build script is never run.

#include "apptestsupport.h"

#include "function/tagssection.h"
#include "guestimagebuilder.h"
#include "guestimagecontroller.h"
#include "widgets/guestimagebanner.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <csignal>
#include <sys/types.h>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

constexpr int kTimeout = 20'000;

QStringList shell(const QString &script)
{
    return {QStringLiteral("/bin/sh"), QStringLiteral("-c"), script};
}

// Gone, or a zombie nobody reaped yet (a container's pid 1 may not reap adopted children).
bool processGone(qint64 pid)
{
    if (::kill(pid_t(pid), 0) != 0)
        return true;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.mid(close + 2, 1) == "Z";
}

// What the engine's guestImage() would say, with a fake build script.
engine::GuestImageInfo fakeImage(bool built, const std::string &script)
{
    engine::GuestImageInfo info;
    info.built = built;
    info.detail = built ? "" : "guest image not built";
    info.buildCommand = {"/bin/sh", "-c", script};
    info.cacheDir = "/home/user/.cache/lambdesk";
    return info;
}

qint64 readPid(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toLongLong() : 0;
}

// Saves a widget's rendering when LAMBDESK_TEST_SHOTS names a directory (to look at the banner).
void maybeGrab(QWidget *widget, const char *name, bool fitHeight = true)
{
    const QString dir = qEnvironmentVariable("LAMBDESK_TEST_SHOTS");
    if (fitHeight)
        widget->adjustSize();
    if (!dir.isEmpty())
        widget->grab().save(QDir(dir).filePath(QLatin1String(name)), "PNG");
}

} // namespace

class GuestImageBuilderTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void parsesProgressLines();
    void reportsProgressAndSucceeds();
    void failureCarriesTheLastLines();
    void commandThatCannotStartFails();
    void refusesSecondStartAndEmptyCommand();
    void cancelStopsTheProcessGroupAndRunsTraps();
    void cancelEscalatesToKill();
    void destroyingStopsTheBuild();
    void controllerBuildsThenRescans();
    void controllerFailureShowsTailAndRetry();
    void controllerCancelIsNotReady();
    void choosingMicrovmBuildsTheImage();
    void realBuildCommandRefreshesAndRescans();

private:
    QTemporaryDir m_cache;
    QTemporaryDir m_work;
};

void GuestImageBuilderTest::initTestCase()
{
    // The engines below look for the guest image in an empty cache: microvm is "not built" and
    // its probe fails fast instead of booting a VM.
    QVERIFY(m_cache.isValid() && m_work.isValid());
    qputenv("XDG_CACHE_HOME", m_cache.path().toUtf8());
    testing::prepareApplication();
}

void GuestImageBuilderTest::parsesProgressLines()
{
    auto parsed = GuestImageBuilder::parseProgressLine("PROGRESS 15 compiling the kernel (a few minutes)\n");
    QVERIFY(parsed);
    QCOMPARE(parsed->percent, 15);
    QCOMPARE(parsed->text, QStringLiteral("compiling the kernel (a few minutes)"));
    parsed = GuestImageBuilder::parseProgressLine("PROGRESS 100");
    QVERIFY(parsed);
    QCOMPARE(parsed->percent, 100);
    QVERIFY(parsed->text.isEmpty());
    QCOMPARE(GuestImageBuilder::parseProgressLine("PROGRESS 250 over")->percent, 100);
    QCOMPARE(GuestImageBuilder::parseProgressLine("PROGRESS -4 under")->percent, 0);
    QVERIFY(!GuestImageBuilder::parseProgressLine("  CC      kernel/fork.o"));
    QVERIFY(!GuestImageBuilder::parseProgressLine("PROGRESS abc"));
    QVERIFY(!GuestImageBuilder::parseProgressLine("make: PROGRESS 5 x"));
    QVERIFY(!GuestImageBuilder::parseProgressLine(""));
}

void GuestImageBuilderTest::reportsProgressAndSucceeds()
{
    GuestImageBuilder builder;
    QSignalSpy progress(&builder, &GuestImageBuilder::progress);
    QSignalSpy finished(&builder, &GuestImageBuilder::finished);
    QVERIFY(builder.start(shell(QStringLiteral(
        "echo 'PROGRESS 5 unpacking linux-source' >&2; echo '  CC kernel/fork.o' >&2;"
        "printf 'PROGRESS 60 building the guest agent\\n' >&2; echo 'PROGRESS 100 guest image ready' >&2;"
        "echo /cache/guest/image.json"))));
    QVERIFY(builder.isRunning());
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(finished.first().at(1).toString().isEmpty());
    QCOMPARE(progress.size(), 3);
    QCOMPARE(progress.at(0).at(0).toInt(), 5);
    QCOMPARE(progress.at(0).at(1).toString(), QStringLiteral("unpacking linux-source"));
    QCOMPARE(progress.at(1).at(0).toInt(), 60);
    QCOMPARE(progress.at(1).at(1).toString(), QStringLiteral("building the guest agent"));
    QCOMPARE(progress.at(2).at(0).toInt(), 100);
    QCOMPARE(builder.output(), QStringLiteral("/cache/guest/image.json"));
    QVERIFY(!builder.isRunning());
    QVERIFY(!builder.wasCancelled());
}

void GuestImageBuilderTest::failureCarriesTheLastLines()
{
    GuestImageBuilder builder;
    QSignalSpy finished(&builder, &GuestImageBuilder::finished);
    // 30 noise lines, then the error; the last line has no newline.
    QVERIFY(builder.start(shell(QStringLiteral(
        "echo 'PROGRESS 10 configuring' >&2; i=1; while [ $i -le 30 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done;"
        "printf 'build-kernel: CONFIG_VIRTIO_BLK=y did not apply' >&2; exit 3"))));
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finished.first().at(0).toBool(), false);
    const QString tail = finished.first().at(1).toString();
    QVERIFY2(tail.contains(QStringLiteral("exit code 3")), qPrintable(tail));
    QVERIFY2(tail.contains(QStringLiteral("CONFIG_VIRTIO_BLK=y did not apply")), qPrintable(tail));
    QVERIFY2(tail.contains(QStringLiteral("noise line 30")), qPrintable(tail));
    QVERIFY2(!tail.contains(QStringLiteral("noise line 5\n")), qPrintable(tail)); // only the last lines
    QVERIFY2(!tail.contains(QStringLiteral("PROGRESS")), qPrintable(tail));
    QVERIFY(tail.split(QLatin1Char('\n')).size() <= GuestImageBuilder::kTailLines + 1);
    QVERIFY(!builder.wasCancelled());
}

void GuestImageBuilderTest::commandThatCannotStartFails()
{
    GuestImageBuilder builder;
    QSignalSpy finished(&builder, &GuestImageBuilder::finished);
    QVERIFY(builder.start({QStringLiteral("/nonexistent/build-image.sh")}));
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(finished.first().at(1).toString().contains(QStringLiteral("/nonexistent/build-image.sh")),
             qPrintable(finished.first().at(1).toString()));
    QVERIFY(!builder.isRunning());
}

void GuestImageBuilderTest::refusesSecondStartAndEmptyCommand()
{
    GuestImageBuilder builder;
    QVERIFY(!builder.start({}));
    QSignalSpy finished(&builder, &GuestImageBuilder::finished);
    QVERIFY(builder.start(shell(QStringLiteral("read line; exit 0")))); // stdin is /dev/null: ends at once
    QVERIFY(!builder.start(shell(QStringLiteral("exit 0"))));
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    // A finished builder runs again.
    QVERIFY(builder.start(shell(QStringLiteral("exit 4"))));
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finished.last().at(0).toBool(), false);
}

void GuestImageBuilderTest::cancelStopsTheProcessGroupAndRunsTraps()
{
    // Like build-kernel.sh: a bash script with an EXIT trap that removes its work dir, waiting
    // on a long child (make). It waits with `wait`, not a foreground command, so the test
    // cannot hit the moment between bash's fork and exec, where a command misses SIGTERM and
    // only the SIGKILL after kCleanupGraceMs stops it (cancelEscalatesToKill covers that).
    const QString workDir = m_work.filePath(QStringLiteral("build-kernel.work"));
    const QString pidFile = m_work.filePath(QStringLiteral("child.pid"));
    GuestImageBuilder builder;
    QSignalSpy progress(&builder, &GuestImageBuilder::progress);
    QSignalSpy finished(&builder, &GuestImageBuilder::finished);
    QVERIFY(builder.start({QStringLiteral("/bin/bash"), QStringLiteral("-c"),
                           QStringLiteral("trap 'rm -rf %1' EXIT; mkdir -p %1; sleep 300 & echo $! > %2;"
                                          "echo 'PROGRESS 15 compiling the kernel' >&2; wait")
                               .arg(workDir, pidFile)}));
    QVERIFY(progress.wait(kTimeout));
    QCOMPARE(builder.percent(), 15);
    QTRY_VERIFY_WITH_TIMEOUT(readPid(pidFile) > 0, kTimeout);
    const qint64 child = readPid(pidFile);
    const qint64 leader = builder.processId();
    QVERIFY(QDir(workDir).exists());
    QVERIFY(!processGone(child));

    builder.cancel();
    QVERIFY(finished.wait(kTimeout));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("cancelled")));
    QVERIFY(builder.wasCancelled());
    QTRY_VERIFY_WITH_TIMEOUT(processGone(child), kTimeout);
    QVERIFY(processGone(leader));
    QVERIFY2(!QDir(workDir).exists(), "the script's EXIT trap did not run");
}

void GuestImageBuilderTest::cancelEscalatesToKill()
{
    const QString pidFile = m_work.filePath(QStringLiteral("stubborn.pid"));
    GuestImageBuilder builder;
    QSignalSpy progress(&builder, &GuestImageBuilder::progress);
    QSignalSpy finished(&builder, &GuestImageBuilder::finished);
    // Ignores SIGTERM, and so does its child (an ignored signal stays ignored across exec).
    QVERIFY(builder.start(shell(QStringLiteral("trap '' TERM; sleep 300 & echo $! > %1;"
                                               "echo 'PROGRESS 20 stubborn' >&2; wait")
                                    .arg(pidFile))));
    QVERIFY(progress.wait(kTimeout));
    QTRY_VERIFY_WITH_TIMEOUT(readPid(pidFile) > 0, kTimeout);
    const qint64 child = readPid(pidFile);
    builder.cancel();
    QVERIFY(finished.wait(GuestImageBuilder::kStopGraceMs + kTimeout));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(builder.wasCancelled());
    QTRY_VERIFY_WITH_TIMEOUT(processGone(child), kTimeout);
}

void GuestImageBuilderTest::destroyingStopsTheBuild()
{
    const QString pidFile = m_work.filePath(QStringLiteral("orphan.pid"));
    auto builder = std::make_unique<GuestImageBuilder>();
    QSignalSpy progress(builder.get(), &GuestImageBuilder::progress);
    QVERIFY(builder->start(shell(QStringLiteral("sleep 300 & echo $! > %1; echo 'PROGRESS 1 x' >&2; wait").arg(pidFile))));
    QVERIFY(progress.wait(kTimeout));
    QTRY_VERIFY_WITH_TIMEOUT(readPid(pidFile) > 0, kTimeout);
    const qint64 child = readPid(pidFile);
    const qint64 leader = builder->processId();
    builder.reset(); // e.g. the window closes mid-build
    QTRY_VERIFY_WITH_TIMEOUT(processGone(child), kTimeout);
    QVERIFY(processGone(leader));
}

void GuestImageBuilderTest::controllerBuildsThenRescans()
{
    testing::TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    GuestImageController controller(engine.engine());
    // The fake build holds at 15 % until the test creates the go file.
    const std::string go = m_work.filePath(QStringLiteral("go")).toStdString();
    controller.setInfoSource([go] {
        return fakeImage(false, "echo 'PROGRESS 5 unpacking linux-source' >&2; echo 'PROGRESS 15 compiling the kernel (a few minutes)' >&2;"
            "while [ ! -f '" + go + "' ]; do sleep 0.05; done; echo 'PROGRESS 100 guest image ready' >&2");
    });
    QWidget host; // never shown: the banner shows and hides inside it, as in a page
    auto &banner = *new GuestImageBanner(&controller, &host);
    banner.setFixedWidth(900);
    QSignalSpy states(&controller, &GuestImageController::stateChanged);
    QSignalSpy rescanned(&controller, &GuestImageController::availabilityChanged);

    controller.ensureImage();
    QCOMPARE(controller.state(), GuestImageController::State::Building);
    QTRY_VERIFY_WITH_TIMEOUT(controller.percent() == 15, kTimeout);
    QVERIFY(controller.isNoticeable());
    QVERIFY(!banner.isHidden());
    QCOMPARE(banner.title(), QStringLiteral("Building the microVM guest image"));
    QCOMPARE(banner.progressBar()->value(), 15);
    QVERIFY2(banner.stepText().startsWith(QStringLiteral("Compiling the kernel")), qPrintable(banner.stepText()));
    QVERIFY(!banner.cancelButton()->isHidden());
    maybeGrab(&banner, "guestimage-building.png");
    QFile goFile(QString::fromStdString(go));
    QVERIFY(goFile.open(QIODevice::WriteOnly));
    goFile.close();

    QVERIFY(rescanned.wait(kTimeout));
    QCOMPARE(controller.state(), GuestImageController::State::Ready);
    QVERIFY(controller.microvm().has_value()); // the engine looked again
    QVERIFY(!banner.isHidden());
    QVERIFY(banner.cancelButton()->isHidden());
    maybeGrab(&banner, "guestimage-ready.png");
    bool sawProbing = false;
    for (const QList<QVariant> &state : states)
        sawProbing |= state.at(0).value<GuestImageController::State>() == GuestImageController::State::Probing;
    QVERIFY(sawProbing);

    // Done once per session: a second first use does not build again.
    states.clear();
    controller.ensureImage();
    QCOMPARE(controller.state(), GuestImageController::State::Ready);
    QVERIFY(states.isEmpty());
}

void GuestImageBuilderTest::controllerFailureShowsTailAndRetry()
{
    testing::TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    GuestImageController controller(engine.engine());
    std::atomic<int> runs = 0; // counted on the engine pool
    controller.setInfoSource([&runs] {
        ++runs;
        return fakeImage(true, "echo 'PROGRESS 60 building the guest agent' >&2; echo 'g++: fatal error: killed signal terminated program cc1plus' >&2; exit 1");
    });
    QWidget host;
    auto &banner = *new GuestImageBanner(&controller, &host);
    banner.setFixedWidth(700);
    QSignalSpy states(&controller, &GuestImageController::stateChanged);
    controller.ensureImage();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GuestImageController::State::Failed, kTimeout);
    QVERIFY(controller.errorText().contains(QStringLiteral("cc1plus")));
    QVERIFY(!banner.isHidden());
    QCOMPARE(banner.title(), QStringLiteral("Building the microVM guest image failed"));
    QVERIFY2(banner.log().contains(QStringLiteral("exit code 1")), qPrintable(banner.log()));
    QVERIFY(banner.log().contains(QStringLiteral("killed signal terminated program cc1plus")));
    QVERIFY(!banner.retryButton()->isHidden());
    QVERIFY(controller.availability().empty()); // never rescanned
    maybeGrab(&banner, "guestimage-failed.png");

    QTest::mouseClick(banner.retryButton(), Qt::LeftButton);
    QCOMPARE(controller.state(), GuestImageController::State::Building);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GuestImageController::State::Failed, kTimeout);
    QCOMPARE(runs.load(), 2);
}

void GuestImageBuilderTest::controllerCancelIsNotReady()
{
    testing::TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    GuestImageController controller(engine.engine());
    controller.setInfoSource([] {
        return fakeImage(false, "echo 'PROGRESS 15 compiling the kernel' >&2; sleep 300 & wait");
    });
    QWidget host;
    auto &banner = *new GuestImageBanner(&controller, &host);
    QSignalSpy rescanned(&controller, &GuestImageController::availabilityChanged);
    controller.ensureImage();
    QTRY_VERIFY_WITH_TIMEOUT(controller.percent() == 15, kTimeout);
    const qint64 pid = controller.builder()->processId();
    QTest::mouseClick(banner.cancelButton(), Qt::LeftButton);
    // Until the build's group is gone the banner says it is stopping, and Cancel is spent.
    QVERIFY(controller.state() == GuestImageController::State::Cancelled || !banner.cancelButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GuestImageController::State::Cancelled, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), kTimeout);
    QCOMPARE(rescanned.size(), 0);
    QCOMPARE(banner.title(), QStringLiteral("Building the microVM guest image was cancelled"));
    QVERIFY(!banner.retryButton()->isHidden());
    // A cancelled build is not a success: the next first use builds again.
    controller.ensureImage();
    QCOMPARE(controller.state(), GuestImageController::State::Building);
    controller.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GuestImageController::State::Cancelled, kTimeout);
}

void GuestImageBuilderTest::choosingMicrovmBuildsTheImage()
{
    testing::TestEngine engine;
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    GuestImageController controller(engine.engine());
    std::atomic<int> runs = 0; // counted on the engine pool
    controller.setInfoSource([&runs] {
        ++runs;
        return fakeImage(false, "echo 'PROGRESS 70 copying runtimes' >&2; echo 'PROGRESS 100 guest image ready' >&2");
    });
    TagsSection tags(std::make_shared<FunctionController>(engine.engine(), "guest-image-fn"));
    tags.setGuestImage(&controller);
    QTRY_VERIFY_WITH_TIMEOUT(tags.sandboxesLoaded(), kTimeout);
    auto *items = qobject_cast<QStandardItemModel *>(tags.sandbox()->model());
    QVERIFY(items);
    int microvmRow = -1;
    for (int row = 0; row < items->rowCount(); ++row) {
        if (items->item(row)->data(Qt::UserRole).toString() == QLatin1String("microvm"))
            microvmRow = row;
    }
    QVERIFY(microvmRow > 0);
    // Not built (empty cache): still selectable, because choosing it is what builds it.
    QVERIFY(items->item(microvmRow)->isEnabled());
    QVERIFY(items->item(microvmRow)->text().contains(QStringLiteral("guest image")));

    QSignalSpy changed(&tags, &TagsSection::sandboxesChanged);
    tags.edit(); // the form with the Sandbox choice
    tags.sandbox()->setCurrentIndex(microvmRow);
    emit tags.sandbox()->activated(microvmRow); // what a user's pick emits
    QCOMPARE(controller.state(), GuestImageController::State::Building);
    QVERIFY(changed.wait(kTimeout)); // built, rescanned, the list refilled
    QCOMPARE(controller.state(), GuestImageController::State::Ready);
    QCOMPARE(runs.load(), 1);
    // The fake build recorded nothing, so the engine still finds no image: now microvm shows as
    // unavailable, with the engine's reason, and the choice the user made is kept.
    QCOMPARE(tags.sandbox()->currentIndex(), microvmRow);
    QVERIFY(!items->item(microvmRow)->isEnabled());
    QVERIFY(!items->item(microvmRow)->toolTip().isEmpty());
    QCOMPARE(tags.guestImageBanner()->title(),
             QStringLiteral("The guest image is ready, but the microvm sandbox does not work here"));
    QVERIFY(!tags.guestImageBanner()->isHidden());
    tags.resize(1000, 640);
    maybeGrab(&tags, "guestimage-tags.png", false);
}

void GuestImageBuilderTest::realBuildCommandRefreshesAndRescans()
{
    // Opt-in: the engine's own build command on a cache whose kernel is already built (with an
    // empty cache this would compile a kernel for minutes). CI points it at the cache it built.
    const QByteArray cache = qgetenv("LAMBDESK_TEST_REAL_GUEST_IMAGE");
    if (cache.isEmpty())
        QSKIP("set LAMBDESK_TEST_REAL_GUEST_IMAGE to an XDG cache dir with a built guest kernel to run the real build");
    const QByteArray previous = qgetenv("XDG_CACHE_HOME");
    qputenv("XDG_CACHE_HOME", cache);
    testing::TestEngine engine;
    qputenv("XDG_CACHE_HOME", previous);
    QVERIFY2(engine.ok(), qPrintable(engine.error()));
    GuestImageController controller(engine.engine());
    QSignalSpy progress(&controller, &GuestImageController::progress);
    controller.ensureImage();
    QTRY_VERIFY_WITH_TIMEOUT(!controller.isBusy(), 600'000);
    QVERIFY2(controller.state() == GuestImageController::State::Ready, qPrintable(controller.errorText()));
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), 100);
    QVERIFY(controller.builder()->output().endsWith(QStringLiteral("image.json")));
    QVERIFY(engine.engine().guestImage().built);
    const auto microvm = controller.microvm();
    QVERIFY(microvm.has_value());
    qInfo("microvm after the build: %s (%s)", microvm->available ? "available" : "not available", microvm->detail.c_str());
}

QTEST_MAIN(GuestImageBuilderTest)
#include "guestimagebuilder_test.moc"
