#pragma once
/// NNCLR (Dwibedi et al. 2021): the positive of a view is the top-1 cosine neighbour of its
/// projection in a FIFO support queue of past projections (taken without gradient), contrasted
/// against the predictions of the other view. Recipe (docs/design.md §3; solo-learn
/// scripts/pretrain/cifar/nnclr.yaml): projector 2048-2048-256 (BN, output BN), predictor
/// 4096-256, queue 65,536, temperature 0.2, LARS lr 0.4, weight decay 1e-5.
///
/// Queue: view 1's normalised projections are stashed by pairLoss (training mode only; not by
/// extraPairLoss) and enqueued by afterOptimizerStep. While the queue is still empty a view's own
/// projection stands in for its neighbour (the loss is then SimCLR-like); solo-learn starts from
/// random rows instead, which makes the first positives noise.

#include "models/heads.h"
#include "ssl/method.h"
#include "ssl/method_util.h"
#include "ssl/registry.h"

#include <vector>

namespace gps::ssl {

struct NnclrOptions {
    int projHiddenDim = 2048;
    int projOutputDim = 256;
    int predHiddenDim = 4096;
    int queueSize = 65536;
    double temperature = 0.2;
};

class NnclrImpl : public MethodImpl {
public:
    NnclrImpl(models::Backbone backbone, const NnclrOptions& options);
    PairLossOutput pairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// The same loss, stashing nothing for the queue.
    PairLossOutput extraPairLoss(const torch::Tensor& first, const torch::Tensor& second) override;
    /// Projector output, B×projOutputDim.
    torch::Tensor project(const torch::Tensor& views) override;
    /// Enqueues the projections stashed since the last step.
    void afterOptimizerStep(double progress) override;
    models::Backbone backbone() const override { return m_backbone; }
    /// Rows of the support queue filled so far, K'×projOutputDim (unit rows).
    torch::Tensor supportSet() const { return m_queue.rows(); }

private:
    PairLossOutput pairLossStashing(const torch::Tensor& first, const torch::Tensor& second,
                                    bool stash);

    NnclrOptions m_options;
    models::Backbone m_backbone;
    models::Mlp m_projector{nullptr}, m_predictor{nullptr};
    detail::FifoQueue m_queue;
    std::vector<torch::Tensor> m_pending;
};

MethodInfo nnclrMethodInfo();

} // namespace gps::ssl
