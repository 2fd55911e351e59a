#pragma once
/// Runs one-shot work (open a dataset, make thumbnails, augment a large image) on the studio's
/// one shared thread pool and hands the outcome back to the GUI thread as queued signals carrying
/// values only. Each runner bounds how many of its own jobs run at once and queues the rest, so
/// the panels together never start more threads than the shared pool holds.
///
/// The work receives a JobContext: its ProgressFn is throttled and thread-safe, its CancelToken
/// is set directly by cancel() (an atomic store, not a queued slot), so a busy worker sees it at
/// once. Every exception the work throws is caught and reported through failed() with its
/// message; expected failures come back as a Result error and are reported the same way.

#include "common/progress.h"
#include "common/result.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QVariant>

#include <deque>
#include <functional>
#include <memory>

namespace gps::ui {

struct JobContext {
    ProgressFn progress; ///< returns false once the job is cancelled
    CancelToken cancel;
};

/// The work of one job. Runs on a pool thread: it must only read shared data that is safe to read
/// from several threads, and return values (no pointers into GUI objects).
using JobWork = std::function<Result<QVariant>(const JobContext&)>;

class JobRunner : public QObject {
    Q_OBJECT

public:
    /// `maxThreads` bounds how many of this runner's jobs run at once (0 = one per core); the
    /// others wait in this runner's queue, in the order started.
    explicit JobRunner(QObject* parent = nullptr, int maxThreads = 0);
    /// Cancels every job, drops the queued ones and waits for the running ones to end; their
    /// outcomes are dropped.
    ~JobRunner() override;

    /// The pool every runner's jobs run on: one per core, and at least four, so that one long
    /// job (a prior's graph) leaves room for the short ones the window waits on (thumbnails).
    static QThreadPool& sharedPool();

    /// Starts `work` and returns its id; exactly one of succeeded/failed/cancelled follows.
    quint64 start(JobWork work);
    /// Asks job `id` to stop; it ends with cancelled() unless it had already produced a result.
    void cancel(quint64 id);
    void cancelAll();

    /// True from start() until the job's outcome is delivered (queued or running).
    bool isRunning(quint64 id) const { return m_running.contains(id); }
    int runningCount() const { return int(m_running.size()); }
    /// Jobs of this runner waiting for a free slot.
    int queuedCount() const { return int(m_queue.size()); }

Q_SIGNALS:
    void progressed(quint64 id, double fraction, const QString& message);
    void succeeded(quint64 id, const QVariant& value);
    void failed(quint64 id, const QString& message);
    void cancelled(quint64 id);

private:
    struct Outcome;
    struct InFlight;
    void deliver(quint64 id, const Outcome& outcome);
    void launch(std::function<void()> body);

    int m_maxThreads;
    std::shared_ptr<InFlight> m_inFlight;      // counted by the pool threads
    std::deque<std::function<void()>> m_queue; // GUI thread only
    int m_active = 0;                          // launched and not yet delivered; GUI thread
    QHash<quint64, CancelToken> m_running;     // GUI thread only
    quint64 m_nextId = 1;
};

} // namespace gps::ui
