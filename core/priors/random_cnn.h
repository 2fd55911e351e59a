#pragma once
/// The `random-cnn` prior: the untrained gps::models::SmallCnn (width 32, 128 features) as a fixed
/// feature extractor; random convolutions already group images by local texture and contrast.
///
/// Determinism: torch::manual_seed is process-global, so another thread drawing random numbers
/// between seeding and construction would change the weights. The prior therefore overwrites
/// every convolution weight from its own generator seeded with PriorOptions::seed, using PyTorch's
/// default initialisation (uniform in ±1/√fan_in); batch norm keeps its defaults (γ = 1, β = 0,
/// running mean 0, variance 1). Same seed, same weights, whatever else the process does; the
/// global generator is left untouched.
///
/// Input: the dataset's images at their own size and channels, scaled to [−1, 1]. Runs in eval
/// mode under c10::InferenceMode on the CPU, PriorOptions::batchSize images per forward.

#include "priors/embedder.h"

namespace gps::priors {

class RandomCnnPrior final : public Embedder {
public:
    explicit RandomCnnPrior(const PriorOptions& options);

    std::string spec() const override { return "random-cnn"; }
    std::int64_t dim() const override;
    /// n × 128.
    Result<Embedding> embed(const data::Dataset& dataset, const ProgressFn& progress) override;

private:
    std::uint64_t m_seed = 0;
    int m_batchSize = 256;
};

} // namespace gps::priors
