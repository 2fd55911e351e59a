#include "models/heads.h"

#include "common/check.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>

namespace gps::models {

MlpImpl::MlpImpl(MlpOptions options) : m_options(std::move(options)) {
    GPS_CHECK(m_options.in > 0 && m_options.out > 0,
              "MLP needs in > 0 and out > 0, got " << m_options.in << " and " << m_options.out);
    torch::nn::Sequential layers;
    int width = m_options.in;
    for (int hidden : m_options.hidden) {
        GPS_CHECK(hidden > 0, "MLP hidden widths must be > 0, got " << hidden);
        layers->push_back(torch::nn::Linear(
            torch::nn::LinearOptions(width, hidden).bias(!m_options.hiddenBatchNorm)));
        if (m_options.hiddenBatchNorm)
            layers->push_back(torch::nn::BatchNorm1d(hidden));
        layers->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
        width = hidden;
    }
    // A bias before a BN is cancelled by its mean subtraction.
    layers->push_back(torch::nn::Linear(
        torch::nn::LinearOptions(width, m_options.out).bias(!m_options.outputBatchNorm)));
    if (m_options.outputBatchNorm)
        layers->push_back(torch::nn::BatchNorm1d(
            torch::nn::BatchNorm1dOptions(m_options.out).affine(m_options.outputAffine)));
    m_layers = register_module("layers", layers);
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
    GPS_CHECK(x.dim() == 2 && x.size(1) == m_options.in,
              "MLP expects B×" << m_options.in << " input, got " << x.sizes());
    return m_layers->forward(x);
}

} // namespace gps::models
