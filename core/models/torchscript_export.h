#pragma once
/// ScriptEmitter: writes the TorchScript source of a backbone's eval-mode forward, one statement
/// per layer, naming each parameter and buffer by its attribute in the exported module.
/// Backbones drive it from BackboneImpl::emitTorchScript; exportBackboneTorchScript
/// (models/backbone.h) registers the attributes and define()s the source. Every emitter takes
/// the input variable's name and returns the name of a fresh variable holding the output.

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

#include <map>
#include <string>

namespace gps::models {

class ScriptEmitter {
public:
    /// `attributes` maps each parameter and buffer of the network (by its TensorImpl) to the
    /// attribute name it has in the exported module.
    explicit ScriptEmitter(std::map<const void*, std::string> attributes);

    std::string conv2d(const std::string& x, const torch::nn::Conv2dImpl& conv);
    /// Eval mode: normalises with the running statistics.
    std::string batchNorm2d(const std::string& x, const torch::nn::BatchNorm2dImpl& norm);
    std::string relu(const std::string& x);
    std::string maxPool2d(const std::string& x, const torch::nn::MaxPool2dImpl& pool);
    std::string adaptiveAvgPool2d(const std::string& x,
                                  const torch::nn::AdaptiveAvgPool2dImpl& pool);
    std::string flatten(const std::string& x, const torch::nn::FlattenImpl& flatten);
    /// Global average pool then flatten: B×C×H×W → B×C.
    std::string globalAvgPool(const std::string& x);
    std::string add(const std::string& a, const std::string& b);
    /// One of the layer kinds above, chosen by the module's type; GPS_CHECK fails on others.
    std::string layer(const std::string& x, const torch::nn::Module& module);
    std::string sequential(const std::string& x, const torch::nn::SequentialImpl& sequential);

    /// `def forward(self, x: Tensor) -> Tensor:` with the statements emitted so far and a return
    /// of `result`.
    std::string forwardSource(const std::string& input, const std::string& result) const;

private:
    std::string emit(const std::string& expression);
    std::string attribute(const torch::Tensor& tensor) const;
    std::string optionalAttribute(const torch::Tensor& tensor) const;

    std::map<const void*, std::string> m_attributes;
    std::string m_body;
    int m_next = 0;
};

} // namespace gps::models
