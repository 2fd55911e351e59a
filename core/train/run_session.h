#pragma once
/// One training run of a project, start to end, shared by `gps-studio-cli train` and the studio's
/// training panel: open the dataset, compute the prior's embedding (cached), build the kNN graph
/// and the positive sampler, probe the prior once, train with the trainer, evaluate, and write
/// the run folder (core/project/run_dir.h). Runs on the caller's thread; reports through the
/// observer; stops within one step when `cancel` is set.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "project/project.h"
#include "train/observer.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gps::train {

struct SessionOptions {
    /// The run folder; empty = a new folder under `<project dir>/runs/<name>-<timestamp>`.
    std::filesystem::path runDir;
    /// Continue the run in `runDir` from its last checkpoint (same project snapshot).
    bool resume = false;
    std::filesystem::path cacheFolder;    ///< embedding cache; empty = the default
    int threads = 0;                      ///< 0 = as configured by configureThreads
};

/// The summary `train --json` prints (docs/design.md §5) and summary.json holds.
struct RunSummary {
    std::filesystem::path runDir;
    int epochs = 0;                       ///< epochs completed
    bool stopped = false;                 ///< stopped by the user or an observer before the end
    double finalLoss = 0;
    std::optional<double> onlineProbeAcc;
    std::optional<double> linearProbeAcc;
    std::optional<double> knnAcc;
    std::optional<double> priorLinearProbeAcc;
    std::optional<double> priorKnnAcc;
    double imagesPerSecond = 0;
    double seconds = 0;
    std::string device;                   ///< "cpu (2 threads)", "cuda:0 (NVIDIA H100, bf16)"
    std::vector<std::string> warnings;
};

struct OpenedSplits {
    data::DatasetPtr train;
    data::DatasetPtr test; ///< labelled test split, or null (no offline evaluation)
    std::vector<std::string> warnings;
};

/// The training split and, when both are labelled, the test split of a project's dataset.
Result<OpenedSplits> openProjectSplits(const project::DatasetSection& section);

/// Runs (or resumes) the project. Errors: InvalidInput/NotFound/Corrupt for bad inputs (named),
/// Cancelled is NOT an error: a stopped run returns its summary with stopped = true and a
/// checkpoint to resume from. A NaN/Inf loss is an error (Internal is wrong: InvalidInput with
/// "loss became NaN at epoch E step S; the last good checkpoint is kept in DIR").
Result<RunSummary> runSession(const project::Project& project, const SessionOptions& options,
                              TrainObserver& observer, const CancelToken& cancel);

/// The summary as the JSON object `train --json` prints.
nlohmann::json summaryToJson(const RunSummary& summary);

} // namespace gps::train
