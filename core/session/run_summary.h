#pragma once
/// What a finished, stopped or failed run came to: the summary `train --json` prints and
/// summary.json holds. Its "state" is "finished", "stopped" or "failed" (then "error" says why);
/// readers of older files without "state" go by "stopped" (project/run_list.h). Plain values
/// without torch behind them, so the studio's window holds it as it is.

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gps::session {

struct RunSummary {
    std::filesystem::path runDir;
    int epochs = 0;       ///< epochs completed
    bool stopped = false; ///< stopped by the user or an observer before the end
    double finalLoss = 0;
    std::optional<double> onlineProbeAcc;
    std::optional<double> linearProbeAcc;
    std::optional<double> knnAcc;
    std::optional<double> bestLinearProbeAcc; ///< the highest over all evaluation points
    std::optional<double> bestKnnAcc;         ///< the highest over all evaluation points
    std::optional<double> priorLinearProbeAcc;
    std::optional<double> priorKnnAcc;
    double imagesPerSecond = 0;
    double seconds = 0;
    std::string device; ///< "cpu (2 threads)", "cuda:0 (NVIDIA H100, bf16)"
    std::vector<std::string> warnings;
    /// Why the run failed after it claimed its folder; "" when it did not fail.
    std::string error;
};

/// The summary as the JSON object `train --json` prints.
nlohmann::json summaryToJson(const RunSummary& summary);

} // namespace gps::session
