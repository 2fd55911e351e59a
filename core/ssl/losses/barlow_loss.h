#pragma once
/// Barlow Twins' redundancy-reduction loss (Zbontar et al. 2021), a pure function.

#include <ATen/core/Tensor.h>

namespace gps::ssl {

/// z1, z2: B×D projections (B ≥ 2). Each is standardised per dimension over the batch (biased
/// variance, eps 1e-5: BatchNorm1d without affine in training mode), C = ẑ1ᵀẑ2 / B (D×D), and
///   loss = scale · (Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij²).
/// Recipe values (solo-learn cifar): λ = 0.0051, scale = 0.1.
at::Tensor barlowTwinsLoss(const at::Tensor& z1, const at::Tensor& z2, double lambda, double scale);

} // namespace gps::ssl
