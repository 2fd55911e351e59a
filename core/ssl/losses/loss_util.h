#pragma once
// Internal to core/ssl/losses: small tensor helpers the pure loss functions share.

#include <ATen/ATen.h>

namespace gps::ssl::detail {

/// Half and bfloat16 inputs (CUDA autocast) are computed in float32: the losses sum over many
/// terms and take logs; float and double pass through unchanged.
inline at::Tensor atLeastFloat(const at::Tensor& t) {
    const auto type = t.scalar_type();
    return (type == at::kHalf || type == at::kBFloat16) ? t.to(at::kFloat) : t;
}

/// Rows scaled to unit L2 norm (zero rows stay zero).
inline at::Tensor unitRows(const at::Tensor& t) {
    const at::Tensor x = atLeastFloat(t);
    return x / x.norm(2, 1, true).clamp_min(1e-12);
}

} // namespace gps::ssl::detail
