#pragma once
/// Internal to core/priors: the convolutional (variational) autoencoder behind the `ae:D` and
/// `vae:D` priors, its losses, and the working geometry chosen from a dataset's image shape.
/// Includes LibTorch module headers, so only prior .cpp files include it.
///
/// Encoder: conv 3×3 stride 2 (C → 32), ReLU, conv 3×3 stride 2 (32 → 64), ReLU, flatten,
/// linear → 256, ReLU, then linear → D (the mean) and, for the VAE, a second linear → D (the
/// log variance). Decoder, mirrored: linear D → 256, ReLU, linear → 64 × ⌈h/4⌉ × ⌈w/4⌉, ReLU,
/// then two sub-pixel up-steps (3×3 conv to 4× the channels, 2× pixel shuffle, crop to the size
/// the encoder had there): → 32 channels, ReLU, → C channels of logits (sigmoid = pixels in
/// [0, 1]). Odd sides come back exactly (13 → 7 → 4 → 8 → crop 7 → 14 → crop 13).
/// Why sub-pixel and not transposed convolutions: on LibTorch 1.13's CPU backend a transposed
/// conv's backward pass ran about 10× slower than the same work as a conv plus pixel shuffle,
/// and the shuffle has no checkerboard artefacts.
/// About 6.5 MMAC per 28×28 image forward. No batch norm or dropout: train and eval modes
/// compute the same function, so embeddings do not depend on the mode or on batch composition.

#include "common/result.h"
#include "data/image_block.h"
#include "priors/batching.h"

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace gps::priors::detail {

/// Longest side the network sees; larger images are shrunk (area averaging, aspect kept) for the
/// prior only, and decoded images are resized back to the dataset's shape.
inline constexpr int kAutoencoderMaxSide = 64;

/// The network input for images of `shape`: the same channels, both sides scaled by one factor
/// so that the longer is at most kAutoencoderMaxSide (each side at least 1).
NetInput autoencoderInput(const data::ImageShape& shape);

struct ConvAutoencoderNetOptions {
    NetInput input;           ///< network input size (after autoencoderInput)
    int latentDim = 16;       ///< D
    bool variational = false; ///< adds the log-variance head
    int width = 32;           ///< channels of the first conv; the second has 2×
    int hidden = 256;         ///< units of the fully connected layer on each side
};

/// The encoder's output for B images: B × D means and, for the VAE, B × D log variances
/// (undefined tensor for the plain autoencoder).
struct Encoded {
    at::Tensor mean;
    at::Tensor logVariance;
};

class ConvAutoencoderNetImpl : public torch::nn::Module {
public:
    explicit ConvAutoencoderNetImpl(ConvAutoencoderNetOptions options);

    /// `images`: B × C × H × W float in [0, 1] at options().input size.
    Encoded encode(const at::Tensor& images);
    /// `latents`: B × D float → B × C × H × W logits (apply sigmoid for pixels in [0, 1]).
    at::Tensor decodeLogits(const at::Tensor& latents);

    /// Re-draws every weight and bias uniformly in ±1/√fan_in (PyTorch's default initialisation
    /// for these layers) from `generator`, so the initial weights depend on the seed alone and not
    /// on the process-global generator that other threads may be using.
    void resetParameters(at::Generator& generator);

    const ConvAutoencoderNetOptions& options() const { return m_options; }

private:
    ConvAutoencoderNetOptions m_options;
    torch::nn::Sequential m_encoder{nullptr};
    torch::nn::Linear m_meanHead{nullptr};
    torch::nn::Linear m_logVarianceHead{nullptr};
    torch::nn::Sequential m_decoder{nullptr}; // the fully connected part
    torch::nn::Conv2d m_up1{nullptr};
    torch::nn::Conv2d m_up2{nullptr};
};
TORCH_MODULE(ConvAutoencoderNet);

/// Binary cross-entropy between sigmoid(`logits`) and `images` (both B × C × H × W), summed over
/// each image's pixels and averaged over the batch: a scalar in nats per image.
at::Tensor reconstructionLoss(const at::Tensor& logits, const at::Tensor& images);

/// KL(N(mean, exp(logVariance)) ‖ N(0, I)), summed over the D latents, averaged over the batch.
at::Tensor klDivergence(const at::Tensor& mean, const at::Tensor& logVariance);

/// mean + exp(logVariance / 2) · ε with ε ~ N(0, I) drawn from `generator` (reparameterisation).
at::Tensor sampleLatent(const at::Tensor& mean, const at::Tensor& logVariance,
                        at::Generator& generator);

/// What a prior's fit() produces and embed()/decode()/saveState() use.
struct AutoencoderModel {
    data::ImageShape imageShape; ///< the dataset's shape; decode() returns images of it
    ConvAutoencoderNet net{nullptr};
};

/// "ae:D" or "vae:D" for a network of these options.
std::string autoencoderSpec(bool variational, int latentDim);

/// Writes `model` as one LibTorch archive, atomically: a header tensor (int64: format version,
/// variational, D, image height, width, channels, conv width, hidden units) and each parameter
/// under its module path with '.' written as '_' (archive keys cannot hold dots).
Status saveAutoencoderModel(const AutoencoderModel& model, const std::filesystem::path& file);

/// Reads what saveAutoencoderModel wrote and checks it is an `expectedSpec` network whose every
/// tensor has the shape the header implies; errors name `file` and say what it holds instead.
Result<std::unique_ptr<AutoencoderModel>> loadAutoencoderModel(const std::filesystem::path& file,
                                                               const std::string& expectedSpec);

} // namespace gps::priors::detail
