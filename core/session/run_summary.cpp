#include "session/run_summary.h"

#include <nlohmann/json.hpp>

namespace gps::session {

using nlohmann::json;

json summaryToJson(const RunSummary& summary) {
    auto optional = [](const std::optional<double>& value) {
        return value ? json(*value) : json(nullptr);
    };
    return json{{"run_dir", summary.runDir.string()},
                {"epochs", summary.epochs},
                {"stopped", summary.stopped},
                {"final_loss", summary.finalLoss},
                {"online_probe_acc", optional(summary.onlineProbeAcc)},
                {"linear_probe_acc", optional(summary.linearProbeAcc)},
                {"knn_acc", optional(summary.knnAcc)},
                {"prior_linear_probe_acc", optional(summary.priorLinearProbeAcc)},
                {"prior_knn_acc", optional(summary.priorKnnAcc)},
                {"images_per_second", summary.imagesPerSecond},
                {"seconds", summary.seconds},
                {"device", summary.device},
                {"warnings", summary.warnings}};
}

} // namespace gps::session
