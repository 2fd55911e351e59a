#pragma once
/// VICReg (Bardes et al. 2022): invariance (MSE between the two projections), variance (a hinge
/// keeping every dimension's std above 1) and covariance (decorrelating dimensions). Recipe
/// (docs/design.md §3; solo-learn scripts/pretrain/cifar/vicreg.yaml): projector 2048-2048-2048 (BN
/// on the hidden layers), weights 25 / 25 / 1, LARS lr 0.3, weight decay 1e-4.

#include "models/heads.h"
#include "ssl/losses/vicreg_loss.h"
#include "ssl/method.h"
#include "ssl/registry.h"

namespace gps::ssl {

struct VicRegOptions {
    int projHiddenDim = 2048;
    int projOutputDim = 2048;
    VicRegWeights weights;
};

class VicRegImpl : public MethodImpl {
public:
    VicRegImpl(models::Backbone backbone, const VicRegOptions& options);
    /// Parts: "invariance", "variance", "covariance" (unweighted).
    PairLossOutput pairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// Projector output, B×projOutputDim.
    torch::Tensor project(const torch::Tensor& views) override;
    models::Backbone backbone() const override { return m_backbone; }

private:
    VicRegOptions m_options;
    models::Backbone m_backbone;
    models::Mlp m_projector{nullptr};
};

MethodInfo vicRegMethodInfo();

} // namespace gps::ssl
