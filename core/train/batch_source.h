#pragma once
/// Training batches made ahead of the model on a worker thread (the model should never wait for
/// data): for each step, the anchors of the epoch's permutation, their positives by source
/// (docs/design.md §1), the augmented views and the anchors' labels.
///
/// Determinism (nothing depends on prefetch depth or thread counts):
///   - epoch e's order is a permutation of [0, N) drawn from Rng(epochOrderSeed(seed, e));
///     step s takes rows (s mod S)·B … (s mod S)·B + B − 1 of epoch s / S's order, where
///     S = N / B steps per epoch (the last partial batch is dropped);
///   - the sampler's draw for row b of step s uses Rng(deriveSeed(seed, s, b, 2));
///   - view 1 and view 2 of row b come from Rng(deriveSeed(seed, s, b, 0)) and (…, 1)
///     (AugmentPipeline::pairBatch); the extra view (semantic, synthetic) from (…, 3).

#include "augment/spec.h"
#include "common/result.h"
#include "data/dataset.h"
#include "neighbors/positive_sampler.h"
#include "train/train_config.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace gps::priors {
class VaePrior;
struct Embedding;
} // namespace gps::priors

namespace gps::train {

struct Batch {
    std::int64_t step = 0;             ///< global 0-based step
    int epoch = 0;                     ///< 0-based epoch of the step
    at::Tensor first;                  ///< B×C×H×W float, DA(anchor)
    at::Tensor second;                 ///< B×C×H×W float, DA(anchor) or DA(x') (gps)
    at::Tensor extra;                  ///< semantic: DA(x'); synthetic: DA(decoded); else undefined
    at::Tensor labels;                 ///< B int64, the anchors' labels, −1 when unlabelled
    std::vector<std::int64_t> anchors; ///< dataset rows of the anchors
    /// The neighbour x' drawn for each anchor (gps, semantic, synthetic); the anchors for augment.
    std::vector<std::int64_t> positives;
};

struct BatchSourceOptions {
    data::DatasetPtr dataset;
    augment::AugmentSpec augment;
    PositiveSource source = PositiveSource::Augment;
    std::shared_ptr<const neighbors::PositiveSampler> sampler; ///< gps, semantic, synthetic
    std::shared_ptr<const priors::VaePrior> vae;               ///< synthetic
    std::shared_ptr<const priors::Embedding> latents;          ///< synthetic: one row per image
    double syntheticMix = 0.1;                                 ///< t of the latent mix
    int batchSize = 256;
    std::uint64_t seed = 0;
    std::int64_t firstStep = 0; ///< the first step to make (a resumed run starts mid-way)
    std::int64_t endStep = 0;   ///< one past the last step to make
    int prefetch = 2;           ///< finished batches kept ready (≥ 1)
    int threads = 0;            ///< augmentation (OpenMP) threads of the worker; 0 = all cores
    bool pinMemory = false;     ///< page-locked batches for asynchronous copies to CUDA
};

/// Steps per epoch with drop_last: N / B. InvalidInput when the split holds fewer than B images.
Result<std::int64_t> stepsPerEpoch(std::size_t datasetSize, int batchSize);

/// Seed of epoch e's order; a stream no view or sampler seed of deriveSeed(seed, s, b, c) uses.
std::uint64_t epochOrderSeed(std::uint64_t seed, std::int64_t epoch);

/// Epoch e's order: a Fisher–Yates permutation of [0, n) drawn from Rng(epochOrderSeed(seed, e)).
std::vector<std::size_t> epochOrder(std::size_t n, std::uint64_t seed, std::int64_t epoch);

/// Makes the batches of steps [firstStep, endStep) in order on one worker thread and keeps up to
/// `prefetch` of them ready. next() is called from one consumer thread; stop() and the
/// destructor may be called from it at any time and return promptly (the batch being made is
/// finished first).
class BatchSource {
public:
    /// Checks the options and starts the worker. InvalidInput for a dataset smaller than a batch,
    /// a batch below 2, an invalid augmentation spec, a source without what it needs (sampler
    /// over another number of images, VAE, latents), steps out of order.
    static Result<std::unique_ptr<BatchSource>> start(BatchSourceOptions options);
    ~BatchSource();
    BatchSource(const BatchSource&) = delete;
    BatchSource& operator=(const BatchSource&) = delete;

    /// The next step's batch, waiting for it if needed; nullopt after the last step or after
    /// stop(). An expected failure of the worker (the VAE cannot decode) comes back as its
    /// Error; an exception thrown on the worker is rethrown here.
    Result<std::optional<Batch>> next();
    /// Stops and joins the worker; batches not taken are dropped. Idempotent.
    void stop();

    std::int64_t stepsPerEpoch() const;

    /// Makes the batch of `step` on the calling thread (what the worker does).
    static Result<Batch> makeBatch(const BatchSourceOptions& options, std::int64_t step);

private:
    struct State;
    explicit BatchSource(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace gps::train
