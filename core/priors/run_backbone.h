#pragma once
/// The `run:DIR` prior: the backbone of an earlier training run of the studio, used as a
/// torchscript prior fed the way the run fed it. A run folder holds
///   DIR/backbone.pt    the trained backbone as TorchScript (N × C × H × W float → N × d)
///   DIR/backbone.json  how it was fed, every key optional:
///                      {"input_size": 32, "input_channels": 3,
///                       "mean": [0.49, 0.48, 0.45], "std": [0.25, 0.24, 0.26]}
/// Keys present in backbone.json replace the corresponding PriorOptions; batchSize is kept.

#include "priors/embedder.h"

namespace gps::priors {

/// DIR/backbone.pt and DIR/backbone.json.
std::filesystem::path runBackboneFile(const std::filesystem::path& dir);
std::filesystem::path runBackboneSettingsFile(const std::filesystem::path& dir);

/// `base` with the input settings of DIR/backbone.json applied. NotFound when the folder has no
/// backbone.pt or no backbone.json ("run:DIR: no backbone.pt — train a run first");
/// InvalidInput when backbone.json is not valid JSON or a key has the wrong type.
Result<PriorOptions> runBackboneOptions(const std::filesystem::path& dir, const PriorOptions& base,
                                        const std::string& spec);

/// makeTorchScriptPrior(DIR/backbone.pt, runBackboneOptions(...), spec).
Result<EmbedderPtr> makeRunBackbonePrior(const std::filesystem::path& dir,
                                         const PriorOptions& options, const std::string& spec);

} // namespace gps::priors
