#include "guestimagecontroller.h"

#include "async.h"
#include "guestimagebuilder.h"

#include "lambdesk/engine/engine.h"

#include <QStringList>

namespace lambdesk::app {

GuestImageController::GuestImageController(engine::Engine &engine, QObject *parent)
    : QObject(parent), m_engine(engine), m_builder(new GuestImageBuilder(this))
{
    engine::Engine *e = &m_engine;
    m_infoSource = [e] { return e->guestImage(); };
    connect(m_builder, &GuestImageBuilder::progress, this, [this](int percent, const QString &text) {
        m_percent = percent;
        m_step = text;
        // The quick path of the build script prints only its final 100; anything below means
        // a kernel or root image is really being built.
        if (percent < 100 && !m_noticeable) {
            m_noticeable = true;
            emit stateChanged(m_state);
        }
        emit progress(percent, text);
    });
    connect(m_builder, &GuestImageBuilder::finished, this, &GuestImageController::buildFinished);
}

std::optional<engine::Availability> GuestImageController::microvm() const
{
    for (const engine::Availability &backend : m_availability) {
        if (backend.id == "microvm")
            return backend;
    }
    return std::nullopt;
}

void GuestImageController::ensureImage()
{
    if (isBusy() || m_succeeded)
        return;
    run();
}

void GuestImageController::rebuild()
{
    if (!isBusy())
        run();
}

void GuestImageController::cancel()
{
    if (m_state != State::Building)
        return;
    if (m_builder->isRunning()) {
        m_builder->cancel(); // finished() follows and lands in buildFinished
        return;
    }
    ++m_run; // still asking the engine: drop its answer
    m_error = QStringLiteral("The build was cancelled.");
    setState(State::Cancelled);
}

void GuestImageController::run()
{
    const int runId = ++m_run;
    m_noticeable = false;
    m_percent = 0;
    m_step = QStringLiteral("Checking the guest image");
    m_error.clear();
    setState(State::Building);
    runAsync(this, m_infoSource, [this, runId](const engine::GuestImageInfo &info) {
        if (runId == m_run && m_state == State::Building)
            startBuild(info);
    });
}

void GuestImageController::startBuild(const engine::GuestImageInfo &info)
{
    m_cacheDir = QString::fromStdString(info.cacheDir);
    if (!info.built && !m_noticeable) {
        m_noticeable = true;
        m_step = QStringLiteral("Starting the build");
        emit stateChanged(m_state);
    }
    QStringList command;
    for (const std::string &argument : info.buildCommand)
        command << QString::fromStdString(argument);
    if (!m_builder->start(command)) {
        m_error = QStringLiteral("The engine has no command to build the guest image.");
        setState(State::Failed);
    }
}

void GuestImageController::buildFinished(bool ok, const QString &errorTail)
{
    if (!ok) {
        m_error = errorTail;
        // A failed refresh leaves the previous image recorded: the engine keeps using it.
        setState(m_builder->wasCancelled() ? State::Cancelled : State::Failed);
        return;
    }
    m_percent = 100;
    m_step = QStringLiteral("Checking the microvm sandbox with the new image");
    setState(State::Probing);
    // sandboxAvailability() may boot a test microVM (seconds, minutes under TCG): off the GUI thread.
    engine::Engine *engine = &m_engine;
    const int runId = m_run;
    runAsync(this, [engine] {
        engine->rescanSandboxes();
        return engine->sandboxAvailability();
    }, [this, runId](std::vector<engine::Availability> availability) {
        if (runId != m_run)
            return;
        m_availability = std::move(availability);
        m_succeeded = true;
        emit availabilityChanged();
        setState(State::Ready);
    });
}

void GuestImageController::setState(State state)
{
    m_state = state;
    emit stateChanged(state);
}

} // namespace lambdesk::app
