#pragma once
/// Internal to core/priors: the principal components of a dataset's pixels, computed in streaming
/// passes over the images so that no n × dim matrix is ever held. See pca.h for the choice of
/// solver.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace gps::priors::detail {

struct PcaSolution {
    at::Tensor mean;       ///< dim, float64
    at::Tensor components; ///< D × dim, float64, orthonormal rows, sign-fixed
    at::Tensor variance;   ///< D, float64, descending (÷ (n − 1))
    double totalVariance = 0.0;
};

/// Exact covariance eigendecomposition. Needs dim ≤ kPcaExactMaxDim (memory: dim² doubles).
Result<PcaSolution> pcaByCovariance(const data::Dataset& train, int components,
                                    const ProgressFn& progress);

/// Randomised SVD of the centred data (seeded; 2 power iterations, D + 10 probes).
Result<PcaSolution> pcaRandomized(const data::Dataset& train, int components, std::uint64_t seed,
                                  const ProgressFn& progress);

} // namespace gps::priors::detail
