#pragma once
// Internal to core/eval: the checks the linear probe and the kNN classifier share (linear_probe.h
// lists the errors), and the labelled rows they keep. Not part of gps_core's API.

#include "common/result.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace gps::eval::detail {

/// The labelled rows of both splits as contiguous CPU tensors.
struct ProbeData {
    at::Tensor trainFeatures; ///< n×F float32
    at::Tensor trainLabels;   ///< n int64 in [0, classes)
    at::Tensor testFeatures;  ///< m×F float32
    at::Tensor testLabels;    ///< m int64 in [0, classes)
    std::int64_t classes = 0; ///< max label + 1 over both splits
};

/// Checks shapes, dtypes and values and drops the unlabelled rows. `what` starts the messages
/// ("linear probe", "knn").
Result<ProbeData> prepareProbeData(const std::string& what, const at::Tensor& trainFeatures,
                                   const at::Tensor& trainLabels, const at::Tensor& testFeatures,
                                   const at::Tensor& testLabels);

/// Share of rows where predicted == labels (both int64 of the same length, not empty).
double accuracyOf(const at::Tensor& predicted, const at::Tensor& labels);

/// The error both return when progress asks them to stop.
Error cancelledError(const std::string& what);

} // namespace gps::eval::detail
