#include "bridge/job_runner.h"

#include <QtConcurrent/QtConcurrentRun>

#include <QThread>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>

namespace gps::ui {

namespace {

// Progress reaches the GUI at most this often: a tight loop must not flood the event queue.
constexpr auto kProgressInterval = std::chrono::milliseconds(50);

struct ProgressThrottle {
    std::mutex mutex;
    std::chrono::steady_clock::time_point last{};
};

} // namespace

// The pool threads' count of this runner's bodies still running, which the destructor waits
// for: a body posts its outcome to the runner, so the runner must outlive it.
struct JobRunner::InFlight {
    std::mutex mutex;
    std::condition_variable idle;
    int count = 0;
};

struct JobRunner::Outcome {
    enum class Kind { Succeeded, Failed, Cancelled } kind = Kind::Failed;
    QVariant value;
    QString message;
};

QThreadPool& JobRunner::sharedPool() {
    static QThreadPool pool;
    static const bool sized = [] {
        pool.setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
        return true;
    }();
    (void)sized;
    return pool;
}

JobRunner::JobRunner(QObject* parent, int maxThreads)
    : QObject(parent),
      m_maxThreads(maxThreads > 0 ? maxThreads : std::max(1, QThread::idealThreadCount())),
      m_inFlight(std::make_shared<InFlight>()) {}

JobRunner::~JobRunner() {
    cancelAll();
    m_queue.clear();
    // Bodies post their outcome to this object before they leave the count; events posted to a
    // dying QObject are discarded.
    std::unique_lock lock(m_inFlight->mutex);
    m_inFlight->idle.wait(lock, [this] { return m_inFlight->count == 0; });
}

void JobRunner::launch(std::function<void()> body) {
    ++m_active;
    {
        const std::lock_guard lock(m_inFlight->mutex);
        ++m_inFlight->count;
    }
    (void)QtConcurrent::run(&sharedPool(), [inFlight = m_inFlight, body = std::move(body)] {
        body();
        const std::lock_guard lock(inFlight->mutex);
        if (--inFlight->count == 0)
            inFlight->idle.notify_all();
    });
}

quint64 JobRunner::start(JobWork work) {
    const quint64 id = m_nextId++;
    const CancelToken token;
    m_running.insert(id, token);

    auto throttle = std::make_shared<ProgressThrottle>();
    JobContext context;
    context.cancel = token;
    context.progress = [this, id, token, throttle](double fraction, std::string_view message) {
        if (token.cancelled())
            return false;
        const auto now = std::chrono::steady_clock::now();
        {
            const std::lock_guard lock(throttle->mutex);
            if (fraction < 1.0 && now - throttle->last < kProgressInterval)
                return true;
            throttle->last = now;
        }
        const QString text = QString::fromUtf8(message.data(), qsizetype(message.size()));
        QMetaObject::invokeMethod(
            this, [this, id, fraction, text] { Q_EMIT progressed(id, fraction, text); },
            Qt::QueuedConnection);
        return true;
    };

    auto body = [this, id, work = std::move(work), context]() {
        Outcome outcome;
        try {
            // A job cancelled while it waited in the queue does not start.
            Result<QVariant> result = context.cancel.cancelled()
                                          ? Result<QVariant>(makeError(ErrorCode::Cancelled, ""))
                                          : work(context);
            if (context.cancel.cancelled() ||
                (!result.ok() && result.error().code == ErrorCode::Cancelled)) {
                outcome.kind = Outcome::Kind::Cancelled;
            } else if (result.ok()) {
                outcome.kind = Outcome::Kind::Succeeded;
                outcome.value = std::move(result).value();
            } else {
                outcome.message = QString::fromStdString(result.error().message);
            }
        } catch (const std::exception& error) {
            outcome.message =
                QStringLiteral("Unexpected error: %1").arg(QString::fromUtf8(error.what()));
        } catch (...) {
            outcome.message =
                QStringLiteral("Unexpected error of an unknown kind (not a std::exception)");
        }
        QMetaObject::invokeMethod(
            this, [this, id, outcome] { deliver(id, outcome); }, Qt::QueuedConnection);
    };
    if (m_active < m_maxThreads)
        launch(std::move(body));
    else
        m_queue.push_back(std::move(body));
    return id;
}

void JobRunner::cancel(quint64 id) {
    const auto it = m_running.constFind(id);
    if (it != m_running.constEnd())
        it->cancel();
}

void JobRunner::cancelAll() {
    for (const CancelToken& token : std::as_const(m_running))
        token.cancel();
}

void JobRunner::deliver(quint64 id, const Outcome& outcome) {
    m_running.remove(id);
    --m_active;
    if (!m_queue.empty()) {
        auto next = std::move(m_queue.front());
        m_queue.pop_front();
        launch(std::move(next));
    }
    switch (outcome.kind) {
    case Outcome::Kind::Succeeded:
        Q_EMIT succeeded(id, outcome.value);
        break;
    case Outcome::Kind::Failed:
        Q_EMIT failed(id, outcome.message);
        break;
    case Outcome::Kind::Cancelled:
        Q_EMIT cancelled(id);
        break;
    }
}

} // namespace gps::ui
