#pragma once
/// The small ConvNet for images of ≤ 32 px on CPU: three 3×3 conv blocks (BN, ReLU), two 2×2
/// max-pools and global average pooling. Input B×C×H×W float (H, W ≥ 4), output B×featureDim.
/// About 15 MFLOP per 28×28 image forward, so a SimCLR step on 2×256 images fits a 2-core CPU.
/// Registered as the `small_cnn` backbone (models/backbone.h).

#include "models/backbone.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace gps::models {

struct SmallCnnOptions {
    int inChannels = 1;
    int width = 32; ///< channels of the first block; later blocks use 2× and 4×
    int featureDim() const { return 4 * width; }
};

class SmallCnnImpl : public BackboneImpl {
public:
    static constexpr int kDefaultWidth = 32;

    explicit SmallCnnImpl(SmallCnnOptions options = {});
    /// From a backbone config (name `small_cnn`); width 0 = kDefaultWidth.
    explicit SmallCnnImpl(const BackboneConfig& config);

    torch::Tensor forward(const torch::Tensor& images) override;
    int featureDim() const override { return m_options.featureDim(); }
    bool small() const override { return true; }
    std::string emitTorchScript(ScriptEmitter& emitter, const std::string& input) const override;

private:
    SmallCnnOptions m_options;
    torch::nn::Sequential m_body{nullptr};
};
TORCH_MODULE(SmallCnn);

} // namespace gps::models
