#pragma once
/// The project file (DESIGN §6): everything a run needs, as one value. JSON, `"version": 1`:
///
///   { "version": 1, "name": "fmnist-gps-simclr-weak",
///     "dataset":   { "path": "fashion-mnist", "split": "train", "test_split": "test",
///                    "limit": 0, "test_limit": 0, "image_size": 0 },
///     "prior":     { "spec": "pixels", "standardize": false, "epochs": 10, "seed": 0 },
///     "neighbors": { "k_max": 64, "k": 1, "tau": null | 0.5 | "auto", "rule": "uniform",
///                    "metric": "l2", "include_anchor": false },
///     "positives": { "source": "gps", "refresh_every": 0, "synthetic_lambda": 1.0,
///                    "synthetic_mix": 0.5, "semantic_weight": 1.0 },
///     "augment":   "weak" | { ...augmentation spec JSON (core/augment/spec.h)... },
///     "backbone":  { "name": "small_cnn", "width": 0 },
///     "method":    { "name": "simclr", ...hyper-parameters of ssl::methodRegistry()... },
///     "train":     { "epochs": 10, "batch_size": 256, "seed": 0, "optimizer": "lars",
///                    "lr": 0.3, "weight_decay": 1e-4, "momentum": 0.9, "lars_eta": 0.02,
///                    "warmup_epochs": 10, "device": "auto", "mixed_precision": true,
///                    "checkpoint_every": 1, "log_every": 10 },
///     "eval":      { "every": 0, "knn_k": 20, "knn_temperature": 0.07, "probe_epochs": 100,
///                    "prior_baseline": true } }
///
/// Every section and key is optional except `version`; missing keys take the defaults below.
/// Unknown keys and bad values are errors that name the key path ("train.lr: must be > 0").

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

struct DatasetSection {
    std::string path = "fashion-mnist"; ///< relative paths are relative to the project file
    std::string split = "train";
    std::string testSplit = "test";     ///< "" = no evaluation split (probes are skipped)
    std::size_t limit = 0;              ///< first N training images (0 = all)
    std::size_t testLimit = 0;          ///< first N test images (0 = all)
    int imageSize = 0;                  ///< image folders only
};

struct PriorSection {
    std::string spec = "pixels";
    priors::PriorOptions options;       ///< standardize, epochs, seed, batch_size, ...
};

struct NeighborSection {
    int kMax = 64;
    int k = 1;                          ///< k-mode when tau is unset
    std::optional<float> tau;           ///< radius; unset = k-mode
    bool tauAuto = false;               ///< "tau": "auto" = suggestTau(m = 20, c = 1)
    neighbors::Rule rule = neighbors::Rule::Uniform;
    neighbors::Metric metric = neighbors::Metric::L2;
    bool includeAnchor = false;
};

struct MethodSection {
    std::string name = "simclr";
    ssl::HParams hparams;               ///< complete after parsing (schema defaults filled in)
};

struct EvalSection {
    int every = 0;                      ///< epochs between offline evaluations; 0 = at the end only
    int knnK = 20;
    double knnTemperature = 0.07;
    int probeEpochs = 100;              ///< offline linear probe's epochs on frozen features
    bool priorBaseline = true;          ///< probe the prior's own embedding once per run
};

struct Project {
    int version = kProjectVersion;
    std::string name;                   ///< "" = the file's stem
    std::filesystem::path file;         ///< where it was read from (empty when built in code)
    DatasetSection dataset;
    PriorSection prior;
    NeighborSection neighbors;
    train::PositiveConfig positives;
    /// A preset name in the file is expanded here for a 28 px grey shape; runSession expands
    /// augmentPreset again for the dataset's real shape (crop size, blur off at ≤ 32 px).
    augment::AugmentSpec augment;
    std::string augmentPreset;          ///< the preset name when the file used one, else ""
    models::BackboneConfig backbone;    ///< inChannels/imageSize are filled from the dataset
    MethodSection method;
    train::TrainConfig train;
    EvalSection eval;
};

/// Parses and validates a project document. `file` resolves relative dataset paths and names
/// the project; errors name the key path. Optimiser fields missing from `train` take the
/// method's recipe defaults (ssl::MethodInfo).
Result<Project> parseProject(const nlohmann::json& document, const std::filesystem::path& file = {});
/// Reads FILE and parses it; a JSON syntax error names the file, line and column.
Result<Project> loadProject(const std::filesystem::path& file);
/// The complete document (every key, defaults written out) that parseProject reads back equal.
nlohmann::json projectToJson(const Project& project);
/// Writes projectToJson atomically (temp file + rename).
Status saveProject(const Project& project, const std::filesystem::path& file);

/// Applies one `--set` override "dotted.key=value" to a document before parsing. The value is
/// read as JSON when it parses (numbers, true, null, "auto" quoted or not), else as a string.
/// InvalidInput when the text has no '=' or the key path crosses a non-object.
Status applyOverride(nlohmann::json& document, const std::string& assignment);

} // namespace gps::project
