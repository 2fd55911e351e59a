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
#include "session/prior_graph.h"
#include "session/run_summary.h"
#include "train/observer.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gps::session {

struct SessionOptions {
    /// The run folder; empty = a new folder under `<project dir>/runs/<name>-<timestamp>`.
    std::filesystem::path runDir;
    /// Continue the run in `runDir` from its last checkpoint (same project snapshot).
    bool resume = false;
    std::filesystem::path cacheFolder; ///< embedding cache; empty = the default
    int threads = 0;                   ///< 0 = as configured by configureThreads
    /// A graph built before (the studio's Neighbours tab): the run trains with it when it was
    /// built from this run's training split with the project's prior and k_max/metric, and
    /// builds its own otherwise (the log says why). Null = build it.
    PriorGraphPtr graph;
    /// Called on the run's thread with the graph the run trains with, given or built, before
    /// the first step (so that a window can show it while the run trains).
    std::function<void(const PriorGraphPtr&)> onGraph;
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
                              train::TrainObserver& observer, const CancelToken& cancel);

} // namespace gps::session
