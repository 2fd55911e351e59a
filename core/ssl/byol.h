#pragma once
/// BYOL (Grill et al. 2020): an online network (backbone → projector → predictor) regresses the
/// projection of a momentum copy (backbone + projector, EMA of the online weights); loss
/// 2 − 2cos in both directions, summed as in the paper. Recipe (docs/design.md §3; solo-learn
/// scripts/pretrain/cifar/byol.yaml): projector 4096-256, predictor 4096-256, EMA τ 0.99 → 1.0
/// on a cosine schedule, LARS lr 1.0, weight decay 1e-5.

#include "models/heads.h"
#include "ssl/method.h"
#include "ssl/registry.h"

namespace gps::ssl {

struct ByolOptions {
    int projHiddenDim = 4096;
    int projOutputDim = 256;
    int predHiddenDim = 4096;
    double momentumBase = 0.99;
    double momentumFinal = 1.0;
};

class ByolImpl : public MethodImpl {
public:
    /// Clones `backbone` for the momentum encoder (models::cloneBackbone).
    ByolImpl(models::Backbone backbone, const ByolOptions& options);
    /// Parts: none (the loss is one term).
    PairLossOutput pairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// Predictor output, B×projOutputDim.
    torch::Tensor project(const torch::Tensor& views) override;
    /// EMA update of the momentum encoder with τ = cosineMomentum(progress).
    void afterOptimizerStep(double progress) override;
    models::Backbone backbone() const override { return m_backbone; }
    /// True for `momentum_backbone.*` and `momentum_projector.*`.
    bool isMomentumParameter(const std::string& qualifiedName) const override;
    /// τ used by the last afterOptimizerStep (momentumBase before the first).
    double currentMomentum() const { return m_tau; }

private:
    ByolOptions m_options;
    models::Backbone m_backbone, m_momentumBackbone;
    models::Mlp m_projector{nullptr}, m_predictor{nullptr}, m_momentumProjector{nullptr};
    double m_tau = 0;
};

MethodInfo byolMethodInfo();

} // namespace gps::ssl
