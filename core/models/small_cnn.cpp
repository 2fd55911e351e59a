#include "models/small_cnn.h"

#include "models/torchscript_export.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

namespace gps::models {

namespace {

void appendConvBlock(torch::nn::Sequential& body, int in, int out) {
    body->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
    body->push_back(torch::nn::BatchNorm2d(out));
    body->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
}

BackboneConfig configFor(const SmallCnnOptions& options) {
    BackboneConfig config;
    config.name = "small_cnn";
    config.inChannels = options.inChannels;
    config.width = options.width;
    return config;
}

SmallCnnOptions optionsFor(const BackboneConfig& config) {
    return {config.inChannels, config.width > 0 ? config.width : SmallCnnImpl::kDefaultWidth};
}

} // namespace

SmallCnnImpl::SmallCnnImpl(const BackboneConfig& config) : SmallCnnImpl(optionsFor(config)) {
    m_config = config;
    m_config.width = m_options.width;
}

SmallCnnImpl::SmallCnnImpl(SmallCnnOptions options)
    : BackboneImpl(configFor(options)), m_options(options) {
    // Registration order fixes named_parameters() order, which seeded users (random-cnn) rely on.
    const int w = options.width;
    torch::nn::Sequential body;
    appendConvBlock(body, options.inChannels, w);
    body->push_back(torch::nn::MaxPool2d(2));
    appendConvBlock(body, w, 2 * w);
    body->push_back(torch::nn::MaxPool2d(2));
    appendConvBlock(body, 2 * w, 4 * w);
    body->push_back(torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)));
    body->push_back(torch::nn::Flatten());
    m_body = register_module("body", body);
}

torch::Tensor SmallCnnImpl::forward(const torch::Tensor& images) {
    return m_body->forward(images);
}

std::string SmallCnnImpl::emitTorchScript(ScriptEmitter& emitter, const std::string& input) const {
    return emitter.sequential(input, *m_body);
}

} // namespace gps::models
