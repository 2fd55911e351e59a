#pragma once
/// What a finished (or stopped) run came to: the summary `train --json` prints and summary.json
/// holds. Plain values without torch behind them, so the studio's window holds it as it is.

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
    std::optional<double> priorLinearProbeAcc;
    std::optional<double> priorKnnAcc;
    double imagesPerSecond = 0;
    double seconds = 0;
    std::string device; ///< "cpu (2 threads)", "cuda:0 (NVIDIA H100, bf16)"
    std::vector<std::string> warnings;
};

/// The summary as the JSON object `train --json` prints.
nlohmann::json summaryToJson(const RunSummary& summary);

} // namespace gps::session
