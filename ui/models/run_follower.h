#pragma once
/// Follows runs that are still training, in this process or another (a command-line run, a
/// run on a shared disk): every interval (500 ms) it reads what each followed metrics.jsonl
/// gained since the last look (project::MetricsTail, new bytes only) into that run's curves,
/// and says when a run's process no longer holds its folder's lock (it ended, one way or
/// another). GUI thread only; the files are small appends, read on the timer.

#include "models/run_curves.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <map>
#include <memory>

namespace gps::ui {

class RunFollower : public QObject {
    Q_OBJECT

public:
    explicit RunFollower(QObject* parent = nullptr);
    ~RunFollower() override;

    /// Starts following run `id` in `folder`: what its metrics.jsonl holds now is read at once
    /// (curvesChanged), the rest as it comes. Following it already, nothing changes.
    void follow(const QString& id, const QString& folder);
    void unfollow(const QString& id);
    bool isFollowing(const QString& id) const;
    /// The curves read so far; null when `id` is not followed.
    const report::RunCurves* curves(const QString& id) const;
    void setInterval(int milliseconds) { m_timer.setInterval(milliseconds); }

    /// Reads every followed run once (what the timer does).
    void pollNow();

Q_SIGNALS:
    /// Run `id`'s curves grew, or were read again from the start (a resumed run rewrote them).
    void curvesChanged(const QString& id, const gps::report::RunCurves& curves);
    /// Run `id`'s process let go of its folder; it is no longer followed.
    void ended(const QString& id);
    void warning(const QString& message);

private:
    struct Followed;
    /// Reads what is new; true when the curves changed.
    bool poll(Followed& run);

    std::map<QString, std::unique_ptr<Followed>> m_runs;
    QTimer m_timer;
};

} // namespace gps::ui
