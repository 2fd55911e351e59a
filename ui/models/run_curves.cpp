#include "models/run_curves.h"

#include "project/metrics_log.h"

namespace gps::ui {

namespace {

void take(const nlohmann::json& row, const char* key, double step, CurvePoints& into) {
    const auto it = row.find(key);
    if (it != row.end() && it->is_number())
        into.emplace_back(step, it->get<double>());
}

} // namespace

Result<RunCurves> readRunCurves(const std::filesystem::path& metricsFile) {
    auto log = project::readMetrics(metricsFile);
    if (!log)
        return log.error();
    RunCurves curves;
    for (const nlohmann::json& row : log->lines) {
        const auto step = row.find("step");
        if (step == row.end() || !step->is_number())
            continue;
        const double x = step->get<double>();
        take(row, "loss", x, curves.loss);
        take(row, "lr", x, curves.lr);
        take(row, "online_probe_acc", x, curves.onlineProbe);
        take(row, "linear_probe_acc", x, curves.linearProbe);
        take(row, "knn_acc", x, curves.knn);
    }
    return curves;
}

} // namespace gps::ui
