#pragma once
/// BYOL's regression loss and its stop-gradient-free core, pure functions.

#include <ATen/core/Tensor.h>

namespace gps::ssl {

/// Normalised MSE: mean over rows b of ‖â_b − b̂_b‖² = 2 − 2cos(a_b, b_b), where x̂ = x/‖x‖.
/// a, b: B×D. A scalar in [0, 4]; gradients flow into both (the synthetic-positive term
/// λ·(2 − 2cos(f1, f3)) uses it as it is).
at::Tensor normalizedMseLoss(const at::Tensor& a, const at::Tensor& b);

/// BYOL: normalizedMseLoss(p, z) with z treated as a constant (stop-gradient on the target).
/// p: B×D online predictions, z: B×D target projections. A method symmetrises it by adding
/// byolLoss(p1, z2) + byolLoss(p2, z1), as the paper does.
at::Tensor byolLoss(const at::Tensor& p, const at::Tensor& z);

} // namespace gps::ssl
