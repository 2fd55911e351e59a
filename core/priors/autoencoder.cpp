#include "priors/autoencoder.h"

#include "common/check.h"
#include "common/rng.h"
#include "priors/conv_autoencoder_net.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/grad_mode.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace gps::priors {

namespace {

constexpr double kLearningRate = 1e-3;
constexpr double kReadShare = 0.02; // of fit()'s progress, for converting the images
constexpr std::size_t kCacheBudgetBytes = std::size_t(1) << 30;
constexpr std::size_t kReadChunk = 1024;

std::string shapeText(const data::ImageShape& s) {
    return std::to_string(s.width) + "x" + std::to_string(s.height) + "x" +
           std::to_string(s.channels);
}

// The training split at network size. Converting (and maybe resizing) every image once, rather
// than once per epoch, matters when the split is read lazily from an image folder.
class TrainingImages {
public:
    static Result<TrainingImages> read(const data::Dataset& dataset, detail::NetInput input,
                                       const std::string& label, const ProgressFn& progress) {
        TrainingImages images(dataset, input);
        const std::size_t n = dataset.size();
        const std::size_t pixels = std::size_t(input.channels) * input.height * input.width;
        if (n * pixels > kCacheBudgetBytes)
            return images; // too large to hold: batch() reads from the dataset
        images.m_bytes =
            at::empty({std::int64_t(n), input.channels, input.height, input.width}, at::kByte);
        for (std::size_t begin = 0; begin < n; begin += kReadChunk) {
            if (!reportProgress(progress, double(begin) / double(n),
                                label + " reading images " + std::to_string(begin) + "/" +
                                    std::to_string(n)))
                return detail::cancelled(label);
            const std::size_t end = std::min(n, begin + kReadChunk);
            // v / 255 · 255 rounds back to v exactly, so nothing is lost by storing bytes.
            images.m_bytes.slice(0, std::int64_t(begin), std::int64_t(end))
                .copy_(detail::imageBatch(dataset, begin, end, input).mul_(255.0).round_());
        }
        return images;
    }

    /// The images at `indices` as count × C × H × W float in [0, 1].
    at::Tensor batch(std::int64_t* indices, std::size_t count) const {
        if (m_bytes.defined()) {
            const at::Tensor index = at::from_blob(indices, {std::int64_t(count)}, at::kLong);
            return m_bytes.index_select(0, index).to(at::kFloat).div_(255.0);
        }
        std::vector<at::Tensor> parts;
        parts.reserve(count);
        for (std::size_t k = 0; k < count; ++k)
            parts.push_back(detail::imageBatch(*m_dataset, std::size_t(indices[k]),
                                               std::size_t(indices[k]) + 1, m_input));
        return at::cat(parts);
    }

private:
    TrainingImages(const data::Dataset& dataset, detail::NetInput input)
        : m_dataset(&dataset), m_input(input) {}
    const data::Dataset* m_dataset;
    detail::NetInput m_input;
    at::Tensor m_bytes; // N × C × H × W uint8, or undefined when the split is too large
};

void shuffle(std::vector<std::int64_t>& order, Rng& rng) {
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng.below(i)]);
}

std::string stepMessage(const std::string& label, int epoch, int epochs, double loss) {
    char text[64];
    std::snprintf(text, sizeof text, " epoch %d/%d", epoch, epochs);
    std::string message = label + text;
    if (std::isfinite(loss)) {
        std::snprintf(text, sizeof text, " loss %.1f", loss);
        message += text;
    }
    return message;
}

} // namespace

AutoencoderPrior::AutoencoderPrior(int dim, const PriorOptions& options)
    : AutoencoderPrior(dim, options, false) {}

AutoencoderPrior::AutoencoderPrior(int dim, const PriorOptions& options, bool variational)
    : m_dim(dim), m_variational(variational), m_seed(options.seed), m_epochs(options.epochs),
      m_batchSize(std::max(1, options.batchSize)) {
    GPS_CHECK(dim > 0, (variational ? "vae" : "ae") << ": D must be positive, got " << dim);
}

AutoencoderPrior::~AutoencoderPrior() = default;

std::string AutoencoderPrior::spec() const {
    return detail::autoencoderSpec(m_variational, m_dim);
}

data::ImageShape AutoencoderPrior::imageShape() const {
    return m_model ? m_model->imageShape : data::ImageShape{};
}

Status AutoencoderPrior::fit(const data::Dataset& train, const ProgressFn& progress) {
    const std::string label = spec();
    const data::ImageShape shape = train.shape();
    const std::size_t n = train.size();
    if (n == 0)
        return makeError(ErrorCode::InvalidInput, label + ": the training split has no images");
    if (m_epochs < 1)
        return makeError(ErrorCode::InvalidInput,
                         label + ": epochs must be at least 1, not " + std::to_string(m_epochs));
    if (shape.channels != 1 && shape.channels != 3)
        return makeError(ErrorCode::Unsupported, label + ": images with " +
                                                     std::to_string(shape.channels) +
                                                     " channels (expected 1 or 3)");
    const detail::NetInput input = detail::autoencoderInput(shape);

    auto images =
        TrainingImages::read(train, input, label, detail::subProgress(progress, 0.0, kReadShare));
    if (!images)
        return images.error();

    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(deriveSeed(m_seed, 1));
    detail::ConvAutoencoderNet net(detail::ConvAutoencoderNetOptions{input, m_dim, m_variational});
    net->resetParameters(generator);
    net->train();
    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(kLearningRate));

    Rng rng(deriveSeed(m_seed, 2));
    std::vector<std::int64_t> order(n);
    std::iota(order.begin(), order.end(), std::int64_t(0));
    const std::size_t batchSize = std::min(n, std::size_t(m_batchSize));
    const std::size_t steps = (n + batchSize - 1) / batchSize;
    const double totalSteps = double(steps) * m_epochs;
    std::vector<double> epochLosses;
    double shownLoss = std::nan("");
    for (int epoch = 0; epoch < m_epochs; ++epoch) {
        shuffle(order, rng);
        double lossSum = 0.0;
        for (std::size_t step = 0; step < steps; ++step) {
            const double done = double(epoch) * double(steps) + double(step);
            if (!reportProgress(progress, kReadShare + (1.0 - kReadShare) * done / totalSteps,
                                stepMessage(label, epoch + 1, m_epochs, shownLoss)))
                return detail::cancelled(label);
            const std::size_t begin = step * batchSize;
            const std::size_t count = std::min(n, begin + batchSize) - begin;
            const at::Tensor x = images->batch(order.data() + begin, count);

            const detail::Encoded code = net->encode(x);
            const at::Tensor z = m_variational
                                     ? detail::sampleLatent(code.mean, code.logVariance, generator)
                                     : code.mean;
            at::Tensor loss = detail::reconstructionLoss(net->decodeLogits(z), x);
            if (m_variational)
                loss = loss + detail::klDivergence(code.mean, code.logVariance);
            const double value = loss.item<double>();
            if (!std::isfinite(value))
                return makeError(ErrorCode::InvalidInput,
                                 label + ": the training loss became " +
                                     (std::isnan(value) ? "NaN" : "infinite") + " in epoch " +
                                     std::to_string(epoch + 1) + ", batch " +
                                     std::to_string(step + 1) +
                                     "; try another seed, a smaller D or a larger batch size");
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            lossSum += value * double(count);
            shownLoss = lossSum / double(begin + count);
        }
        epochLosses.push_back(lossSum / double(n));
    }
    (void)reportProgress(progress, 1.0, stepMessage(label, m_epochs, m_epochs, shownLoss));

    net->eval();
    auto model = std::make_unique<detail::AutoencoderModel>();
    model->imageShape = shape;
    model->net = net;
    m_model = std::move(model);
    m_epochLosses = std::move(epochLosses);
    return Ok{};
}

Result<Embedding> AutoencoderPrior::embed(const data::Dataset& dataset,
                                          const ProgressFn& progress) {
    const std::string label = spec();
    if (!m_model)
        return makeError(ErrorCode::InvalidInput,
                         label + ": fit on the training split (or load a saved state) first");
    if (dataset.size() == 0)
        return Embedding{0, m_dim, {}};
    if (dataset.shape() != m_model->imageShape)
        return makeError(ErrorCode::InvalidInput,
                         label + ": trained on images of " + shapeText(m_model->imageShape) +
                             ", this dataset has " + shapeText(dataset.shape()));
    detail::ConvAutoencoderNet net = m_model->net;
    net->eval();
    const detail::NetInput input = net->options().input;
    return detail::embedInBatches(
        dataset, std::size_t(m_batchSize), m_dim, label, progress,
        [&](std::size_t begin, std::size_t end) -> Result<at::Tensor> {
            at::NoGradGuard noGrad;
            return net->encode(detail::imageBatch(dataset, begin, end, input)).mean;
        });
}

Status AutoencoderPrior::saveState(const std::filesystem::path& file) const {
    GPS_CHECK(m_model, spec() << ": saveState before fit");
    return detail::saveAutoencoderModel(*m_model, file);
}

Status AutoencoderPrior::loadState(const std::filesystem::path& file) {
    auto model = detail::loadAutoencoderModel(file, spec());
    if (!model)
        return model.error();
    m_model = std::move(*model);
    m_epochLosses.clear();
    return Ok{};
}

EmbedderPtr makeAutoencoderPrior(int dim, const PriorOptions& options) {
    return std::make_unique<AutoencoderPrior>(dim, options);
}

} // namespace gps::priors
