#include "priors/conv_autoencoder_net.h"

#include "common/check.h"
#include "common/file_io.h"
#include "priors/non_finite.h"
#include "priors/state_file.h"

#include <ATen/core/grad_mode.h>
#include <ATen/ops/binary_cross_entropy_with_logits.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/pixel_shuffle.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

namespace gps::priors::detail {

namespace {

constexpr std::int64_t kStateVersion = 1;
constexpr std::int64_t kHeaderSize = 8;
const char* const kHeaderKey = "gps_autoencoder_header";

std::string archiveKey(std::string name) {
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

std::string shapeText(at::IntArrayRef sizes) {
    std::string text = "[";
    for (std::size_t i = 0; i < sizes.size(); ++i)
        text += (i ? ", " : "") + std::to_string(sizes[i]);
    return text + "]";
}

torch::nn::ReLU relu() {
    return torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true));
}

// 3×3 stride 2 padding 1: a side s becomes ceil(s / 2).
torch::nn::Conv2d down(int in, int out) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(2).padding(1));
}

// 3×3 conv making `out` × 4 channels for a 2× pixel shuffle (sub-pixel convolution).
torch::nn::Conv2d subPixel(int in, int out) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, 4 * out, 3).padding(1));
}

int halfUp(int side) {
    return (side + 1) / 2;
}

// Doubles the side with a pixel shuffle, then crops to the side the matching encoder layer had
// (2·ceil(s / 2) is s + 1 for odd s).
at::Tensor upTo(const at::Tensor& x, int height, int width) {
    at::Tensor up = at::pixel_shuffle(x, 2);
    // Cropping only when needed: a no-op slice still costs a zero-fill and copy in backward.
    if (up.size(2) != height)
        up = up.narrow(2, 0, height);
    if (up.size(3) != width)
        up = up.narrow(3, 0, width);
    return up;
}

} // namespace

NetInput autoencoderInput(const data::ImageShape& shape) {
    const int side = std::max(shape.height, shape.width);
    if (side <= kAutoencoderMaxSide)
        return {shape.height, shape.width, shape.channels};
    const double scale = double(kAutoencoderMaxSide) / double(side);
    auto scaled = [&](int v) {
        return std::clamp(int(std::lround(v * scale)), 1, kAutoencoderMaxSide);
    };
    return {scaled(shape.height), scaled(shape.width), shape.channels};
}

ConvAutoencoderNetImpl::ConvAutoencoderNetImpl(ConvAutoencoderNetOptions options)
    : m_options(options) {
    const NetInput in = options.input;
    GPS_CHECK(in.channels >= 1 && in.height >= 1 && in.width >= 1,
              "autoencoder input " << in.width << "x" << in.height << "x" << in.channels);
    GPS_CHECK(options.latentDim > 0 && options.width > 0 && options.hidden > 0,
              "autoencoder sizes D=" << options.latentDim << " width=" << options.width
                                     << " hidden=" << options.hidden);
    const int w1 = options.width, w2 = 2 * options.width;
    const std::int64_t flat =
        std::int64_t(w2) * halfUp(halfUp(in.height)) * halfUp(halfUp(in.width));

    torch::nn::Sequential encoder;
    encoder->push_back(down(in.channels, w1));
    encoder->push_back(relu());
    encoder->push_back(down(w1, w2));
    encoder->push_back(relu());
    encoder->push_back(torch::nn::Flatten());
    encoder->push_back(torch::nn::Linear(flat, options.hidden));
    encoder->push_back(relu());
    m_encoder = register_module("encoder", encoder);
    m_meanHead = register_module("mean", torch::nn::Linear(options.hidden, options.latentDim));
    if (options.variational)
        m_logVarianceHead =
            register_module("log_variance", torch::nn::Linear(options.hidden, options.latentDim));

    torch::nn::Sequential decoder;
    decoder->push_back(torch::nn::Linear(options.latentDim, options.hidden));
    decoder->push_back(relu());
    decoder->push_back(torch::nn::Linear(options.hidden, flat));
    decoder->push_back(relu());
    m_decoder = register_module("decoder", decoder);
    m_up1 = register_module("up1", subPixel(w2, w1));
    m_up2 = register_module("up2", subPixel(w1, in.channels));
}

Encoded ConvAutoencoderNetImpl::encode(const at::Tensor& images) {
    const at::Tensor features = m_encoder->forward(images);
    Encoded out;
    out.mean = m_meanHead->forward(features);
    if (m_logVarianceHead)
        out.logVariance = m_logVarianceHead->forward(features);
    return out;
}

at::Tensor ConvAutoencoderNetImpl::decodeLogits(const at::Tensor& latents) {
    const NetInput in = m_options.input;
    const int h1 = halfUp(in.height), x1 = halfUp(in.width);
    const at::Tensor grid = m_decoder->forward(latents).view(
        {latents.size(0), 2 * m_options.width, halfUp(h1), halfUp(x1)});
    const at::Tensor hidden = upTo(m_up1->forward(grid), h1, x1).relu();
    return upTo(m_up2->forward(hidden), in.height, in.width);
}

void ConvAutoencoderNetImpl::resetParameters(at::Generator& generator) {
    at::NoGradGuard noGrad; // in-place writes to leaf parameters
    // modules() lists in registration order, so the draws are reproducible.
    for (const auto& module : modules(/*include_self=*/false)) {
        at::Tensor weight, bias;
        for (const auto& item : module->named_parameters(/*recurse=*/false)) {
            if (item.key() == "weight")
                weight = item.value();
            else if (item.key() == "bias")
                bias = item.value();
        }
        if (!weight.defined() || weight.dim() < 2)
            continue;
        // fan_in as torch.nn.init computes it: size(1) × kernel area (for a transposed conv
        // size(1) is its output channels, as in PyTorch's own reset_parameters).
        // NOLINTNEXTLINE(bugprone-integer-division): numel is a multiple of size(0), exact
        const double fanIn = double(weight.numel() / weight.size(0));
        const double bound = 1.0 / std::sqrt(fanIn);
        weight.uniform_(-bound, bound, generator);
        if (bias.defined())
            bias.uniform_(-bound, bound, generator);
    }
}

at::Tensor reconstructionLoss(const at::Tensor& logits, const at::Tensor& images) {
    const at::Tensor total =
        at::binary_cross_entropy_with_logits(logits, images, {}, {}, at::Reduction::Sum);
    return total / double(std::max<std::int64_t>(1, images.size(0)));
}

at::Tensor klDivergence(const at::Tensor& mean, const at::Tensor& logVariance) {
    const at::Tensor perTerm = 1.0 + logVariance - mean.pow(2) - logVariance.exp();
    return perTerm.sum() * (-0.5 / double(std::max<std::int64_t>(1, mean.size(0))));
}

at::Tensor sampleLatent(const at::Tensor& mean, const at::Tensor& logVariance,
                        at::Generator& generator) {
    const at::Tensor noise = at::empty_like(mean).normal_(0.0, 1.0, generator);
    return mean + (0.5 * logVariance).exp() * noise;
}

std::string autoencoderSpec(bool variational, int latentDim) {
    return (variational ? "vae:" : "ae:") + std::to_string(latentDim);
}

Status saveAutoencoderModel(const AutoencoderModel& model, const std::filesystem::path& file) {
    GPS_CHECK(model.net, "saving an autoencoder without a network");
    const ConvAutoencoderNetOptions& o = model.net->options();
    std::vector<std::int64_t> header{
        kStateVersion,          o.variational ? 1 : 0,     o.latentDim, model.imageShape.height,
        model.imageShape.width, model.imageShape.channels, o.width,     o.hidden};
    std::ostringstream bytes;
    try {
        torch::serialize::OutputArchive archive;
        archive.write(kHeaderKey, at::from_blob(header.data(), {kHeaderSize}, at::kLong).clone(),
                      /*is_buffer=*/true);
        for (const auto& item : model.net->named_parameters(/*recurse=*/true)) {
            const at::Tensor values = item.value().detach().cpu().to(at::kFloat).contiguous();
            const NonFinite bad =
                countNonFinite(values.data_ptr<float>(), std::size_t(values.numel()));
            if (bad.any())
                return makeError(ErrorCode::InvalidInput, file.string() + ": the network's " +
                                                              item.key() + " has " + bad.text() +
                                                              "; not saved");
            archive.write(archiveKey(item.key()), item.value().detach());
        }
        archive.save_to(bytes);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal,
                         file.string() + ": cannot serialise the network: " + e.what());
    }
    return writeFileAtomic(file, bytes.str());
}

Result<std::unique_ptr<AutoencoderModel>> loadAutoencoderModel(const std::filesystem::path& file,
                                                               const std::string& expectedSpec) {
    const std::string what = expectedSpec + " state";
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(reinterpret_cast<const char*>(bytes->data()), bytes->size());
        at::Tensor header;
        if (!archive.try_read(kHeaderKey, header) || header.scalar_type() != at::kLong ||
            header.dim() != 1 || header.numel() != kHeaderSize)
            return corruptState(file, what, "a LibTorch archive without an autoencoder header");
        header = header.contiguous();
        const std::int64_t* h = header.data_ptr<std::int64_t>();
        if (h[0] != kStateVersion)
            return corruptState(file, what,
                                "format version " + std::to_string(h[0]) + ", this build reads " +
                                    std::to_string(kStateVersion));
        const auto inRange = [](std::int64_t v, std::int64_t lo, std::int64_t hi) {
            return v >= lo && v <= hi;
        };
        if (!inRange(h[1], 0, 1) || !inRange(h[2], 1, 1 << 16) || !inRange(h[3], 1, 1 << 16) ||
            !inRange(h[4], 1, 1 << 16) || !(h[5] == 1 || h[5] == 3) || !inRange(h[6], 1, 4096) ||
            !inRange(h[7], 1, 1 << 16))
            return corruptState(file, what, "header values out of range");
        const std::string found = autoencoderSpec(h[1] == 1, int(h[2]));
        if (found != expectedSpec)
            return corruptState(file, what,
                                "holds the network of " + found + ", expected " + expectedSpec);

        auto model = std::make_unique<AutoencoderModel>();
        model->imageShape = data::ImageShape{int(h[3]), int(h[4]), int(h[5])};
        const NetInput input = autoencoderInput(model->imageShape);
        model->net = ConvAutoencoderNet(
            ConvAutoencoderNetOptions{input, int(h[2]), h[1] == 1, int(h[6]), int(h[7])});
        at::NoGradGuard noGrad;
        for (auto& item : model->net->named_parameters(/*recurse=*/true)) {
            const std::string key = archiveKey(item.key());
            at::Tensor stored;
            if (!archive.try_read(key, stored))
                return corruptState(file, what, "tensor " + key + " is missing");
            if (stored.sizes() != item.value().sizes() || stored.scalar_type() != at::kFloat)
                return corruptState(file, what,
                                    "tensor " + key + " is " + shapeText(stored.sizes()) +
                                        ", the network needs " + shapeText(item.value().sizes()) +
                                        " float");
            const at::Tensor values = stored.contiguous();
            const NonFinite bad =
                countNonFinite(values.data_ptr<float>(), std::size_t(values.numel()));
            if (bad.any())
                return corruptState(file, what,
                                    "tensor " + key + " holds " + bad.text() +
                                        " (the file is damaged)");
            item.value().copy_(values);
        }
        model->net->eval();
        return model;
    } catch (const std::exception& e) {
        // LibTorch throws c10::Error (a std::exception) for anything that is not its archive.
        std::string reason = e.what();
        reason = reason.substr(0, reason.find('\n'));
        return corruptState(file, what,
                            "not a LibTorch archive written by saveState (" + reason + ")");
    }
}

} // namespace gps::priors::detail
