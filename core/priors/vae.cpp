#include "priors/vae.h"

#include "priors/conv_autoencoder_net.h"

#include <ATen/core/grad_mode.h>
#include <ATen/ops/from_blob.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstring>

namespace gps::priors {

namespace {

constexpr std::int64_t kDecodeChunk = 256; // rows per decoder forward

} // namespace

VaePrior::VaePrior(int dim, const PriorOptions& options)
    : AutoencoderPrior(dim, options, /*variational=*/true) {}

Result<std::vector<cv::Mat>> VaePrior::decode(const Embedding& latents) const {
    const std::string label = spec();
    detail::AutoencoderModel* trained = model();
    if (!trained)
        return makeError(ErrorCode::InvalidInput,
                         label + ": fit on the training split (or load a saved state) first");
    if (latents.dim != dim() || latents.rows < 0 ||
        latents.values.size() !=
            std::size_t(latents.rows) * std::size_t(std::max<std::int64_t>(0, latents.dim)))
        return makeError(ErrorCode::InvalidInput,
                         label + ": latents must be rows of " + std::to_string(dim()) +
                             " values, got " + std::to_string(latents.rows) + " x " +
                             std::to_string(latents.dim) + " with " +
                             std::to_string(latents.values.size()) + " values");
    const data::ImageShape shape = trained->imageShape;
    const detail::NetInput input = trained->net->options().input;
    const bool resize = input.height != shape.height || input.width != shape.width;
    std::vector<cv::Mat> images;
    images.reserve(std::size_t(latents.rows));
    at::NoGradGuard noGrad;
    for (std::int64_t begin = 0; begin < latents.rows; begin += kDecodeChunk) {
        const std::int64_t count = std::min(kDecodeChunk, latents.rows - begin);
        // from_blob needs a non-const pointer; the tensor is only read.
        const at::Tensor z =
            at::from_blob(const_cast<float*>(latents.row(begin)), {count, latents.dim}, at::kFloat);
        // B × C × H × W logits → B × H × W × C bytes, the layout of a cv::Mat.
        const at::Tensor bytes = trained->net->decodeLogits(z)
                                     .sigmoid_()
                                     .mul_(255.0)
                                     .round_()
                                     .to(at::kByte)
                                     .permute({0, 2, 3, 1})
                                     .contiguous();
        const std::size_t imageBytes = std::size_t(input.height) * input.width * input.channels;
        for (std::int64_t k = 0; k < count; ++k) {
            cv::Mat image(input.height, input.width, CV_8UC(input.channels));
            std::memcpy(image.data, bytes.data_ptr<std::uint8_t>() + std::size_t(k) * imageBytes,
                        imageBytes);
            if (resize) {
                cv::Mat full;
                cv::resize(image, full, cv::Size(shape.width, shape.height), 0, 0,
                           cv::INTER_LINEAR);
                image = full;
            }
            images.push_back(image);
        }
    }
    return images;
}

Result<std::vector<cv::Mat>> VaePrior::decodeInterpolated(const Embedding& from,
                                                          const Embedding& to,
                                                          const std::vector<float>& t) const {
    const std::string label = spec();
    if (from.rows != to.rows || from.dim != to.dim)
        return makeError(ErrorCode::InvalidInput,
                         label + ": interpolating " + std::to_string(from.rows) + " x " +
                             std::to_string(from.dim) + " latents with " + std::to_string(to.rows) +
                             " x " + std::to_string(to.dim));
    if (t.size() != 1 && t.size() != std::size_t(std::max<std::int64_t>(0, from.rows)))
        return makeError(ErrorCode::InvalidInput,
                         label + ": " + std::to_string(t.size()) + " interpolation weights for " +
                             std::to_string(from.rows) + " rows (expected 1 or one per row)");
    if (from.values.size() != to.values.size())
        return makeError(ErrorCode::InvalidInput, label + ": latent buffers of " +
                                                      std::to_string(from.values.size()) + " and " +
                                                      std::to_string(to.values.size()) + " values");
    Embedding mixed = from;
    for (std::int64_t i = 0; i < from.rows; ++i) {
        const float w = t.size() == 1 ? t[0] : t[std::size_t(i)];
        float* out = mixed.row(i);
        const float* b = to.row(i);
        for (std::int64_t j = 0; j < from.dim; ++j)
            out[j] = (1.0f - w) * out[j] + w * b[j];
    }
    return decode(mixed);
}

EmbedderPtr makeVaePrior(int dim, const PriorOptions& options) {
    return std::make_unique<VaePrior>(dim, options);
}

} // namespace gps::priors
