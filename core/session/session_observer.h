#pragma once
/// The observer runSession puts between the trainer and the caller's observer: it writes every
/// report to the run folder (metrics.jsonl lines, log.txt) and forwards it unchanged, so the
/// file and the window show the same numbers. Also turns phases outside the step loop into
/// ProgressFns that the cancel token can stop.

#include "common/progress.h"
#include "common/result.h"
#include "project/metrics_log.h"
#include "project/run_dir.h"
#include "train/observer.h"

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>

namespace gps::session {

class SessionObserver final : public train::TrainObserver {
public:
    /// `resumeStep`: the step of the checkpoint a resumed run continues from; the run's files
    /// are continued instead of started.
    SessionObserver(train::TrainObserver& forward, const project::RunDir& runDir,
                    std::optional<std::int64_t> resumeStep, CancelToken cancel);
    /// Opens metrics.jsonl and log.txt; Io naming the file when they cannot be written. On a
    /// resume, metrics.jsonl is first cut back to the checkpoint's step: the steps a killed run
    /// logged after its last checkpoint are trained again and must appear once.
    Status open();

    bool onStep(const train::StepMetrics& metrics) override;
    bool onEpoch(const train::EpochMetrics& metrics) override;
    bool onEval(const train::EvalMetrics& metrics) override;
    void onMessage(const std::string& message) override;
    bool onPhase(const std::string& phase, double fraction) override;

    /// A ProgressFn for a phase ("prior and neighbours") that reports through onPhase and stops
    /// when the run is cancelled.
    ProgressFn phase(std::string name);
    /// One metrics line with the prior's probe accuracies (epoch 0, step 0; a resumed run's
    /// file has it already), and an onEval with `ofPrior` set for the caller's observer.
    void recordPriorBaseline(std::optional<double> linearProbeAcc, std::optional<double> knnAcc);

private:
    bool write(const nlohmann::json& line);

    train::TrainObserver& m_forward;
    project::RunDir m_runDir;
    std::optional<std::int64_t> m_resumeStep;
    CancelToken m_cancel;
    std::optional<project::MetricsWriter> m_metrics;
    std::ofstream m_log;
};

} // namespace gps::session
