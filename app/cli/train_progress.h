#pragma once
/// The observer `train` and `bench train` print through: one progress line on stderr per logged
/// step (rewritten in place on a terminal), a line per epoch and evaluation, and the session's
/// messages. Ctrl-C stops the run at the next step through the cancel token it installs.

#include "common/progress.h"
#include "train/observer.h"

#include <string>

namespace gps::cli {

class TrainProgress final : public train::TrainObserver {
public:
    /// `quiet`: only errors and the final JSON (the bench runs many short trainings).
    explicit TrainProgress(bool quiet = false) : m_quiet(quiet) {}

    bool onStep(const train::StepMetrics& metrics) override;
    bool onEpoch(const train::EpochMetrics& metrics) override;
    bool onEval(const train::EvalMetrics& metrics) override;
    void onMessage(const std::string& message) override;
    bool onPhase(const std::string& phase, double fraction) override;

private:
    bool m_quiet;
    std::string m_lastPhase;
};

/// A token cancelled by SIGINT/SIGTERM until the returned guard is destroyed, so Ctrl-C ends a
/// run cleanly (checkpoint written, summary printed with "stopped": true).
class InterruptCancels {
public:
    InterruptCancels();
    ~InterruptCancels();
    InterruptCancels(const InterruptCancels&) = delete;
    InterruptCancels& operator=(const InterruptCancels&) = delete;
    const CancelToken& token() const { return m_token; }

private:
    CancelToken m_token;
};

} // namespace gps::cli
