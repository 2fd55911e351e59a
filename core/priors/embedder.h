#pragma once
/// A prior: a fixed embedding g(x) in which Euclidean distance means "semantically close"
/// (docs/design.md §1). Some priors learn from the training split first (PCA, autoencoder, VAE);
/// the rest are fixed functions. Spec strings: pixels, pca:D, hog, random-cnn, ae:D, vae:D,
/// torchscript:PATH, npy:PATH, run:DIR.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "priors/embedding.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gps::priors {

/// Options a prior may use; each prior documents which. Part of the cache key.
struct PriorOptions {
    bool standardize = false; ///< pixels: subtract the per-pixel mean, divide by std
    std::uint64_t seed = 0;   ///< pca (randomised solver), random-cnn, ae, vae
    int epochs = 10;          ///< ae, vae: training epochs on the training split
    int batchSize = 256;      ///< ae, vae, random-cnn, torchscript: images per forward
    // torchscript: how images are fed to the user's encoder.
    int inputSize = 0;       ///< side in px to resize to; 0 = the dataset's
    int inputChannels = 0;   ///< 1 or 3; 0 = the dataset's (grey is repeated to 3)
    std::vector<float> mean; ///< per channel in [0,1] units; empty = none
    std::vector<float> std;
    bool operator==(const PriorOptions&) const = default;
};

class Embedder {
public:
    virtual ~Embedder() = default;

    /// Canonical spec string ("pca:64"), shown to the user and part of the cache key.
    virtual std::string spec() const = 0;
    /// Dimension of the rows embed() returns (known after fit() for learned priors).
    virtual std::int64_t dim() const = 0;
    /// True when fit() must run on the training split before embed().
    virtual bool needsFit() const { return false; }
    /// Learns the prior's parameters from `train`. Cancelled through `progress` returning false.
    virtual Status fit(const data::Dataset& train, const ProgressFn& progress) {
        (void)train, (void)progress;
        return Ok{};
    }
    /// Embeds every image of `dataset` in order. Cancelled through `progress` returning false.
    virtual Result<Embedding> embed(const data::Dataset& dataset, const ProgressFn& progress) = 0;

    /// Learned state (weights, components) written next to cached embeddings so that a second run
    /// with the same settings can embed new data without fitting again. Default: nothing to save.
    virtual Status saveState(const std::filesystem::path& file) const {
        (void)file;
        return Ok{};
    }
    virtual Status loadState(const std::filesystem::path& file) {
        (void)file;
        return Ok{};
    }
};

using EmbedderPtr = std::unique_ptr<Embedder>;

} // namespace gps::priors
