#pragma once
// The app's one owner of the microVM guest image build ("first use"): asks the engine where the
// image stands, runs its build command with a GuestImageBuilder (which is quick when nothing
// changed and rebuilds when an input did), then makes the engine look at its sandboxes again and
// keeps the fresh availability. One per window; every screen showing the build shares it, so
// two triggers never run two builds. GUI thread only.

#include "lambdesk/engine/types.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class GuestImageBuilder;

class GuestImageController : public QObject {
    Q_OBJECT
public:
    enum class State {
        Idle,      // nothing ran in this session
        Building,  // asking the engine, then running the build command
        Probing,   // built; the engine checks the microvm sandbox (may boot a test VM)
        Ready,     // built and checked: availability() is fresh
        Failed,    // errorText() says why, with the last lines of the build's output
        Cancelled, // stopped by the user; nothing new was recorded
    };
    Q_ENUM(State)
    // Where the image stands and its build command; runs on the engine pool. The default asks
    // the engine; tests substitute a fake command.
    using InfoSource = std::function<engine::GuestImageInfo()>;

    explicit GuestImageController(engine::Engine &engine, QObject *parent = nullptr);
    void setInfoSource(InfoSource source) { m_infoSource = std::move(source); }

    // First microvm use in this session: builds, or refreshes when inputs changed. Does nothing
    // while a build runs or after one succeeded in this session.
    void ensureImage();
    // Runs the build again (Retry), unless one is running.
    void rebuild();
    // Stops a running build; the probe step cannot be interrupted and finishes on its own.
    void cancel();

    State state() const { return m_state; }
    bool isBusy() const { return m_state == State::Building || m_state == State::Probing; }
    // True when this run does real work (no image yet, or a step reported progress below 100):
    // a refresh with unchanged inputs takes a second and is not worth a banner.
    bool isNoticeable() const { return m_noticeable; }
    int percent() const { return m_percent; }
    QString step() const { return m_step; }
    QString errorText() const { return m_error; }
    // Where the engine keeps the image (from GuestImageInfo); empty until a run asked.
    QString cacheDir() const { return m_cacheDir; }
    // The sandboxes as the engine saw them after the last successful build.
    const std::vector<engine::Availability> &availability() const { return m_availability; }
    std::optional<engine::Availability> microvm() const;
    GuestImageBuilder *builder() const { return m_builder; }

signals:
    void stateChanged(lambdesk::app::GuestImageController::State state);
    void progress(int percent, const QString &step);
    void availabilityChanged();

private:
    void run();
    void startBuild(const engine::GuestImageInfo &info);
    void buildFinished(bool ok, const QString &errorTail);
    void setState(State state);

    engine::Engine &m_engine;
    InfoSource m_infoSource;
    GuestImageBuilder *m_builder;
    State m_state = State::Idle;
    bool m_noticeable = false;
    bool m_succeeded = false;
    int m_percent = 0;
    QString m_step;
    QString m_error;
    QString m_cacheDir;
    std::vector<engine::Availability> m_availability;
    int m_run = 0; // tells a stale engine answer from the current run's
};

} // namespace lambdesk::app
