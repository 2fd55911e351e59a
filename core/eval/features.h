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
#include <c10/core/Device.h>

namespace gps::eval {

struct FeatureOptions {
    int viewSize = 0;                 ///< side the backbone expects; 0 = the dataset's H×W
    augment::NormalizeSpec normalize; ///< as in training (augment::normalizeToChw's meaning)
    int batchSize = 512;              ///< images per forward, ≥ 1
    c10::Device device = c10::kCPU;   ///< where the backbone's parameters live (torch::Device)
};

/// N×F float features on the CPU, in dataset order, computed in eval mode without gradients
/// (the backbone's train/eval mode is restored afterwards, also on failure). Each image becomes
/// C×H×W floats (v / 255 − mean) / std, resized first to viewSize×viewSize when it differs
/// (area averaging when shrinking, bilinear when growing). Errors: InvalidInput when the dataset's
/// channels differ from the backbone's `inChannels`, a `normalize.std` is not > 0, batchSize < 1,
/// or the backbone's forward throws or returns other than B×F (the message names the images);
/// Cancelled when progress (called once per batch) returns false. Not thread-safe for one backbone.
Result<at::Tensor> extractFeatures(models::BackboneImpl& backbone, const data::Dataset& dataset,
                                   const FeatureOptions& options, const ProgressFn& progress = {});

/// Labels of a dataset as an int64 tensor of N (kNoLabel = -1 where unlabelled).
at::Tensor datasetLabels(const data::Dataset& dataset);

} // namespace gps::eval
