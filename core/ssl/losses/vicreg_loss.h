#pragma once
/// VICReg's loss (Bardes et al. 2022), a pure function returning its three terms.

#include <ATen/core/Tensor.h>

namespace gps::ssl {

struct VicRegWeights {
    double invariance = 25; ///< λ (solo-learn sim_loss_weight)
    double variance = 25;   ///< μ (var_loss_weight)
    double covariance = 1;  ///< ν (cov_loss_weight)
};

/// Scalars; `total` is the weighted sum, the parts are unweighted.
struct VicRegLoss {
    at::Tensor total;
    at::Tensor invariance; ///< mean over B×D of (z1 − z2)²
    /// Σ over both views of mean_d relu(1 − sqrt(Var_b z[:, d] + 1e-4)), unbiased variance.
    at::Tensor variance;
    /// Σ over both views of (sum of squared off-diagonal covariances) / D, covariance over the
    /// batch with the N − 1 normaliser.
    at::Tensor covariance;
};

/// z1, z2: B×D projections of the two views (B ≥ 2). As solo-learn's vicreg_loss_func.
VicRegLoss vicRegLoss(const at::Tensor& z1, const at::Tensor& z2, const VicRegWeights& weights);

} // namespace gps::ssl
