#pragma once
/// MLP heads of the SSL methods (projectors and predictors, docs/design.md §3). Input B×in float,
/// output B×out. Layout, for hidden = {h1, h2}:
///   Linear(in, h1) [BN1d(h1)] ReLU  Linear(h1, h2) [BN1d(h2)] ReLU  Linear(h2, out) [BN1d(out)]
/// With hidden batch norm the hidden Linear layers have no bias (BN's shift replaces it). The
/// output BN is the one some recipes end with (SimSiam's projector: no affine; NNCLR's: affine).
/// BatchNorm needs B ≥ 2 in training mode.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace gps::models {

struct MlpOptions {
    int in = 0;                   ///< input features (> 0)
    std::vector<int> hidden;      ///< widths of the hidden layers, may be empty (one Linear)
    int out = 0;                  ///< output features (> 0)
    bool hiddenBatchNorm = true;  ///< BN1d after every hidden Linear
    bool outputBatchNorm = false; ///< BN1d after the last Linear
    bool outputAffine = false;    ///< whether that output BN learns a scale and shift
};

class MlpImpl : public torch::nn::Module {
public:
    explicit MlpImpl(MlpOptions options);
    /// x: B×in → B×out.
    torch::Tensor forward(const torch::Tensor& x);
    const MlpOptions& options() const { return m_options; }

private:
    MlpOptions m_options;
    torch::nn::Sequential m_layers{nullptr};
};
TORCH_MODULE(Mlp);

} // namespace gps::models
