#include "bridge/job_runner.h"

#include <QtConcurrent/QtConcurrentRun>

#include <chrono>
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

struct JobRunner::Outcome {
    enum class Kind { Succeeded, Failed, Cancelled } kind = Kind::Failed;
    QVariant value;
    QString message;
};

JobRunner::JobRunner(QObject* parent, int maxThreads) : QObject(parent) {
    if (maxThreads > 0)
        m_pool.setMaxThreadCount(maxThreads);
}

JobRunner::~JobRunner() {
    cancelAll();
    // Workers post their outcome to this object; events posted to a dying QObject are discarded.
    m_pool.waitForDone();
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
            Result<QVariant> result = work(context);
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
    (void)QtConcurrent::run(&m_pool, std::move(body));
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
