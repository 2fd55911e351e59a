#pragma once
/// The `ae:D` prior: a small convolutional autoencoder trained on the training split; g(x) is the
/// encoder's D-dimensional code. VaePrior (vae.h) is the same network with a variational
/// bottleneck and shares all of this class's behaviour.
///
/// Network (details in conv_autoencoder_net.h): two stride-2 3×3 convs (32, 64 channels), a
/// 256-unit layer and a D-unit code; the decoder mirrors it with sub-pixel up-sampling and ends
/// in a sigmoid. Images are
/// fed at their own size and channels (1 or 3) with pixels in [0, 1]; images with a side over
/// 64 px are shrunk for the prior (area averaging, aspect kept, longer side 64), a bound that
/// keeps a CPU epoch short and is enough for a neighbour prior.
///
/// Training: Adam (lr 1e-3) for PriorOptions::epochs over the whole split in shuffled batches of
/// PriorOptions::batchSize. Loss per image: binary cross-entropy of the reconstruction summed over
/// pixels (plus, for the VAE, the KL term), averaged over the batch. The training images are
/// converted once and held as uint8 at network size when that takes at most 1 GiB; larger splits
/// are re-read from the dataset batch by batch.
///
/// Determinism: the initial weights and the VAE's noise come from a generator private to fit()
/// seeded by PriorOptions::seed, the shuffle from a gps::Rng seeded by it; the process-global
/// torch generator is neither used nor changed. The same seed, data and LibTorch thread count give
/// the same weights on the CPU (a different thread count may change float summation order).
///
/// Runs on the CPU with LibTorch's current thread count. Not thread-safe: one thread at a time
/// calls fit(), embed(), saveState() or loadState() on one object.

#include "priors/embedder.h"

#include <memory>
#include <vector>

namespace gps::priors {

namespace detail {
struct AutoencoderModel;
}

class AutoencoderPrior : public Embedder {
public:
    /// `dim` = D ≥ 1 (the registry checks the spec).
    AutoencoderPrior(int dim, const PriorOptions& options);
    ~AutoencoderPrior() override;
    AutoencoderPrior(const AutoencoderPrior&) = delete;
    AutoencoderPrior& operator=(const AutoencoderPrior&) = delete;

    /// "ae:D" or "vae:D".
    std::string spec() const override;
    std::int64_t dim() const override { return m_dim; }
    bool needsFit() const override { return true; }

    /// Trains a fresh network on every image of `train` (its previous weights are dropped only
    /// when training succeeds). Progress: "ae:16 reading images i/n" (the first 2 %), then once
    /// per batch "ae:16 epoch 3/10 loss 231.4" (the epoch's mean loss so far, nats per image).
    /// Errors: InvalidInput for an empty split or a loss that becomes NaN/Inf, Unsupported for
    /// images that are not 1 or 3 channels, Cancelled when `progress` returns false (checked
    /// before every batch).
    Status fit(const data::Dataset& train, const ProgressFn& progress) override;

    /// n × D: the encoder's code (the VAE's posterior mean μ, no sampling), in eval mode without
    /// gradients, PriorOptions::batchSize images per forward. Needs fit() or loadState() on
    /// images of the same shape as `dataset`'s (InvalidInput otherwise).
    Result<Embedding> embed(const data::Dataset& dataset, const ProgressFn& progress) override;

    /// One LibTorch archive (torch::load-able): a header tensor [format version, variational,
    /// D, image height, width, channels, conv width, hidden units] and every parameter under its
    /// module path with '.' written as '_'. Written atomically; saving before fit is a
    /// precondition failure.
    Status saveState(const std::filesystem::path& file) const override;
    /// Loads what saveState wrote. A file written for another spec ("ae:8" into "vae:16"), or
    /// whose tensors do not fit the network its header describes, is Corrupt with a message that
    /// says what the file holds; an unreadable one is NotFound/Io/Corrupt. On error the prior
    /// keeps its previous state. After success embed() works without fit().
    Status loadState(const std::filesystem::path& file) override;

    bool fitted() const { return m_model != nullptr; }
    /// Shape of the images the prior was fitted on (what VaePrior::decode returns); zeros before.
    data::ImageShape imageShape() const;
    /// Mean loss of each completed epoch of the last fit() (nats per image; empty after
    /// loadState()).
    const std::vector<double>& epochLosses() const { return m_epochLosses; }

protected:
    AutoencoderPrior(int dim, const PriorOptions& options, bool variational);
    /// The trained model, or nullptr before fit()/loadState().
    detail::AutoencoderModel* model() const { return m_model.get(); }

private:
    int m_dim = 0;
    bool m_variational = false;
    std::uint64_t m_seed = 0;
    int m_epochs = 10;
    int m_batchSize = 256;
    std::unique_ptr<detail::AutoencoderModel> m_model;
    std::vector<double> m_epochLosses;
};

/// Factory for the registry: the `ae:D` prior. Uses PriorOptions::epochs, batchSize and seed.
EmbedderPtr makeAutoencoderPrior(int dim, const PriorOptions& options);

} // namespace gps::priors
