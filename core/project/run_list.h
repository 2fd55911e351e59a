#pragma once
/// The runs of a project as the runs table lists them: each run folder (run_dir.h) read into
/// one value with its state, its project snapshot, what the user said about it (run_meta.h) and
/// the numbers a researcher compares runs by. Reading is a few small files per run; a run
/// whose summary lacks a number (running, crashed, or written by an older studio) has it
/// computed from its metrics.jsonl. Safe to call from several threads.

#include "project/run_dir.h"
#include "project/run_meta.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gps::project {

struct Project;

/// Where a run stands. A live process holding the folder's lock (run_claim.h) is Running
/// whatever the folder holds (a resumed run keeps its old summary until it ends); otherwise
/// summary.json decides: `"state": "failed"` (the run ended with an error), `"stopped": true`
/// (or `"state": "stopped"`), else Finished. No summary and no holder: the process died.
enum class RunState { Running, Finished, Stopped, Failed, Crashed };

/// "running", "finished", "stopped", "failed", "crashed".
const char* runStateName(RunState state);

/// The state of a run from its lock and its summary (nullopt: none, or none readable).
RunState runState(bool lockHeld, const std::optional<nlohmann::json>& summary);

/// What metrics.jsonl says about a run's progress, for runs whose summary does not.
struct MetricsDigest {
    std::optional<double> bestLinearProbe; ///< max of `linear_probe_acc` over evaluation lines
    std::optional<double> bestKnn;         ///< max of `knn_acc`
    int epochsDone = 0;                    ///< the last epoch line's `epoch` (epochs completed)
    std::optional<double> imagesPerSecond; ///< the last line's `images_per_second`
};
MetricsDigest digestMetrics(const std::vector<nlohmann::json>& lines);

/// One run, as the runs table shows it.
struct RunInfo {
    RunDir dir;
    std::string name;                            ///< the folder's name
    std::chrono::system_clock::time_point start; ///< from the folder name, else a file's time
    int sequence = 1;                            ///< the "-n" suffix (1 without one)
    RunState state = RunState::Crashed;
    std::optional<nlohmann::json> summary; ///< summary.json when present and readable
    std::string error;                     ///< a failed run's error, from its summary
    /// The project snapshot (project.json) when it reads; null otherwise (with a warning).
    std::shared_ptr<const Project> project;
    RunMeta meta;                          ///< run.json; empty when absent or unreadable
    std::optional<double> bestLinearProbe; ///< summary's best_linear_probe_acc, else metrics'
    std::optional<double> bestKnn;         ///< summary's best_knn_acc, else metrics'
    int epochsDone = 0;                    ///< summary's epochs, else metrics'
    std::optional<double> imagesPerSecond; ///< summary's, else the last logged
    std::string device;                    ///< summary's device ("" while running)
    /// Files that did not read (an unreadable summary.json, project.json or run.json), each
    /// naming the file; the run is listed all the same.
    std::vector<std::string> warnings;
};

/// Reads one run folder (of the project or elsewhere, e.g. a command-line run on a shared disk).
RunInfo readRunInfo(const std::filesystem::path& dir);

/// The runs under `<projectDir>/runs` (folders holding project.json or metrics.jsonl), newest
/// first. An absent runs folder is an empty list, not an error.
std::vector<RunInfo> listRuns(const std::filesystem::path& projectDir);

} // namespace gps::project
