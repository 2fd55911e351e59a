#pragma once
/// Offline evaluation on frozen features (docs/design.md §3): a linear probe trained on the
/// training features and reported on the test split, and a weighted kNN classifier
/// (knn_classifier.cpp).
///
/// Both take N×F features (any float dtype, any device; the work runs on the CPU in float32) and
/// N labels (integer dtype; kNoLabel = -1 marks an unlabelled row, which is dropped). Classes are
/// max label + 1 over both splits. Errors are InvalidInput naming the split and what was wrong:
/// features not 2-D, label count ≠ row count, feature widths that differ, labels below -1 or not
/// integers, NaN or Inf in a labelled row, no labelled row in a split, an option out of range.
/// Cancelled when progress returns false. Pure functions: safe to call from several threads.

#include "common/progress.h"
#include "common/result.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace gps::eval {

struct LinearProbeOptions {
    int epochs = 100;       ///< full passes over the training features, ≥ 1
    int batchSize = 512;    ///< rows per SGD step, ≥ 1
    double lr = 0.1;        ///< SGD with momentum 0.9, cosine schedule, > 0
    double weightDecay = 0; ///< L2 on the weights (not the bias), ≥ 0
    std::uint64_t seed = 0; ///< row order (weights start at zero): same seed, same accuracy
};

/// Features are standardised with the training mean/std first (std floored at 1e-6). Multinomial
/// logistic regression from zero weights, mini-batch SGD (momentum 0.9) on the cross-entropy with
/// the lr following a cosine from `lr` to 0 over all steps; each epoch visits the labelled
/// training rows in an order drawn from gps::Rng(seed). Returns the test accuracy in [0, 1].
/// Progress is called once per epoch.
Result<double> linearProbeAccuracy(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                                   const at::Tensor& testFeatures, const at::Tensor& testLabels,
                                   const LinearProbeOptions& options,
                                   const ProgressFn& progress = {});

struct KnnClassifierOptions {
    int k = 20;                    ///< neighbours voting, ≥ 1; clamped to the training rows
    double temperature = 0.07;     ///< votes weighted by exp(cos / T) (InstDisc, solo-learn), > 0
    std::int64_t batchRows = 1024; ///< test rows per similarity block (memory: batchRows × N), ≥ 1
};

/// Weighted kNN on cosine similarity of L2-normalised features: each test row takes its k most
/// similar training rows, each votes for its class with weight exp(cos / T), and the class with
/// the largest summed weight wins (ties: the lower class). Returns the test accuracy in [0, 1].
/// Progress is called once per block of test rows.
Result<double> knnAccuracy(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                           const at::Tensor& testFeatures, const at::Tensor& testLabels,
                           const KnnClassifierOptions& options, const ProgressFn& progress = {});

} // namespace gps::eval
