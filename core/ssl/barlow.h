#pragma once
/// Barlow Twins (Zbontar et al. 2021): the cross-correlation matrix of the two views'
/// standardised projections is pushed towards the identity. Recipe (docs/design.md §3; solo-learn
/// scripts/pretrain/cifar/barlow.yaml and barlow_twins.py): projector 2048-2048-2048 (BN on the
/// hidden layers), λ 0.0051, scale 0.1, LARS lr 0.3, weight decay 1e-4.

#include "models/heads.h"
#include "ssl/method.h"
#include "ssl/registry.h"

namespace gps::ssl {

struct BarlowOptions {
    int projHiddenDim = 2048;
    int projOutputDim = 2048;
    double lambda = 0.0051;
    double scale = 0.1;
};

class BarlowImpl : public MethodImpl {
public:
    BarlowImpl(models::Backbone backbone, const BarlowOptions& options);
    PairLossOutput pairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// Projector output, B×projOutputDim.
    torch::Tensor project(const torch::Tensor& views) override;
    models::Backbone backbone() const override { return m_backbone; }

private:
    BarlowOptions m_options;
    models::Backbone m_backbone;
    models::Mlp m_projector{nullptr};
};

MethodInfo barlowMethodInfo();

} // namespace gps::ssl
