#pragma once
/// Frozen features of a whole dataset through a backbone, for the offline probes and the run
/// folder's embeddings. Images are fed un-augmented: resized to the view size when it differs,
/// normalised as the training views were (the augmentation spec's `normalize`).

#include "augment/spec.h"
#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "models/backbone.h"

#include <ATen/core/Tensor.h>

namespace gps::eval {

struct FeatureOptions {
    int viewSize = 0;                  ///< side the backbone expects; 0 = the dataset's
    augment::NormalizeSpec normalize;  ///< as in training
    int batchSize = 512;
    torch::Device device = torch::kCPU;
};

/// N×F float features on the CPU, in dataset order, computed in eval mode without gradients
/// (the backbone's train/eval mode is restored afterwards). Cancelled when progress returns false.
Result<at::Tensor> extractFeatures(models::BackboneImpl& backbone, const data::Dataset& dataset,
                                   const FeatureOptions& options, const ProgressFn& progress = {});

/// Labels of a dataset as an int64 tensor of N (kNoLabel = -1 where unlabelled).
at::Tensor datasetLabels(const data::Dataset& dataset);

} // namespace gps::eval
