#pragma once
/// Internal to core/priors: principal components computed in streaming passes over batches of
/// rows, so that no n × dim matrix of a dataset's pixels is ever held. The same solvers serve the
/// prior (a dataset's images) and projections of rows already in memory (pca.h). See pca.h for
/// the choice of solver.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>

namespace gps::priors::detail {

/// The matrix a solver decomposes: `read(begin, end)` gives rows [begin, end) as float
/// (end − begin) × dim, CPU, contiguous. A solver reads every row once per pass, in order.
struct RowSource {
    std::int64_t rows = 0;
    std::int64_t dim = 0;
    std::function<at::Tensor(std::int64_t begin, std::int64_t end)> read;
};

/// A dataset's images as rows of values in [0, 1] (imageRows).
RowSource datasetRows(const data::Dataset& dataset);
/// The rows of a float n × dim tensor (held by the source).
RowSource matrixRows(const at::Tensor& matrix);

struct PcaSolution {
    at::Tensor mean;       ///< dim, float64
    at::Tensor components; ///< D × dim, float64, orthonormal rows, sign-fixed
    at::Tensor variance;   ///< D, float64, descending (÷ (n − 1))
    double totalVariance = 0.0;
};

/// Exact covariance eigendecomposition. Needs dim ≤ kPcaExactMaxDim (memory: dim² doubles).
Result<PcaSolution> pcaByCovariance(const RowSource& train, int components,
                                    const ProgressFn& progress);

/// Randomised SVD of the centred data (seeded; 2 power iterations, D + 10 probes).
Result<PcaSolution> pcaRandomized(const RowSource& train, int components, std::uint64_t seed,
                                  const ProgressFn& progress);

} // namespace gps::priors::detail
