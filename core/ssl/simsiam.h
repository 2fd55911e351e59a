#pragma once
/// SimSiam (Chen & He 2021): backbone → projector → predictor; the prediction of one view
/// regresses the other view's projection under stop-gradient (negative cosine), symmetrised as
/// ½(D(p1, z2) + D(p2, z1)). Recipe (docs/design.md §3; solo-learn
/// scripts/pretrain/cifar/simsiam.yaml and simsiam.py): projector 2048-2048-2048 with BN (the
/// output BN has no affine), predictor with a 512 bottleneck, SGD lr 0.5, weight decay 1e-5.

#include "models/heads.h"
#include "ssl/method.h"
#include "ssl/registry.h"

namespace gps::ssl {

struct SimSiamOptions {
    int projHiddenDim = 2048;
    int projOutputDim = 2048;
    int predHiddenDim = 512;
};

class SimSiamImpl : public MethodImpl {
public:
    SimSiamImpl(models::Backbone backbone, const SimSiamOptions& options);
    PairLossOutput pairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// Predictor output, B×projOutputDim.
    torch::Tensor project(const torch::Tensor& views) override;
    models::Backbone backbone() const override { return m_backbone; }

private:
    SimSiamOptions m_options;
    models::Backbone m_backbone;
    models::Mlp m_projector{nullptr}, m_predictor{nullptr};
};

MethodInfo simSiamMethodInfo();

} // namespace gps::ssl
