#include "models/resnet.h"

#include "common/check.h"
#include "models/torchscript_export.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/container/sequential.h>

#include <array>

namespace gps::models {

namespace {

struct Layout {
    bool imageNetStem = false;
    bool bottleneck = false;
    std::array<int, 4> blocks{};
};

Layout layoutFor(const std::string& name) {
    if (name == "resnet18_cifar")
        return {false, false, {2, 2, 2, 2}};
    if (name == "resnet18")
        return {true, false, {2, 2, 2, 2}};
    GPS_CHECK(name == "resnet50", "ResNetImpl: unknown name " << name);
    return {true, true, {3, 4, 6, 3}};
}

torch::nn::Conv2d conv(int in, int out, int kernel, int stride) {
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

} // namespace

/// A residual block: forward in C++, and the same computation as TorchScript statements.
class ResidualBlockImpl : public torch::nn::Module {
public:
    virtual torch::Tensor forward(const torch::Tensor& x) = 0;
    virtual std::string emit(ScriptEmitter& emitter, const std::string& x) const = 0;

protected:
    /// 1×1 conv + BN on the shortcut when the shape changes (torchvision's `downsample`).
    void makeDownsample(int in, int out, int stride) {
        if (stride == 1 && in == out)
            return;
        m_downsample =
            register_module("downsample", torch::nn::Sequential(conv(in, out, 1, stride),
                                                                torch::nn::BatchNorm2d(out)));
    }
    torch::Tensor shortcut(const torch::Tensor& x) {
        return m_downsample ? m_downsample->forward(x) : x;
    }
    std::string emitShortcut(ScriptEmitter& emitter, const std::string& x) const {
        return m_downsample ? emitter.sequential(x, *m_downsample) : x;
    }

    torch::nn::Sequential m_downsample{nullptr};
};

namespace {

// conv → BN → ReLU as statements (the ReLU left out for the block's last conv).
std::string emitConvBn(ScriptEmitter& emitter, const std::string& x, const torch::nn::Conv2d& c,
                       const torch::nn::BatchNorm2d& bn, bool relu) {
    const std::string y = emitter.batchNorm2d(emitter.conv2d(x, *c), *bn);
    return relu ? emitter.relu(y) : y;
}

class BasicBlockImpl final : public ResidualBlockImpl {
public:
    static constexpr int kExpansion = 1;

    BasicBlockImpl(int in, int planes, int stride) {
        m_conv1 = register_module("conv1", conv(in, planes, 3, stride));
        m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
        m_conv2 = register_module("conv2", conv(planes, planes, 3, 1));
        m_bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
        makeDownsample(in, planes, stride);
    }

    torch::Tensor forward(const torch::Tensor& x) override {
        auto y = torch::relu(m_bn1->forward(m_conv1->forward(x)));
        y = m_bn2->forward(m_conv2->forward(y));
        return torch::relu(y + shortcut(x));
    }

    std::string emit(ScriptEmitter& emitter, const std::string& x) const override {
        std::string y = emitConvBn(emitter, x, m_conv1, m_bn1, true);
        y = emitConvBn(emitter, y, m_conv2, m_bn2, false);
        return emitter.relu(emitter.add(y, emitShortcut(emitter, x)));
    }

private:
    torch::nn::Conv2d m_conv1{nullptr}, m_conv2{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr}, m_bn2{nullptr};
};

// torchvision's ResNet v1.5: the stride sits on the 3×3 conv.
class BottleneckImpl final : public ResidualBlockImpl {
public:
    static constexpr int kExpansion = 4;

    BottleneckImpl(int in, int planes, int stride) {
        m_conv1 = register_module("conv1", conv(in, planes, 1, 1));
        m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
        m_conv2 = register_module("conv2", conv(planes, planes, 3, stride));
        m_bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
        m_conv3 = register_module("conv3", conv(planes, planes * kExpansion, 1, 1));
        m_bn3 = register_module("bn3", torch::nn::BatchNorm2d(planes * kExpansion));
        makeDownsample(in, planes * kExpansion, stride);
    }

    torch::Tensor forward(const torch::Tensor& x) override {
        auto y = torch::relu(m_bn1->forward(m_conv1->forward(x)));
        y = torch::relu(m_bn2->forward(m_conv2->forward(y)));
        y = m_bn3->forward(m_conv3->forward(y));
        return torch::relu(y + shortcut(x));
    }

    std::string emit(ScriptEmitter& emitter, const std::string& x) const override {
        std::string y = emitConvBn(emitter, x, m_conv1, m_bn1, true);
        y = emitConvBn(emitter, y, m_conv2, m_bn2, true);
        y = emitConvBn(emitter, y, m_conv3, m_bn3, false);
        return emitter.relu(emitter.add(y, emitShortcut(emitter, x)));
    }

private:
    torch::nn::Conv2d m_conv1{nullptr}, m_conv2{nullptr}, m_conv3{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr}, m_bn2{nullptr}, m_bn3{nullptr};
};

} // namespace

ResNetImpl::ResNetImpl(const BackboneConfig& config) : BackboneImpl(config) {
    if (m_config.width == 0)
        m_config.width = kDefaultWidth;
    const Layout layout = layoutFor(m_config.name);
    const int w = m_config.width;
    const int expansion =
        layout.bottleneck ? BottleneckImpl::kExpansion : BasicBlockImpl::kExpansion;

    m_conv1 = register_module("conv1", layout.imageNetStem ? conv(m_config.inChannels, w, 7, 2)
                                                           : conv(m_config.inChannels, w, 3, 1));
    m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(w));
    if (layout.imageNetStem)
        m_maxPool = register_module(
            "maxpool", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(3).stride(2).padding(1)));

    int in = w;
    for (int stage = 0; stage < 4; ++stage) {
        const int planes = w << stage;
        torch::nn::ModuleList blocks;
        for (int b = 0; b < layout.blocks[std::size_t(stage)]; ++b) {
            const int stride = (stage > 0 && b == 0) ? 2 : 1;
            std::shared_ptr<ResidualBlockImpl> block;
            if (layout.bottleneck)
                block = std::make_shared<BottleneckImpl>(in, planes, stride);
            else
                block = std::make_shared<BasicBlockImpl>(in, planes, stride);
            blocks->push_back(block);
            m_blocks.push_back(block);
            in = planes * expansion;
        }
        register_module("layer" + std::to_string(stage + 1), blocks);
    }
    m_featureDim = in;

    for (auto& module : modules(/*include_self=*/false)) {
        if (auto* c = module->as<torch::nn::Conv2dImpl>()) {
            torch::nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
        } else if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>()) {
            torch::nn::init::ones_(bn->weight);
            torch::nn::init::zeros_(bn->bias);
        }
    }
}

torch::Tensor ResNetImpl::forward(const torch::Tensor& images) {
    auto x = torch::relu(m_bn1->forward(m_conv1->forward(images)));
    if (m_maxPool)
        x = m_maxPool->forward(x);
    for (const auto& block : m_blocks)
        x = block->forward(x);
    return torch::flatten(torch::adaptive_avg_pool2d(x, {1, 1}), 1);
}

std::string ResNetImpl::emitTorchScript(ScriptEmitter& emitter, const std::string& input) const {
    std::string x = emitConvBn(emitter, input, m_conv1, m_bn1, true);
    if (m_maxPool)
        x = emitter.maxPool2d(x, *m_maxPool);
    for (const auto& block : m_blocks)
        x = block->emit(emitter, x);
    return emitter.globalAvgPool(x);
}

} // namespace gps::models
