#include "report/run_curves.h"

#include "project/metrics_log.h"

#include <nlohmann/json.hpp>

namespace gps::report {

namespace {

std::optional<double> finiteNumber(const nlohmann::json& line, const char* key) {
    const auto it = line.find(key);
    if (it == line.end() || !it->is_number())
        return std::nullopt;
    const double value = it->get<double>();
    return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

} // namespace

void RunCurves::add(const nlohmann::json& line) {
    const auto step = finiteNumber(line, "step");
    if (!step)
        return;
    // Step lines carry fractional epochs and the time; evaluation lines carry epochs completed.
    const auto epochs = finiteNumber(line, "epochs");
    const auto epoch = finiteNumber(line, "epoch");
    if (const auto seconds = finiteNumber(line, "time"))
        m_lastSeconds = *seconds;
    m_lastStep = std::max(m_lastStep, *step);
    CurvePoint at{
        .step = *step, .epochs = epochs.value_or(epoch.value_or(0)), .seconds = m_lastSeconds};
    const auto take = [&](const char* key, Curve& into) {
        if (const auto value = finiteNumber(line, key)) {
            at.value = *value;
            into.push_back(at);
        }
    };
    take("loss", loss);
    take("lr", lr);
    take("online_probe_acc", onlineProbe);
    take("images_per_second", imagesPerSecond);
    take("linear_probe_acc", linearProbe);
    take("knn_acc", knn);
    if (const auto prior = finiteNumber(line, "prior_linear_probe_acc"))
        priorLinearProbe = prior;
    if (const auto prior = finiteNumber(line, "prior_knn_acc"))
        priorKnn = prior;
}

bool RunCurves::empty() const {
    return loss.empty() && lr.empty() && onlineProbe.empty() && imagesPerSecond.empty() &&
           linearProbe.empty() && knn.empty() && !priorLinearProbe && !priorKnn;
}

Result<RunCurves> readRunCurves(const std::filesystem::path& metricsFile) {
    auto log = project::readMetrics(metricsFile);
    if (!log)
        return log.error();
    RunCurves curves;
    for (const nlohmann::json& line : log->lines)
        curves.add(line);
    return curves;
}

std::vector<NamedCurve> namedCurves(const RunCurves& curves) {
    return {{"loss", "Loss", &curves.loss},
            {"lr", "Learning rate", &curves.lr},
            {"online_probe_acc", "Online probe", &curves.onlineProbe},
            {"images_per_second", "Images per second", &curves.imagesPerSecond},
            {"linear_probe_acc", "Linear probe", &curves.linearProbe},
            {"knn_acc", "kNN", &curves.knn}};
}

} // namespace gps::report
