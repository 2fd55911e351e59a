#pragma once
/// The `pca:D` prior: the first D principal components of the training split's pixels (values in
/// [0, 1], HWC, centred on the training mean). embed() gives (x − mean) · componentsᵀ, n × D.
///
/// Solver: for images of at most kPcaExactMaxDim values (28×28, 32×32×3) the covariance matrix is
/// accumulated in one pass and diagonalised exactly (symmetric eigendecomposition) — fast and
/// deterministic. Larger images (96×96×3 = 27,648) use a randomised SVD over a few streaming
/// passes (Halko et al., D + 10 probes, 2 power iterations) seeded by PriorOptions::seed.
/// Each component's sign is fixed so that its entry of largest magnitude is positive, so the same
/// data always give the same embedding, not a mirror image of it.

#include "priors/embedder.h"

namespace gps::priors {

/// Images with more values than this use the randomised solver.
inline constexpr std::int64_t kPcaExactMaxDim = 4096;

class PcaPrior final : public Embedder {
public:
    /// `components` = D ≥ 1 (the registry checks the spec); D ≤ min(n, dim) is checked by fit().
    PcaPrior(int components, const PriorOptions& options);

    std::string spec() const override { return "pca:" + std::to_string(m_components); }
    std::int64_t dim() const override { return m_components; }
    bool needsFit() const override { return true; }
    /// InvalidInput when D > min(images, values per image); Cancelled through `progress`.
    Status fit(const data::Dataset& train, const ProgressFn& progress) override;
    /// n × D. Needs fit() or loadState() on images with as many values as `dataset`'s.
    Result<Embedding> embed(const data::Dataset& dataset, const ProgressFn& progress) override;

    /// State file: float64 vector [D, inputDim, totalVariance, mean (inputDim),
    /// explainedVariance (D), components (D × inputDim, row-major)].
    Status saveState(const std::filesystem::path& file) const override;
    Status loadState(const std::filesystem::path& file) override;

    bool fitted() const { return !m_mean.empty(); }
    /// Values per image the prior was fitted on (H·W·C); 0 before fit().
    std::int64_t inputDim() const { return std::int64_t(m_mean.size()); }
    /// Training mean, inputDim values.
    const std::vector<float>& mean() const { return m_mean; }
    /// D × inputDim, row-major; rows are orthonormal, sorted by explained variance.
    const std::vector<float>& components() const { return m_componentRows; }
    /// Variance of the training data along each component (÷ (n − 1)), descending, D values.
    const std::vector<double>& explainedVariance() const { return m_variance; }
    /// Sum of the per-value variances of the training data (÷ (n − 1)): the denominator of the
    /// explained-variance ratio.
    double totalVariance() const { return m_totalVariance; }

private:
    int m_components = 0;
    std::uint64_t m_seed = 0;
    int m_batchSize = 256;
    std::vector<float> m_mean;
    std::vector<float> m_componentRows;
    std::vector<double> m_variance;
    double m_totalVariance = 0.0;
};

/// The first `components` principal components of n rows already in memory (row-major n × dim
/// floats, not modified) and every row's projection (x − mean) · componentsᵀ, n × components:
/// the prior's solvers (exact up to kPcaExactMaxDim values per row, else randomised, seeded by
/// `seed`) and its sign rule, so the same rows give the same projection. The map of an
/// embedding uses it. InvalidInput when components > min(n, dim); Cancelled through `progress`.
Result<Embedding> projectOnPrincipalComponents(const float* rows, std::int64_t n, std::int64_t dim,
                                               int components, std::uint64_t seed,
                                               const ProgressFn& progress = {});

} // namespace gps::priors
