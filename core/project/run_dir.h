#pragma once
/// The run folder (docs/design.md §6): what one training run leaves on disk (the project's list of
/// runs is run_list.h). Layout of `<project dir>/runs/<name>-YYYYMMDD-HHMMSS[-n]/`:
///
///   project.json           the project snapshot the run used (project.h, complete)
///   metrics.jsonl          one JSON object per logged step/epoch (MetricsWriter)
///   checkpoint.pt          model, optimiser, probe and counters (core/train), written atomically
///   backbone.pt            the final backbone as TorchScript (torch.jit.load reads it)
///   backbone.json          how backbone.pt is fed: input_size, input_channels, mean, std
///                          (read by core/priors/run_backbone.h, so `run:DIR` is a prior)
///   summary.json           the run's summary (session::summaryToJson), written at the end
///   run.json               the user's name and note for the run (run_meta.h)
///   train_embeddings.npy   final backbone features of the training split, rows × d float32
///   test_embeddings.npy    the same for the test split (when there is one)
///   log.txt                the run's log lines
///   .lock                  held (flock) by the process running the run; names it (run_claim.h)
///
/// Every file that replaces another is written atomically (temp file, fsync, rename, fsync of
/// the folder); metrics.jsonl is appended line by line and flushed after each line, and cut back
/// to the checkpoint's step when a run resumes. Functions touch only the named files and
/// are safe to call from several threads on different runs.

#include "common/result.h"
#include "priors/embedding.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gps::project {

struct Project;

/// A run folder and the paths of what it holds. A value; building one touches no file.
struct RunDir {
    std::filesystem::path path;

    std::filesystem::path projectFile() const { return path / "project.json"; }
    std::filesystem::path metricsFile() const { return path / "metrics.jsonl"; }
    std::filesystem::path checkpointFile() const { return path / "checkpoint.pt"; }
    std::filesystem::path backboneFile() const { return path / "backbone.pt"; }
    std::filesystem::path backboneSettingsFile() const { return path / "backbone.json"; }
    std::filesystem::path summaryFile() const { return path / "summary.json"; }
    std::filesystem::path trainEmbeddingsFile() const { return path / "train_embeddings.npy"; }
    std::filesystem::path testEmbeddingsFile() const { return path / "test_embeddings.npy"; }
    std::filesystem::path logFile() const { return path / "log.txt"; }
    std::filesystem::path metaFile() const { return path / "run.json"; }
};

/// `<projectDir>/runs`.
std::filesystem::path runsFolder(const std::filesystem::path& projectDir);
/// The folder a project's runs go under: its file's folder, or the current folder for a
/// project built in code (no file).
std::filesystem::path projectFolder(const Project& project);
/// `name` made safe as a folder name: characters other than ASCII letters, digits, '.', '-'
/// and '_' become '-'; "" (or only dots) becomes "run".
std::string runFolderStem(const std::string& name);

/// Creates a new, empty `<projectDir>/runs/<stem>-YYYYMMDD-HHMMSS` (local time of `start`),
/// appending "-2", "-3", … when that folder exists: it never reuses a folder, even when two
/// runs start in the same second (creation is the claim). Io naming the folder on failure.
/// A run takes its folder through run_claim.h, which also locks it.
Result<RunDir>
createRunDir(const std::filesystem::path& projectDir, const std::string& name,
             std::chrono::system_clock::time_point start = std::chrono::system_clock::now());
/// An existing run (resume, eval, run: prior): NotFound when the folder or its project.json
/// is missing.
Result<RunDir> openRunDir(const std::filesystem::path& dir);

/// Writes the project snapshot (saveProject to project.json).
Status writeProjectSnapshot(const RunDir& run, const Project& project);
/// backbone.json with input_size, input_channels, mean and std (per channel, [0,1] units).
Status writeBackboneSettings(const std::filesystem::path& dir, int inputSize, int inputChannels,
                             const std::vector<float>& mean, const std::vector<float>& std);
/// summary.json (a JSON object), written atomically.
Status writeSummary(const RunDir& run, const nlohmann::json& summary);
/// summary.json: NotFound when the run has none (not finished); InvalidInput naming the file
/// when it is not a JSON object.
Result<nlohmann::json> readSummary(const std::filesystem::path& runDir);

/// An embedding as a rows × dim float32 .npy file (numpy.load reads it), written atomically.
Status writeEmbeddings(const std::filesystem::path& file, const priors::Embedding& embedding);
/// Reads what writeEmbeddings wrote; InvalidInput naming the file unless 2-D float32.
Result<priors::Embedding> readEmbeddings(const std::filesystem::path& file);

} // namespace gps::project
