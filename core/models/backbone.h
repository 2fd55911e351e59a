#pragma once
/// Backbones: the encoder f(x) an SSL method trains. Input B×C×H×W float (normalised views),
/// output B×featureDim() float. Names: `small_cnn` (≤ 32 px on CPU), `resnet18_cifar` (3×3 stem,
/// stride 1, no max-pool; 32–64 px), `resnet18` and `resnet50` (ImageNet stem, larger images).
/// Head sizes of the methods follow featureDim() (docs/design.md §3: defaults are per backbone).
///
/// Thread-safety: a backbone is a torch::nn::Module; use one from one thread at a time.
/// makeBackbone, cloneBackbone and exportBackboneTorchScript keep no shared state.

#include "common/result.h"

#include <torch/nn/module.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gps::models {

class ScriptEmitter; // models/torchscript_export.h

struct BackboneConfig {
    std::string name = "small_cnn";
    int inChannels = 1; ///< channels of the views (1 grey, 3 RGB)
    int imageSize = 28; ///< side of the views in px (for checks and the export's example input)
    /// small_cnn: first block's channels (default 32, range [4, 256]); resnets: channels of the
    /// first stage (default 64, range [8, 128]); 0 = default.
    int width = 0;
    bool operator==(const BackboneConfig&) const = default;
};

/// Every backbone derives from this, so methods and the trainer hold any of them.
class BackboneImpl : public torch::nn::Module {
public:
    /// images B×C×H×W float on the backbone's device → B×featureDim() float.
    virtual torch::Tensor forward(const torch::Tensor& images) = 0;
    virtual int featureDim() const = 0;
    /// True for backbones meant for small images on CPU; methods shrink their heads then.
    virtual bool small() const { return false; }
    /// The config it was made from, with width resolved (never 0).
    const BackboneConfig& config() const { return m_config; }

    /// Writes this network's eval-mode forward as TorchScript statements through `emitter`,
    /// starting from the variable `input`; returns the variable holding the B×featureDim result.
    /// Used by exportBackboneTorchScript; each backbone walks its own layout.
    virtual std::string emitTorchScript(ScriptEmitter& emitter, const std::string& input) const = 0;

protected:
    explicit BackboneImpl(BackboneConfig config) : m_config(std::move(config)) {}
    BackboneConfig m_config;
};
using Backbone = std::shared_ptr<BackboneImpl>;

/// Registered names, in the order the UI lists them.
std::vector<std::string> backboneNames();
/// InvalidInput when the config does not fit: "backbone.name: unknown 'x' (expected …)",
/// "backbone.width: …" out of range, "backbone: …" for channels other than 1 or 3 and for images
/// smaller than the net needs (small_cnn ≥ 4 px, resnet18_cifar ≥ 8 px, ImageNet stem ≥ 32 px). The
/// network is on the CPU in training mode, initialised from torch's global generator (seed it with
/// torch::manual_seed for reproducible weights).
Result<Backbone> makeBackbone(const BackboneConfig& config);
/// A fresh backbone with the same config, device, training mode and a copy of `source`'s
/// parameters and buffers (momentum encoders of BYOL and MoCo); shares no storage with it.
Backbone cloneBackbone(const BackboneImpl& source);

/// Writes `backbone` (its current weights, in eval mode: BN uses running statistics) as a
/// TorchScript module that `torch.jit.load` (Python) and torch::jit::load (C++) read back:
/// forward(x: N×C×H×W float, CPU) → N×featureDim. Parameters are named like the backbone's own
/// with '.' → '_' (e.g. `layer1_0_conv1_weight`). Written atomically (temp file in the same
/// folder, then rename); Io naming the file when it cannot be written, and then no file is left.
Status exportBackboneTorchScript(const BackboneImpl& backbone, const std::filesystem::path& file);

} // namespace gps::models
