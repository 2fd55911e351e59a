#pragma once
/// The project file (docs/design.md §6): everything a run needs, as one value. JSON, `"version": 1`
/// (comments allowed):
///
///   { "version": 1, "name": "fmnist-gps-simclr-weak", "description": "one line for the UI",
///     "dataset":   { "path": "fashion-mnist", "split": "train", "test_split": "test",
///                    "limit": 0, "test_limit": 0, "image_size": 0 },
///     "prior":     { "spec": "pixels", "standardize": false, "epochs": 10, "seed": 0,
///                    "batch_size": 256, "input_size": 0, "input_channels": 0,
///                    "mean": [], "std": [] },
///     "neighbors": { "k_max": 64, "k": 1, "tau": null | 0.5 | "auto", "rule": "uniform",
///                    "metric": "l2", "include_anchor": false },
///     "positives": { "source": "gps", "refresh_every": 0, "synthetic_lambda": 1.0,
///                    "synthetic_mix": 0.1, "semantic_weight": 1.0 },
///     "augment":   "weak" | { ...augmentation spec JSON (core/augment/spec.h)... },
///     "backbone":  { "name": "small_cnn", "width": 0 },
///     "method":    { "name": "simclr", ...hyper-parameters of ssl::methodRegistry()... },
///     "train":     { "epochs": 10, "batch_size": 256, "seed": 0, "optimizer": "lars",
///                    "lr": 0.3, "weight_decay": 1e-4, "momentum": 0.9, "lars_eta": 0.02,
///                    "lars_clip_lr": true, "exclude_bias_and_norm": true, "betas": [0.9, 0.999],
///                    "warmup_epochs": 10, "min_lr_factor": 0, "device": "auto",
///                    "mixed_precision": true, "checkpoint_every": 1, "log_every": 10,
///                    "prefetch_batches": 2, "data_threads": 0, "online_probe_lr": 0.1 },
///     "eval":      { "every": 0, "knn_k": 20, "knn_temperature": 0.07, "probe_epochs": 100,
///                    "prior_baseline": true } }
///
/// Every section and key is optional except `version`; missing keys take the defaults below,
/// except four that follow the method when left out: train.optimizer, train.lr and
/// train.weight_decay take its recipe (ssl::MethodInfo), and positives.synthetic_lambda is 0.5
/// with mocov2 (CLSP's setting), 1.0 otherwise. Unknown keys and bad values are errors
/// that name the key path ("train.lr: must be > 0, got -1").
///
/// Paths: a relative dataset.path (other than the name `fashion-mnist`) and the PATH/DIR of a
/// torchscript:, npy: or run: prior are relative to the project file's folder; parsing stores
/// them resolved, so a snapshot of the project in a run folder still points at the same files.
///
/// All functions are pure or touch only the named file; safe to call from several threads.

#include "augment/spec.h"
#include "common/result.h"
#include "models/backbone.h"
#include "neighbors/knn_graph.h"
#include "neighbors/positive_sampler.h"
#include "priors/embedder.h"
#include "ssl/hparams.h"
#include "train/train_config.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gps::project {

inline constexpr int kProjectVersion = 1;
/// The dataset name that means the embedded Fashion-MNIST (never resolved as a path).
inline constexpr const char* kDefaultDataset = "fashion-mnist";
/// The preset a project uses when it has no `augment` key.
inline constexpr const char* kDefaultAugmentPreset = "weak";

struct DatasetSection {
    std::string path = kDefaultDataset; ///< relative paths are relative to the project file
    std::string split = "train";
    std::string testSplit = "test"; ///< "" = no evaluation split (probes are skipped)
    std::size_t limit = 0;          ///< first N training images (0 = all)
    std::size_t testLimit = 0;      ///< first N test images (0 = all)
    int imageSize = 0;              ///< image folders only
    bool operator==(const DatasetSection&) const = default;
};

struct PriorSection {
    std::string spec = "pixels";  ///< canonical (priors::parsePriorSpec), paths resolved
    priors::PriorOptions options; ///< standardize, epochs, seed, batch_size, ...
    bool operator==(const PriorSection&) const = default;
};

struct NeighborSection {
    int kMax = 64;
    int k = 1;                ///< k-mode when tau is unset; 1 ≤ k ≤ kMax
    std::optional<float> tau; ///< radius; unset = k-mode
    bool tauAuto = false;     ///< "tau": "auto" = suggestTau(m = 20, c = 1); tau unset
    neighbors::Rule rule = neighbors::Rule::Uniform;
    neighbors::Metric metric = neighbors::Metric::L2;
    bool includeAnchor = false;
    bool operator==(const NeighborSection&) const = default;
};

struct MethodSection {
    std::string name = "simclr";
    ssl::HParams hparams; ///< complete after parsing (schema defaults filled in)
    bool operator==(const MethodSection&) const = default;
};

struct EvalSection {
    int every = 0; ///< epochs between offline evaluations; 0 = at the end only
    int knnK = 20;
    double knnTemperature = 0.07;
    int probeEpochs = 100;     ///< offline linear probe's epochs on frozen features
    bool priorBaseline = true; ///< probe the prior's own embedding once per run
    bool operator==(const EvalSection&) const = default;
};

/// The `weak` preset for 28 px grey images: what a project without `augment` holds.
augment::AugmentSpec defaultAugmentSpec();

struct Project {
    int version = kProjectVersion;
    std::string name;           ///< "" = the file's stem
    std::string description;    ///< one line shown by the UI; may be ""
    std::filesystem::path file; ///< where it was read from (empty when built in code)
    DatasetSection dataset;
    PriorSection prior;
    NeighborSection neighbors;
    train::PositiveConfig positives;
    /// A preset name in the file is expanded here for a 28 px grey shape; runSession expands
    /// augmentPreset again for the dataset's real shape (crop size, blur off at ≤ 32 px).
    augment::AugmentSpec augment = defaultAugmentSpec();
    std::string augmentPreset = kDefaultAugmentPreset; ///< the preset name, or "" for a spec
    models::BackboneConfig backbone; ///< inChannels/imageSize are filled from the dataset
    MethodSection method;
    train::TrainConfig train;
    EvalSection eval;
    /// Every field equal, `file` included.
    bool operator==(const Project&) const = default;
};

/// Parses and validates a project document. `file` resolves relative paths and names the
/// project when it has no `name`; errors are InvalidInput, one line, key path first
/// ("neighbors.rule: unknown 'far' (expected uniform or farthest)").
Result<Project> parseProject(const nlohmann::json& document,
                             const std::filesystem::path& file = {});
/// Reads FILE as a JSON document (comments allowed). NotFound naming the file; a syntax error
/// is InvalidInput "FILE: invalid JSON at line L, column C: reason".
Result<nlohmann::json> readProjectDocument(const std::filesystem::path& file);
/// readProjectDocument, then each override in order (applyOverride), then parseProject.
/// Errors of the last two steps are prefixed with "FILE: ".
Result<Project> loadProject(const std::filesystem::path& file,
                            const std::vector<std::string>& overrides = {});
/// The complete document (every key, defaults written out) that parseProject reads back equal.
/// Floats are written as the shortest decimal that reads back as the same float.
nlohmann::json projectToJson(const Project& project);
/// Writes projectToJson atomically (temp file + rename), keys in the order of the comment
/// above. A dataset path inside the destination's folder is written relative to it.
Status saveProject(const Project& project, const std::filesystem::path& file);

/// Applies one `--set` override "dotted.key=value" to a document before parsing, creating
/// intermediate objects. The value is read as JSON when it parses (numbers, true, null,
/// "\"auto\""), else as a string ("neighbors.tau=auto" → "auto"). InvalidInput when the text
/// has no '=', the key is empty or has an empty part, or the path crosses a non-object.
Status applyOverride(nlohmann::json& document, const std::string& assignment);

} // namespace gps::project
