#include "session/run_summary.h"

#include <nlohmann/json.hpp>

namespace gps::session {

using nlohmann::json;

json summaryToJson(const RunSummary& summary) {
    auto optional = [](const std::optional<double>& value) {
        return value ? json(*value) : json(nullptr);
    };
    const char* state = !summary.error.empty() ? "failed"
                        : summary.stopped      ? "stopped"
                                               : "finished";
    json out{{"run_dir", summary.runDir.string()},
             {"state", state},
             {"epochs", summary.epochs},
             {"stopped", summary.stopped},
             {"final_loss", summary.finalLoss},
             {"online_probe_acc", optional(summary.onlineProbeAcc)},
             {"linear_probe_acc", optional(summary.linearProbeAcc)},
             {"knn_acc", optional(summary.knnAcc)},
             {"best_linear_probe_acc", optional(summary.bestLinearProbeAcc)},
             {"best_knn_acc", optional(summary.bestKnnAcc)},
             {"prior_linear_probe_acc", optional(summary.priorLinearProbeAcc)},
             {"prior_knn_acc", optional(summary.priorKnnAcc)},
             {"images_per_second", summary.imagesPerSecond},
             {"seconds", summary.seconds},
             {"device", summary.device},
             {"warnings", summary.warnings}};
    if (!summary.error.empty())
        out["error"] = summary.error;
    return out;
}

} // namespace gps::session
