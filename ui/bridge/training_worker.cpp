#include "bridge/training_worker.h"

#include "session/run_session.h"

#include <QThread>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <utility>

namespace gps::ui {

/// The state one run shares between the GUI thread and the training thread.
struct RunControl {
    CancelToken cancel;
    std::mutex mutex;
    std::condition_variable wake;
    bool paused = false; // guarded by mutex
    // What to run, handed to the training thread under `mutex` rather than captured in the queued
    // call: a hand-off through our own mutex is one ThreadSanitizer can see (Qt's queue it cannot).
    std::optional<std::pair<project::Project, session::SessionOptions>> job; // guarded by mutex
};

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStepInterval = std::chrono::milliseconds(TrainingController::kStepIntervalMs);

/// Turns the trainer's hooks into the worker's signals (queued to the GUI thread by the
/// connections), throttles steps, and holds the training thread while the run is paused.
class SignalObserver final : public train::TrainObserver {
public:
    SignalObserver(TrainingWorker& worker, RunControl& control)
        : m_worker(worker), m_control(control) {}

    bool onStep(const train::StepMetrics& metrics) override {
        const auto now = Clock::now();
        const bool last = metrics.totalSteps > 0 && metrics.step >= metrics.totalSteps;
        m_pending.push_back(metrics);
        if (!m_sentStep || last || now - m_lastStep >= kStepInterval)
            flush();
        waitWhilePaused();
        return !m_control.cancel.cancelled();
    }

    bool onEpoch(const train::EpochMetrics& metrics) override {
        flush();
        Q_EMIT m_worker.epochEnded(metrics);
        return !m_control.cancel.cancelled();
    }

    bool onEval(const train::EvalMetrics& metrics) override {
        flush();
        Q_EMIT m_worker.evaluated(metrics);
        return !m_control.cancel.cancelled();
    }

    void onMessage(const std::string& message) override {
        Q_EMIT m_worker.message(QString::fromStdString(message));
    }

    bool onPhase(const std::string& phase, double fraction) override {
        const auto now = Clock::now();
        if (phase != m_phase || fraction >= 1.0 || now - m_lastPhase >= kStepInterval) {
            m_phase = phase;
            m_lastPhase = now;
            Q_EMIT m_worker.phase(QString::fromStdString(phase), fraction);
        }
        return !m_control.cancel.cancelled();
    }

    /// Sends the steps held back since the last signal, if any.
    void flush() {
        if (m_pending.empty())
            return;
        Q_EMIT m_worker.stepped(std::exchange(m_pending, {}));
        m_sentStep = true;
        m_lastStep = Clock::now();
    }

private:
    void waitWhilePaused() {
        std::unique_lock lock(m_control.mutex);
        if (!m_control.paused || m_control.cancel.cancelled())
            return;
        flushLocked(lock);
        Q_EMIT m_worker.paused(true);
        m_control.wake.wait(lock,
                            [this] { return !m_control.paused || m_control.cancel.cancelled(); });
        lock.unlock();
        Q_EMIT m_worker.paused(false);
    }

    void flushLocked(std::unique_lock<std::mutex>& lock) {
        lock.unlock(); // the curve shows where the run paused
        flush();
        lock.lock();
    }

    TrainingWorker& m_worker;
    RunControl& m_control;
    StepBatch m_pending; // every step since the last signal: the curves keep them all
    bool m_sentStep = false;
    Clock::time_point m_lastStep;
    std::string m_phase;
    Clock::time_point m_lastPhase;
};

} // namespace

void TrainingWorker::run(const std::shared_ptr<RunControl>& control) {
    const auto job = [&] {
        std::lock_guard lock(control->mutex);
        return std::exchange(control->job, std::nullopt);
    }();
    try {
        auto [project, options] = job.value(); // start() always sets it
        // The graph the run trains with goes to the window as a value (an immutable shared
        // graph), so the Neighbours tab can show what is being trained on.
        options.onGraph = [this](const session::PriorGraphPtr& graph) { Q_EMIT graphUsed(graph); };
        SignalObserver observer(*this, *control);
        Result<session::RunSummary> result =
            session::runSession(project, options, observer, control->cancel);
        observer.flush();
        if (result.ok()) {
            Q_EMIT finished(result.value());
        } else if (result.error().code == ErrorCode::Cancelled) {
            // Stopped before training began (while embedding or building the graph).
            session::RunSummary stopped;
            stopped.runDir = options.runDir;
            stopped.stopped = true;
            Q_EMIT finished(stopped);
        } else {
            Q_EMIT failed(QString::fromStdString(result.error().message));
        }
    } catch (const std::exception& error) {
        Q_EMIT failed(QStringLiteral("Unexpected error: %1").arg(QString::fromUtf8(error.what())));
    } catch (...) {
        Q_EMIT failed(QStringLiteral("Unexpected error of an unknown kind (not a std::exception)"));
    }
}

TrainingController::TrainingController(QObject* parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new TrainingWorker) {
    qRegisterMetaType<train::StepMetrics>();
    qRegisterMetaType<StepBatch>();
    qRegisterMetaType<train::EpochMetrics>();
    qRegisterMetaType<train::EvalMetrics>();
    qRegisterMetaType<session::RunSummary>();
    qRegisterMetaType<session::PriorGraphPtr>();
    m_thread->setObjectName(QStringLiteral("gps-training"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    // The receiver lives on the GUI thread, so every forward below is a queued connection.
    connect(m_worker, &TrainingWorker::stepped, this, &TrainingController::stepped);
    connect(m_worker, &TrainingWorker::epochEnded, this, &TrainingController::epochEnded);
    connect(m_worker, &TrainingWorker::evaluated, this, &TrainingController::evaluated);
    connect(m_worker, &TrainingWorker::message, this, &TrainingController::message);
    connect(m_worker, &TrainingWorker::phase, this, &TrainingController::phase);
    connect(m_worker, &TrainingWorker::paused, this, &TrainingController::paused);
    connect(m_worker, &TrainingWorker::graphUsed, this, &TrainingController::graphUsed);
    connect(m_worker, &TrainingWorker::finished, this, [this](const session::RunSummary& outcome) {
        onEnded();
        Q_EMIT finished(outcome);
    });
    connect(m_worker, &TrainingWorker::failed, this, [this](const QString& text) {
        onEnded();
        Q_EMIT failed(text);
    });
    m_thread->start();
}

TrainingController::~TrainingController() {
    stop();
    m_thread->quit();
    m_thread->wait();
}

bool TrainingController::start(const project::Project& project,
                               const session::SessionOptions& options) {
    if (m_control)
        return false;
    auto control = std::make_shared<RunControl>();
    {
        std::lock_guard lock(control->mutex);
        control->job.emplace(project, options);
    }
    m_control = control;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, control] { worker->run(control); }, Qt::QueuedConnection);
    return true;
}

void TrainingController::pause() {
    if (!m_control)
        return;
    std::lock_guard lock(m_control->mutex);
    m_control->paused = true;
}

void TrainingController::resume() {
    if (!m_control)
        return;
    {
        std::lock_guard lock(m_control->mutex);
        m_control->paused = false;
    }
    m_control->wake.notify_all();
}

void TrainingController::stop() {
    if (!m_control)
        return;
    m_control->cancel.cancel();
    {
        // Taking the lock orders the store before a waiter's predicate check: no lost wake-up.
        std::lock_guard lock(m_control->mutex);
    }
    m_control->wake.notify_all();
}

bool TrainingController::isPaused() const {
    if (!m_control)
        return false;
    std::lock_guard lock(m_control->mutex);
    return m_control->paused;
}

void TrainingController::onEnded() {
    m_control.reset();
}

} // namespace gps::ui
