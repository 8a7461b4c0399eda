#pragma once
// Runs the microVM guest image build command (engine::GuestImageInfo::buildCommand) as a child
// process in its own process group, turning its "PROGRESS <percent> <text>" stderr lines into
// signals. GUI thread only. Cancel (or destroying the builder) stops the whole group: the build
// script's own traps remove its work directories, and the image is only ever recorded by the
// script's final atomic rename, so a cancelled build never leaves an image that looks ready.

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <optional>

class QTimer;

namespace lambdesk::app {

class GuestImageBuilder : public QObject {
    Q_OBJECT
public:
    struct Progress {
        int percent = 0;
        QString text;
    };
    // "PROGRESS 42 compiling the kernel" → {42, "compiling the kernel"}; other lines → nullopt.
    // The percent is clamped to 0..100.
    static std::optional<Progress> parseProgressLine(const QByteArray &line);

    explicit GuestImageBuilder(QObject *parent = nullptr);
    ~GuestImageBuilder() override; // stops a running build (blocks up to kStopGraceMs)

    // Starts command (argv: program, arguments). False when a build runs already or the command
    // is empty; a command that cannot start reports finished(false, ...) from the event loop.
    bool start(const QStringList &command);
    // Asks the build's process group to stop (SIGTERM), then kills it (SIGKILL) after the grace
    // period. finished(false, ...) follows once the process is gone; wasCancelled() is then true.
    void cancel();

    bool isRunning() const;
    bool wasCancelled() const { return m_cancelled; }
    int percent() const { return m_percent; }
    QString step() const { return m_step; }
    // The last line the build printed on stdout (the manifest path), after a success.
    QString output() const { return m_output; }
    qint64 processId() const;

    // SIGTERM → SIGKILL when the build's main process has not exited by then.
    static constexpr int kStopGraceMs = 3000;
    // After the main process exited, how long the rest of the group may take to finish its
    // cleanup traps (removing an unpacked kernel tree takes seconds) before SIGKILL. A command
    // the shell was just forking when SIGTERM came can miss it and would live on otherwise.
    static constexpr int kCleanupGraceMs = 10000;
    static constexpr int kTailLines = 15;

signals:
    void progress(int percent, const QString &text);
    // ok: exit status 0. errorTail otherwise: what happened and the last lines of stderr.
    void finished(bool ok, const QString &errorTail);

private:
    void readStandardError();
    void takeErrorLine(const QByteArray &line);
    void processFinished(int exitCode, QProcess::ExitStatus status);
    void processError(QProcess::ProcessError error);
    void signalGroup(int signal);
    bool groupAlive() const;
    void drainGroup();
    void finish(bool ok, const QString &errorTail);
    QString tail() const;

    QProcess *m_process = nullptr; // one per build; deleteLater'd after it finished
    QTimer *m_killTimer;
    QTimer *m_drainTimer;
    QElapsedTimer m_drainClock;
    qint64 m_pid = 0; // the group id: the child calls setpgid(0, 0) before exec
    QByteArray m_stderrBuffer;
    QStringList m_tail;
    QString m_output;
    QString m_program;
    QString m_step;
    int m_percent = 0;
    bool m_cancelled = false;
    bool m_reported = true; // finished() already emitted for the current build (or none ran)
};

} // namespace lambdesk::app
