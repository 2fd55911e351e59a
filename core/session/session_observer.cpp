#include "session/session_observer.h"

#include "common/time_text.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>

namespace gps::session {

using nlohmann::json;

namespace {

std::string timestamp() {
    return localTimeText(std::time(nullptr), "%Y-%m-%d %H:%M:%S");
}

} // namespace

SessionObserver::SessionObserver(train::TrainObserver& forward, const project::RunDir& runDir,
                                 std::optional<std::int64_t> resumeStep, CancelToken cancel)
    : m_forward(forward), m_runDir(runDir), m_resumeStep(resumeStep), m_cancel(std::move(cancel)) {}

Status SessionObserver::open() {
    auto metrics = project::MetricsWriter::open(m_runDir.metricsFile(), m_resumeStep);
    if (!metrics)
        return metrics.error();
    m_metrics.emplace(std::move(*metrics));
    m_log.open(m_runDir.logFile(), m_resumeStep ? std::ios::app : std::ios::trunc);
    if (!m_log)
        return makeError(ErrorCode::Io, m_runDir.logFile().string() + ": cannot write");
    return Ok{};
}

bool SessionObserver::write(const json& line) {
    if (auto written = m_metrics->append(line); !written) {
        onMessage("warning: " + written.error().message);
        return false; // a run whose metrics cannot be recorded stops rather than losing them
    }
    return true;
}

bool SessionObserver::onStep(const train::StepMetrics& metrics) {
    const bool keep = write(project::stepMetricsLine(metrics));
    return m_forward.onStep(metrics) && keep;
}

bool SessionObserver::onEpoch(const train::EpochMetrics& metrics) {
    const bool keep = write(json{{"epoch", metrics.epoch},
                                 {"step", metrics.step},
                                 {"epoch_loss", metrics.meanLoss},
                                 {"epoch_seconds", metrics.seconds},
                                 {"images_per_second", metrics.imagesPerSecond}});
    return m_forward.onEpoch(metrics) && keep;
}

bool SessionObserver::onEval(const train::EvalMetrics& metrics) {
    const bool keep = write(project::evalMetricsLine(metrics));
    return m_forward.onEval(metrics) && keep;
}

void SessionObserver::onMessage(const std::string& message) {
    m_log << timestamp() << "  " << message << '\n' << std::flush;
    m_forward.onMessage(message);
}

bool SessionObserver::onPhase(const std::string& phase, double fraction) {
    return m_forward.onPhase(phase, fraction) && !m_cancel.cancelled();
}

ProgressFn SessionObserver::phase(std::string name) {
    return [this, name = std::move(name)](double fraction, std::string_view) {
        return onPhase(name, fraction);
    };
}

void SessionObserver::recordPriorBaseline(std::optional<double> linearProbeAcc,
                                          std::optional<double> knnAcc) {
    if (!linearProbeAcc && !knnAcc)
        return;
    train::EvalMetrics baseline;
    baseline.linearProbeAcc = linearProbeAcc;
    baseline.knnAcc = knnAcc;
    baseline.ofPrior = true;
    m_forward.onEval(baseline); // the window draws it as the line to pass
    if (m_resumeStep)
        return; // the resumed run's file has it already
    write(project::evalMetricsLine(baseline));
    onMessage("prior baseline: linear probe " +
              (linearProbeAcc ? std::to_string(*linearProbeAcc) : std::string("-")) + ", kNN " +
              (knnAcc ? std::to_string(*knnAcc) : std::string("-")));
}

} // namespace gps::session
