#pragma once
/// The `pixels` prior: each image as its H·W·C values in [0, 1] (v / 255), HWC order, RGB.
/// With PriorOptions::standardize each dimension is shifted by the training split's mean and
/// divided by its standard deviation (population std, ÷ n); a dimension that never varies in the
/// training split (an always-black border) is divided by 1, so it stays 0 instead of NaN.

#include "priors/embedder.h"

namespace gps::priors {

class PixelsPrior final : public Embedder {
public:
    explicit PixelsPrior(const PriorOptions& options);

    std::string spec() const override { return "pixels"; }
    /// H·W·C once fit() or embed() has seen a dataset, 0 before.
    std::int64_t dim() const override { return m_dim; }
    bool needsFit() const override { return m_standardize; }
    Status fit(const data::Dataset& train, const ProgressFn& progress) override;
    /// n × H·W·C. Standardising needs fit() (or loadState()) on data of the same shape first.
    Result<Embedding> embed(const data::Dataset& dataset, const ProgressFn& progress) override;

    /// State file: float64 vector [dim, mean (dim values), std (dim values)].
    Status saveState(const std::filesystem::path& file) const override;
    Status loadState(const std::filesystem::path& file) override;

    /// Per-dimension mean and divisor learned by fit() (empty without standardize).
    const std::vector<float>& mean() const { return m_mean; }
    const std::vector<float>& scale() const { return m_scale; }

private:
    bool m_standardize = false;
    int m_batchSize = 256;
    std::int64_t m_dim = 0;
    std::vector<float> m_mean, m_scale;
};

} // namespace gps::priors
