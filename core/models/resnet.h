#pragma once
/// ResNet backbones as in torchvision (He et al. 2016), without the final fc layer: the output is
/// the globally average-pooled last stage, B×featureDim. Parameter and buffer names follow
/// torchvision (`conv1.weight`, `layer1.0.bn1.running_mean`, `layer2.0.downsample.0.weight`…).
///   resnet18_cifar  BasicBlock [2, 2, 2, 2], 3×3 stride-1 stem, no max-pool (solo-learn's CIFAR
///                   variant), for 32–64 px
///   resnet18        BasicBlock [2, 2, 2, 2], 7×7 stride-2 stem + 3×3 stride-2 max-pool
///   resnet50        Bottleneck [3, 4, 6, 3] (expansion 4), ImageNet stem
/// Stage widths are w, 2w, 4w, 8w with w = BackboneConfig::width (default 64), so featureDim is
/// 8w (512 at w = 64), ×4 for resnet50. Convolutions are Kaiming-normal (fan_out, ReLU), BN
/// weights 1 and biases 0, as torchvision initialises them.

#include "models/backbone.h"

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/pooling.h>

#include <memory>
#include <vector>

namespace gps::models {

class ResidualBlockImpl; // resnet.cpp: BasicBlock and Bottleneck

class ResNetImpl : public BackboneImpl {
public:
    static constexpr int kDefaultWidth = 64;

    /// config.name is resnet18_cifar, resnet18 or resnet50 (GPS_CHECK); width 0 = kDefaultWidth.
    /// Use makeBackbone for validated construction.
    explicit ResNetImpl(const BackboneConfig& config);

    torch::Tensor forward(const torch::Tensor& images) override;
    int featureDim() const override { return m_featureDim; }
    std::string emitTorchScript(ScriptEmitter& emitter, const std::string& input) const override;

private:
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr};
    torch::nn::MaxPool2d m_maxPool{nullptr};                  ///< null for the CIFAR stem
    std::vector<std::shared_ptr<ResidualBlockImpl>> m_blocks; ///< layer1.0 … layer4.last, in order
    int m_featureDim = 0;
};

} // namespace gps::models
