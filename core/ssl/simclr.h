#pragma once
/// SimCLR (Chen et al. 2020): backbone → projector, NT-Xent over the 2B views of a batch.
/// Recipe (docs/design.md §3; solo-learn scripts/pretrain/cifar/simclr.yaml): projector
/// 2048-2048-256 with BN on the hidden layers, temperature 0.2, LARS lr 0.4, weight decay 1e-4.

#include "models/heads.h"
#include "ssl/method.h"
#include "ssl/registry.h"

namespace gps::ssl {

struct SimClrOptions {
    int projHiddenDim = 2048;
    int projOutputDim = 256;
    double temperature = 0.2;
};

class SimClrImpl : public MethodImpl {
public:
    SimClrImpl(models::Backbone backbone, const SimClrOptions& options);
    PairLossOutput pairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// Projector output, B×projOutputDim.
    torch::Tensor project(const torch::Tensor& views) override;
    models::Backbone backbone() const override { return m_backbone; }

private:
    SimClrOptions m_options;
    models::Backbone m_backbone;
    models::Mlp m_projector{nullptr};
};

/// The registry entry: schema, recipe optimiser, factory.
MethodInfo simClrMethodInfo();

} // namespace gps::ssl
