#include "models/run_follower.h"

#include "project/metrics_log.h"
#include "project/run_claim.h"
#include "project/run_dir.h"

#include <vector>

namespace gps::ui {

namespace {
constexpr int kPollMs = 500;
}

struct RunFollower::Followed {
    std::filesystem::path folder;
    project::MetricsTail tail;
    report::RunCurves curves;
};

RunFollower::RunFollower(QObject* parent) : QObject(parent) {
    m_timer.setInterval(kPollMs);
    connect(&m_timer, &QTimer::timeout, this, &RunFollower::pollNow);
}

RunFollower::~RunFollower() = default;

void RunFollower::follow(const QString& id, const QString& folder) {
    if (isFollowing(id))
        return;
    const std::filesystem::path path(folder.toStdString());
    auto run = std::make_unique<Followed>(
        Followed{path, project::MetricsTail(project::RunDir{path}.metricsFile()), {}});
    poll(*run);
    const report::RunCurves curves = run->curves;
    m_runs.emplace(id, std::move(run));
    if (!m_timer.isActive())
        m_timer.start();
    Q_EMIT curvesChanged(id, curves);
}

void RunFollower::unfollow(const QString& id) {
    m_runs.erase(id);
    if (m_runs.empty())
        m_timer.stop();
}

bool RunFollower::isFollowing(const QString& id) const {
    return m_runs.count(id) > 0;
}

const report::RunCurves* RunFollower::curves(const QString& id) const {
    const auto it = m_runs.find(id);
    return it == m_runs.end() ? nullptr : &it->second->curves;
}

bool RunFollower::poll(Followed& run) {
    auto update = run.tail.poll();
    if (!update) {
        if (update.error().code != ErrorCode::NotFound) // not logged yet is no problem
            Q_EMIT warning(QString::fromStdString(update.error().message));
        return false;
    }
    for (const std::string& line : update->warnings)
        Q_EMIT warning(QString::fromStdString(line));
    if (update->restarted)
        run.curves = {};
    for (const nlohmann::json& line : update->lines)
        run.curves.add(line);
    return update->restarted || !update->lines.empty();
}

void RunFollower::pollNow() {
    std::vector<std::pair<QString, report::RunCurves>> grown;
    std::vector<QString> finished;
    for (auto& [id, run] : m_runs) {
        // The lock first: lines written before the process let go are read by this poll.
        const bool live = project::runLockHolder(run->folder).has_value();
        if (poll(*run))
            grown.emplace_back(id, run->curves);
        if (!live)
            finished.push_back(id);
    }
    for (const QString& id : finished)
        unfollow(id);
    // Signals last: a receiver may follow or unfollow runs.
    for (const auto& [id, curves] : grown)
        Q_EMIT curvesChanged(id, curves);
    for (const QString& id : finished)
        Q_EMIT ended(id);
}

} // namespace gps::ui
