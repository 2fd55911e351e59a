#pragma once
/// Backbones: the encoder f(x) an SSL method trains. Input B×C×H×W float (normalised views),
/// output B×featureDim() float. Names: `small_cnn` (≤ 32 px on CPU), `resnet18_cifar` (3×3 stem,
/// stride 1, no max-pool; 32–64 px), `resnet18` and `resnet50` (ImageNet stem, larger images).
/// Head sizes of the methods follow featureDim() (DESIGN §3: defaults are per backbone).

#include "common/result.h"

#include <torch/nn/module.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gps::models {

struct BackboneConfig {
    std::string name = "small_cnn";
    int inChannels = 1;  ///< channels of the views (1 grey, 3 RGB)
    int imageSize = 28;  ///< side of the views in px (for checks and the export's example input)
    int width = 0;       ///< small_cnn: first block's channels; resnets: stem width; 0 = default
};

/// Every backbone derives from this, so methods and the trainer hold any of them.
class BackboneImpl : public torch::nn::Module {
public:
    virtual torch::Tensor forward(const torch::Tensor& images) = 0;
    virtual int featureDim() const = 0;
    /// True for backbones meant for small images on CPU; methods shrink their heads then.
    virtual bool small() const { return false; }
    const BackboneConfig& config() const { return m_config; }

protected:
    explicit BackboneImpl(BackboneConfig config) : m_config(std::move(config)) {}
    BackboneConfig m_config;
};
using Backbone = std::shared_ptr<BackboneImpl>;

/// Registered names, in the order the UI lists them.
std::vector<std::string> backboneNames();
/// InvalidInput naming `backbone.name` (or the bad field) when the config does not fit.
Result<Backbone> makeBackbone(const BackboneConfig& config);
/// A fresh backbone with the same config and a copy of `source`'s parameters and buffers
/// (momentum encoders of BYOL and MoCo).
Backbone cloneBackbone(const BackboneImpl& source);

/// Writes `backbone` (its current weights, in eval mode: BN uses running statistics) as a
/// TorchScript module that `torch.jit.load` (Python) and torch::jit::load (C++) read back:
/// forward(x: N×C×H×W float) → N×featureDim. Written atomically (temp file + rename).
Status exportBackboneTorchScript(const BackboneImpl& backbone, const std::filesystem::path& file);

} // namespace gps::models
