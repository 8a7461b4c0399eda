#include "guestimagebuilder.h"

#include <QFile>
#include <QRegularExpression>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <dirent.h>
#include <memory>
#include <sys/types.h>
#include <unistd.h>
#include <utility>

namespace lambdesk::app {
namespace {

// stdout carries only the manifest path; keep a bounded tail in case a script gets chatty.
constexpr qsizetype kMaxStdout = qsizetype{16} * 1024;

} // namespace

std::optional<GuestImageBuilder::Progress> GuestImageBuilder::parseProgressLine(const QByteArray &line)
{
    static const QRegularExpression pattern(QStringLiteral("^PROGRESS\\s+(-?\\d+)(?:\\s+(.*))?$"));
    const QRegularExpressionMatch match = pattern.match(QString::fromUtf8(line).trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    bool ok = false;
    const int percent = match.captured(1).toInt(&ok);
    if (!ok)
        return std::nullopt;
    return Progress{std::clamp(percent, 0, 100), match.captured(2).trimmed()};
}

GuestImageBuilder::GuestImageBuilder(QObject *parent) : QObject(parent)
{
    m_killTimer = new QTimer(this);
    m_killTimer->setSingleShot(true);
    connect(m_killTimer, &QTimer::timeout, this, [this] { signalGroup(SIGKILL); });
    m_drainTimer = new QTimer(this);
    m_drainTimer->setInterval(50);
    connect(m_drainTimer, &QTimer::timeout, this, &GuestImageBuilder::drainGroup);
}

GuestImageBuilder::~GuestImageBuilder()
{
    if (!isRunning())
        return;
    // Nobody is left to hear about it: stop quietly, but give the script's traps their chance
    // to remove half-built work directories before the hard kill.
    m_process->disconnect(this);
    signalGroup(SIGTERM);
    if (!m_process->waitForFinished(kStopGraceMs)) {
        signalGroup(SIGKILL);
        m_process->waitForFinished(1000);
    }
    QElapsedTimer clock;
    clock.start();
    while (groupAlive() && clock.elapsed() < kCleanupGraceMs)
        ::usleep(50'000);
    signalGroup(SIGKILL);
}

bool GuestImageBuilder::start(const QStringList &command)
{
    if (isRunning() || command.isEmpty() || command.first().isEmpty())
        return false;
    if (m_process)
        m_process->deleteLater();
    m_stderrBuffer.clear();
    m_tail.clear();
    m_output.clear();
    m_step.clear();
    m_percent = 0;
    m_cancelled = false;
    m_reported = false;
    m_pid = 0;
    m_program = command.first();

    m_process = new QProcess(this);
    m_process->setProgram(command.first());
    m_process->setArguments(command.mid(1));
    m_process->setStandardInputFile(QProcess::nullDevice());
    // Own process group, so cancel reaches make, tar and every compiler the script started.
    m_process->setChildProcessModifier([] { ::setpgid(0, 0); });
    connect(m_process, &QProcess::readyReadStandardError, this, &GuestImageBuilder::readStandardError);
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_output += QString::fromUtf8(m_process->readAllStandardOutput());
        if (m_output.size() > kMaxStdout)
            m_output = m_output.right(kMaxStdout);
    });
    connect(m_process, &QProcess::finished, this, &GuestImageBuilder::processFinished);
    connect(m_process, &QProcess::errorOccurred, this, &GuestImageBuilder::processError);
    m_process->start();
    m_pid = m_process->processId();
    // Also from the parent: a cancel right after start must not find the group missing because
    // the child has not reached its own setpgid yet. Fails harmlessly once the child has exec'd.
    if (m_pid > 0)
        ::setpgid(pid_t(m_pid), pid_t(m_pid));
    return true;
}

void GuestImageBuilder::cancel()
{
    if (!isRunning() || m_cancelled)
        return;
    m_cancelled = true;
    signalGroup(SIGTERM);
    m_killTimer->start(kStopGraceMs);
}

bool GuestImageBuilder::groupAlive() const
{
    // Not kill(-group, 0): that counts zombies, and orphans of the build are reaped by pid 1,
    // which in some containers does so only every few seconds.
    if (m_pid <= 0)
        return false;
    std::unique_ptr<DIR, int (*)(DIR *)> proc(::opendir("/proc"), ::closedir);
    if (!proc)
        return ::kill(-pid_t(m_pid), 0) == 0;
    while (const dirent *entry = ::readdir(proc.get())) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9')
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(QLatin1String(entry->d_name)));
        if (!stat.open(QIODevice::ReadOnly))
            continue; // exited meanwhile
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        const QByteArray text = stat.read(512);
        const qsizetype close = text.lastIndexOf(')');
        const QList<QByteArray> fields = text.mid(close + 2).split(' ');
        if (close > 0 && fields.size() > 2 && fields[2].toLongLong() == m_pid && fields[0] != "Z")
            return true;
    }
    return false;
}

void GuestImageBuilder::drainGroup()
{
    if (groupAlive() && m_drainClock.elapsed() < kCleanupGraceMs)
        return;
    m_drainTimer->stop();
    signalGroup(SIGKILL); // what outlived the grace period; a no-op when the group is gone
    finish(false, QStringLiteral("The build was cancelled."));
}

bool GuestImageBuilder::isRunning() const
{
    return m_process && !m_reported;
}

qint64 GuestImageBuilder::processId() const
{
    return m_pid;
}

void GuestImageBuilder::signalGroup(int signal)
{
    // Never the bare pid: once the leader is reaped its number may belong to someone else. The
    // group exists from start() on (setpgid in parent and child).
    if (m_pid > 0)
        ::kill(-pid_t(m_pid), signal);
}

void GuestImageBuilder::readStandardError()
{
    m_stderrBuffer += m_process->readAllStandardError();
    qsizetype newline;
    while ((newline = m_stderrBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stderrBuffer.left(newline);
        m_stderrBuffer.remove(0, newline + 1);
        if (const auto parsed = parseProgressLine(line)) {
            m_percent = parsed->percent;
            m_step = parsed->text;
            emit progress(m_percent, m_step);
        } else {
            takeErrorLine(line);
        }
    }
}

void GuestImageBuilder::takeErrorLine(const QByteArray &line)
{
    const QString text = QString::fromUtf8(line).trimmed();
    if (text.isEmpty())
        return;
    m_tail.append(text);
    while (m_tail.size() > kTailLines)
        m_tail.removeFirst();
}

QString GuestImageBuilder::tail() const
{
    return m_tail.isEmpty() ? QString() : QStringLiteral("\n") + m_tail.join(QLatin1Char('\n'));
}

void GuestImageBuilder::processFinished(int exitCode, QProcess::ExitStatus status)
{
    readStandardError();
    if (!m_stderrBuffer.isEmpty()) { // a last line without a newline
        const QByteArray rest = std::exchange(m_stderrBuffer, {});
        if (!parseProgressLine(rest))
            takeErrorLine(rest);
    }
    m_output += QString::fromUtf8(m_process->readAllStandardOutput());
    const QStringList lines = m_output.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    m_output = lines.isEmpty() ? QString() : lines.last().trimmed();
    m_killTimer->stop();
    if (m_cancelled) {
        // The main script is gone, but a sub-script may still be in its EXIT trap removing its
        // work dir: report the cancel once the whole group has finished.
        m_drainClock.start();
        m_drainTimer->start();
        drainGroup();
    } else if (status == QProcess::NormalExit && exitCode == 0) {
        finish(true, {});
    } else if (status == QProcess::NormalExit) {
        finish(false, QStringLiteral("The build failed (exit code %1).").arg(exitCode) + tail());
    } else {
        finish(false, QStringLiteral("The build stopped unexpectedly (%1).").arg(m_process->errorString()) + tail());
    }
}

void GuestImageBuilder::processError(QProcess::ProcessError error)
{
    // Every other error also ends in finished(); only a failed start does not.
    if (error != QProcess::FailedToStart)
        return;
    finish(false, QStringLiteral("Cannot start %1: %2").arg(m_program, m_process->errorString()));
}

void GuestImageBuilder::finish(bool ok, const QString &errorTail)
{
    if (m_reported)
        return;
    m_reported = true;
    emit finished(ok, errorTail);
}

} // namespace lambdesk::app
