#pragma once
/// Offline evaluation on frozen features (DESIGN §3): a linear probe trained on the training
/// features and reported on the test split, and a weighted kNN classifier.

#include "common/progress.h"
#include "common/result.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace gps::eval {

struct LinearProbeOptions {
    int epochs = 100;         ///< full passes over the training features
    int batchSize = 512;
    double lr = 0.1;          ///< SGD with momentum 0.9, cosine schedule
    double weightDecay = 0;
    std::uint64_t seed = 0;   ///< shuffling and initialisation: same seed, same accuracy
};

/// Features are standardised with the training mean/std first. Labels int64 in [0, classes);
/// rows labelled -1 are dropped. Returns the test accuracy in [0, 1]. InvalidInput when shapes
/// or labels do not fit (no labelled rows, dims differ). Cancelled through progress.
Result<double> linearProbeAccuracy(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                                   const at::Tensor& testFeatures, const at::Tensor& testLabels,
                                   const LinearProbeOptions& options, const ProgressFn& progress = {});

struct KnnClassifierOptions {
    int k = 20;
    double temperature = 0.07; ///< votes weighted by exp(cos / T) (InstDisc, solo-learn)
    std::int64_t batchRows = 1024;
};

/// Weighted kNN on cosine similarity of L2-normalised features; returns the test accuracy.
/// Errors as linearProbeAccuracy.
Result<double> knnAccuracy(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                           const at::Tensor& testFeatures, const at::Tensor& testLabels,
                           const KnnClassifierOptions& options, const ProgressFn& progress = {});

} // namespace gps::eval
