#pragma once
/// Training on the studio's one long-lived training thread (docs/design.md §4, Qt's worker-object
/// example). TrainingController lives on the GUI thread and owns a QThread with a TrainingWorker
/// in it; start() hands a copy of the project to the worker, which runs session::runSession there.
///
/// The observer hooks become queued signals carrying plain values only (train::StepMetrics,
/// EpochMetrics, EvalMetrics from the torch-free observer.h, and session::RunSummary), delivered
/// on the GUI thread. Steps are batched at the source: at most one step signal per ~100 ms, each
/// carrying every step since the previous one (the curves draw all of them; the first and the
/// last step go at once); epochs, evaluations, messages and the outcome always go.
///
/// Pause makes the training thread wait inside onStep on a condition variable until resume() or
/// stop(). stop() sets the run's CancelToken directly from the calling thread (an atomic store,
/// not a queued slot) and wakes a paused run; the run ends within one step with stopped = true.
/// The worker body catches every exception and reports it through failed().

#include "session/prior_graph.h"
#include "session/run_summary.h"
#include "train/observer.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace gps::project {
struct Project;
}
namespace gps::session {
struct SessionOptions;
}

namespace gps::ui {

struct RunControl;
/// The steps one `stepped` signal carries, in order.
using StepBatch = std::vector<train::StepMetrics>;

/// Lives on the training thread; only TrainingController creates and drives it.
class TrainingWorker : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    /// Runs the session `control` holds on the calling thread (the training thread) and emits
    /// the outcome.
    void run(const std::shared_ptr<RunControl>& control);

Q_SIGNALS:
    void stepped(const gps::ui::StepBatch& steps);
    void epochEnded(const gps::train::EpochMetrics& metrics);
    void evaluated(const gps::train::EvalMetrics& metrics);
    void message(const QString& line);
    void phase(const QString& name, double fraction);
    void paused(bool isPaused);
    void graphUsed(const gps::session::PriorGraphPtr& graph);
    void finished(const gps::session::RunSummary& outcome);
    void failed(const QString& message);
};

class TrainingController : public QObject {
    Q_OBJECT

public:
    /// Minimum time between two step signals (the first and last steps always go at once); each
    /// signal carries every step since the previous one.
    static constexpr int kStepIntervalMs = 100;

    explicit TrainingController(QObject* parent = nullptr);
    /// Stops a running session, wakes it if paused, and joins the thread.
    ~TrainingController() override;

    /// Starts a run on the training thread; false (nothing started) while one is running.
    bool start(const project::Project& project, const session::SessionOptions& options);
    /// The training thread waits at its next step until resume() or stop(). GUI thread.
    void pause();
    void resume();
    /// Asks the run to stop (atomic, seen within one step) and wakes it when paused.
    void stop();

    /// True from start() until finished or failed has been delivered.
    bool isRunning() const { return m_control != nullptr; }
    bool isPaused() const;
    /// The thread the sessions run on (tests).
    QThread* trainingThread() const { return m_thread; }

Q_SIGNALS:
    void stepped(const gps::ui::StepBatch& steps);
    void epochEnded(const gps::train::EpochMetrics& metrics);
    void evaluated(const gps::train::EvalMetrics& metrics);
    void message(const QString& line);
    void phase(const QString& name, double fraction);
    /// The training thread is now waiting (true) or running again (false).
    void paused(bool isPaused);
    /// The graph the run trains with (the one it was given, or the one it built), before its
    /// first step.
    void graphUsed(const gps::session::PriorGraphPtr& graph);
    /// The run ended, completed or stopped (outcome.stopped); the summary is in the run folder.
    void finished(const gps::session::RunSummary& outcome);
    /// The run could not start or broke: the reason, verbatim (names the key or file).
    void failed(const QString& message);

private:
    void onEnded();

    QThread* m_thread = nullptr;
    TrainingWorker* m_worker = nullptr;
    std::shared_ptr<RunControl> m_control; // GUI thread only; null when idle
};

} // namespace gps::ui

Q_DECLARE_METATYPE(gps::train::StepMetrics)
Q_DECLARE_METATYPE(gps::ui::StepBatch)
Q_DECLARE_METATYPE(gps::train::EpochMetrics)
Q_DECLARE_METATYPE(gps::train::EvalMetrics)
Q_DECLARE_METATYPE(gps::session::RunSummary)
Q_DECLARE_METATYPE(gps::session::PriorGraphPtr)
