#pragma once
/// SimSiam's negative cosine similarity with stop-gradient, a pure function.

#include <ATen/core/Tensor.h>

namespace gps::ssl {

/// −mean over rows b of cos(p_b, z_b), with z treated as a constant (stop-gradient).
/// p: B×D predictor outputs, z: B×D projections of the other view. A scalar in [−1, 1].
/// SimSiam symmetrises: ½·negativeCosineLoss(p1, z2) + ½·negativeCosineLoss(p2, z1).
at::Tensor negativeCosineLoss(const at::Tensor& p, const at::Tensor& z);

} // namespace gps::ssl
