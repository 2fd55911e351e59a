#pragma once
/// The interface every SSL method implements (one method per file, docs/design.md §3).
/// A method owns the backbone it trains plus its heads and, for BYOL/MoCo, momentum copies.
/// The trainer knows no method by name: it calls pairLoss() for the main positive pair of a step,
/// extraPairLoss() for a further one (semantic positives), project() for the synthetic term, and
/// afterOptimizerStep() once per step.

#include "models/backbone.h"
#include "ssl/hparams.h"

#include <torch/nn/module.h>

#include <map>
#include <string>

namespace gps::ssl {

/// What a method may need to size itself.
struct MethodContext {
    int batchSize = 256;
    std::int64_t totalSteps = 1; ///< for schedules inside the method (BYOL's EMA τ)
    /// Training images, 0 = unknown. An automatic queue size (NNCLR, MoCo) stays at most
    /// datasetSize − batchSize, so that the queue never holds an older key or projection of an
    /// image in the current batch (a copy of the positive among the negatives, or NNCLR's
    /// neighbour being the image itself). Explicit queue sizes are used as given.
    std::int64_t datasetSize = 0;
};

struct PairLossOutput {
    torch::Tensor loss;     ///< scalar, differentiable
    torch::Tensor features; ///< backbone features of `first`, B×F, detached (online probe)
    /// Named parts for the log (e.g. VICReg's invariance/variance/covariance), plain numbers.
    std::map<std::string, double> parts;
};

class MethodImpl : public torch::nn::Module {
public:
    /// Loss of one batch of positive pairs: row b of `first` and row b of `second` are views of
    /// an anchor and of its positive, B×C×H×W float each (B ≥ 2; contrastive methods use the
    /// other rows as negatives). Methods with a queue (NNCLR, MoCo) read it here and stash what
    /// to enqueue; they enqueue in afterOptimizerStep.
    virtual PairLossOutput pairLoss(const torch::Tensor& first, const torch::Tensor& second) = 0;
    /// Loss of a further positive pair of the same step (semantic positives: the anchor's view
    /// with its neighbour's). Methods with a queue read it but stash nothing: the main pair
    /// already enqueues this step's keys, and these would be the same anchors' keys twice.
    virtual PairLossOutput extraPairLoss(const torch::Tensor& first, const torch::Tensor& second) {
        return pairLoss(first, second);
    }
    /// The embedding the synthetic-positive term compares, B×D (projector output, or the
    /// predictor's for BYOL/SimSiam), differentiable.
    virtual torch::Tensor project(const torch::Tensor& views) = 0;
    /// Called after every optimiser step with the share of training done in [0, 1] (EMA
    /// momentum schedules, queue updates). Default: nothing.
    virtual void afterOptimizerStep(double progress) { (void)progress; }
    /// The trained encoder (exported, probed and used by `run:DIR` priors).
    virtual models::Backbone backbone() const = 0;
    /// Modules the optimiser must not update (momentum encoders); their parameters are skipped.
    virtual bool isMomentumParameter(const std::string& qualifiedName) const {
        (void)qualifiedName;
        return false;
    }
};
using Method = std::shared_ptr<MethodImpl>;

} // namespace gps::ssl
