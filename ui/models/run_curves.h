#pragma once
/// The curves of one run as plain values: what the live plots draw while a run trains and what
/// the runs list overlays from an earlier run's metrics.jsonl. x is the global optimiser step.

#include "common/result.h"

#include <QMetaType>

#include <filesystem>
#include <utility>
#include <vector>

namespace gps::ui {

using CurvePoints = std::vector<std::pair<double, double>>; ///< (step, value), step ascending

struct RunCurves {
    CurvePoints loss;
    CurvePoints lr;
    CurvePoints onlineProbe; ///< online classifier's accuracy in [0, 1]
    CurvePoints linearProbe; ///< offline linear probe on the test split, at evaluation points
    CurvePoints knn;         ///< weighted kNN on the test split, at evaluation points
    bool empty() const {
        return loss.empty() && lr.empty() && onlineProbe.empty() && linearProbe.empty() &&
               knn.empty();
    }
};

/// Reads a run's metrics.jsonl through project::readMetrics (core/project/metrics_log.h): one
/// JSON object per line with `epoch`, `step` and the values logged then (`loss`, `lr`,
/// `online_probe_acc`; at evaluation points `linear_probe_acc`, `knn_acc`). Its errors as they
/// are (NotFound, or InvalidInput naming the file and line); a torn last line is skipped.
Result<RunCurves> readRunCurves(const std::filesystem::path& metricsFile);

} // namespace gps::ui

Q_DECLARE_METATYPE(gps::ui::RunCurves)
