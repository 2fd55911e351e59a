#pragma once
/// MoCo-v2 (Chen et al. 2020), symmetrised as solo-learn's mocov2plus: queries from the online
/// network (backbone → projector), keys from a momentum copy (EMA), InfoNCE against a FIFO queue
/// of past keys. Values are solo-learn's, not the paper's (scripts/pretrain/cifar/mocov2plus.yaml
/// the CIFAR recipe): projector 2048-256 (one hidden layer, no BN), temperature 0.2, EMA τ
/// 0.99 → 0.999 on a cosine schedule (the paper: fixed 0.999), queue 32,768, SGD lr 0.3, weight
/// decay 1e-4.
///
/// Queues: one per view, as solo-learn (keys of first views, keys of second views; q1 is
/// contrasted with k2 against the second views' queue and q2 with k1 against the first's). Each
/// starts as random unit rows (as MoCo and solo-learn do, so the first steps have negatives);
/// pairLoss stashes the normalised keys (training mode only; extraPairLoss does not) and
/// afterOptimizerStep enqueues them after the EMA update.

#include "models/heads.h"
#include "ssl/method.h"
#include "ssl/method_util.h"
#include "ssl/registry.h"

#include <utility>
#include <vector>

namespace gps::ssl {

struct MocoV2Options {
    int projHiddenDim = 2048;
    int projOutputDim = 256;
    int queueSize = 32768;
    double temperature = 0.2;
    double momentumBase = 0.99;
    double momentumFinal = 0.999;
};

class MocoV2Impl : public MethodImpl {
public:
    /// Clones `backbone` for the momentum encoder (models::cloneBackbone); the queue's initial
    /// rows come from torch's global generator.
    MocoV2Impl(models::Backbone backbone, const MocoV2Options& options);
    PairLossOutput pairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// The same loss, stashing nothing for the queue.
    PairLossOutput extraPairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// Projector output (the query), B×projOutputDim.
    torch::Tensor project(const torch::Tensor& views) override;
    /// EMA update of the momentum encoder, then enqueues the stashed keys.
    void afterOptimizerStep(double progress) override;
    models::Backbone backbone() const override { return m_backbone; }
    /// True for `momentum_backbone.*` and `momentum_projector.*`.
    bool isMomentumParameter(const std::string& qualifiedName) const override;
    /// The queue of negatives of view 0 (keys of first views) or 1 (second views),
    /// K×projOutputDim unit rows.
    torch::Tensor negatives(int view) const { return m_queues[view == 0 ? 0 : 1].rows(); }

private:
    PairLossOutput pairLossStashing(const torch::Tensor& first, const torch::Tensor& second,
                                    bool stash);

    MocoV2Options m_options;
    models::Backbone m_backbone, m_momentumBackbone;
    models::Mlp m_projector{nullptr}, m_momentumProjector{nullptr};
    detail::FifoQueue m_queues[2];
    std::vector<std::pair<torch::Tensor, torch::Tensor>> m_pending; ///< (k1, k2) per pairLoss
};

MethodInfo mocoV2MethodInfo();

} // namespace gps::ssl
