#include "models/small_cnn.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/pooling.h>

namespace gps::models {

namespace {

void appendConvBlock(torch::nn::Sequential& body, int in, int out) {
    body->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
    body->push_back(torch::nn::BatchNorm2d(out));
    body->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
}

} // namespace

SmallCnnImpl::SmallCnnImpl(SmallCnnOptions options) : m_options(options) {
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

torch::Tensor SmallCnnImpl::forward(const torch::Tensor& images) { return m_body->forward(images); }

} // namespace gps::models
