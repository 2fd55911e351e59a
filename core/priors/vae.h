#pragma once
/// The `vae:D` prior: a convolutional variational autoencoder trained on the training split; g(x)
/// is the posterior mean μ(x). Network, training, determinism and state file as AutoencoderPrior
/// (autoencoder.h), with two heads (μ and log σ²) and the loss
///     BCE(decoder(z), x) summed over pixels + KL(N(μ, σ²) ‖ N(0, I)),  z = μ + σ·ε,
/// averaged over the batch (the negative ELBO in nats per image).
///
/// The decoder also serves synthetic positives (docs/design.md §1, CLSP): decode a point between an
/// anchor's latent and a neighbour's latent. Latents are plain float rows — the rows embed()
/// returned, kept in an embedding cache — so callers need no LibTorch. A prior made by the
/// registry is an EmbedderPtr; `dynamic_cast<VaePrior*>` reaches these methods.

#include "priors/autoencoder.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace gps::priors {

class VaePrior final : public AutoencoderPrior {
public:
    /// `dim` = D ≥ 1 (the registry checks the spec).
    VaePrior(int dim, const PriorOptions& options);

    /// Decodes each row of `latents` (rows × D, as embed() returns) to an image of imageShape():
    /// uint8, H × W × C, RGB or grey, a fresh Mat per row. The decoder's mean (sigmoid of its
    /// logits) is rounded to bytes; images shrunk for the prior (side > 64 px) are resized back
    /// (bilinear), so they look softer than the originals.
    /// Errors: InvalidInput before fit()/loadState() or when latents.dim ≠ D.
    /// Thread-safety: const and without side effects; may run alongside other const calls, not
    /// alongside fit() or loadState().
    Result<std::vector<cv::Mat>> decode(const Embedding& latents) const;

    /// Decodes (1 − t)·from + t·to row by row: t = 0 gives decode(from), t = 1 decode(to).
    /// `from` and `to` have the same number of rows of D values; `t` holds one value for every
    /// row or a single value for all (values outside [0, 1] extrapolate, which is allowed).
    /// Errors: as decode(), and InvalidInput when the row counts or t's size do not match.
    Result<std::vector<cv::Mat>> decodeInterpolated(const Embedding& from, const Embedding& to,
                                                    const std::vector<float>& t) const;
};

/// Factory for the registry: the `vae:D` prior. Uses PriorOptions::epochs, batchSize and seed.
EmbedderPtr makeVaePrior(int dim, const PriorOptions& options);

} // namespace gps::priors
