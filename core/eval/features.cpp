#include "eval/features.h"

#include "augment/ops.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <exception>

namespace gps::eval {

namespace {

const std::string kWhat = "features";

Error invalid(const std::string& message) {
    return makeError(ErrorCode::InvalidInput, kWhat + ": " + message);
}

// Puts the backbone in eval mode for the scope and restores its mode on every way out.
class EvalModeScope {
public:
    explicit EvalModeScope(models::BackboneImpl& backbone)
        : m_backbone(backbone), m_wasTraining(backbone.is_training()) {
        m_backbone.eval();
    }
    ~EvalModeScope() { m_backbone.train(m_wasTraining); }
    EvalModeScope(const EvalModeScope&) = delete;
    EvalModeScope& operator=(const EvalModeScope&) = delete;

private:
    models::BackboneImpl& m_backbone;
    bool m_wasTraining;
};

Status checkOptions(const data::ImageShape& shape, int backboneChannels,
                    const FeatureOptions& options) {
    if (options.batchSize < 1)
        return invalid("batch size must be ≥ 1, got " + std::to_string(options.batchSize));
    if (options.viewSize < 0)
        return invalid("view size must be ≥ 0, got " + std::to_string(options.viewSize));
    if (shape.channels != 1 && shape.channels != 3)
        return invalid("images with " + std::to_string(shape.channels) +
                       " channels (expected 1 or 3)");
    if (shape.channels != backboneChannels)
        return invalid("the backbone takes " + std::to_string(backboneChannels) +
                       "-channel images, the dataset has " + std::to_string(shape.channels));
    for (const float s : options.normalize.std)
        if (!(s > 0))
            return invalid("normalize.std must be > 0, got " + std::to_string(s));
    return Ok{};
}

// Image i, resized to the view size when it differs, as C×H×W normalised floats into `out`.
void writeView(const data::Dataset& dataset, std::size_t i, int height, int width,
               const augment::NormalizeSpec& normalize, float* out) {
    cv::Mat image = dataset.image(i);
    if (image.rows != height || image.cols != width) {
        const bool shrinking = height < image.rows || width < image.cols;
        cv::Mat resized;
        cv::resize(image, resized, cv::Size(width, height), 0, 0,
                   shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        image = resized;
    }
    augment::normalizeToChw(image, normalize, out);
}

std::string imagesText(std::size_t begin, std::size_t end) {
    return "images " + std::to_string(begin) + "–" + std::to_string(end - 1);
}

} // namespace

Result<at::Tensor> extractFeatures(models::BackboneImpl& backbone, const data::Dataset& dataset,
                                   const FeatureOptions& options, const ProgressFn& progress) {
    const data::ImageShape shape = dataset.shape();
    if (auto valid = checkOptions(shape, backbone.config().inChannels, options); !valid)
        return valid.error();
    const int height = options.viewSize > 0 ? options.viewSize : shape.height;
    const int width = options.viewSize > 0 ? options.viewSize : shape.width;
    const int channels = shape.channels;
    const std::size_t n = dataset.size();
    const auto viewFloats = std::size_t(channels) * std::size_t(height) * std::size_t(width);

    const EvalModeScope evalMode(backbone);
    const at::NoGradGuard noGrad;
    at::Tensor features = at::empty({std::int64_t(n), backbone.featureDim()}, at::kFloat);
    const std::string total = std::to_string(n);
    if (!reportProgress(progress, 0.0, kWhat + ": 0/" + total + " images"))
        return makeError(ErrorCode::Cancelled, kWhat + ": cancelled");
    for (std::size_t begin = 0; begin < n; begin += std::size_t(options.batchSize)) {
        const std::size_t end = std::min(n, begin + std::size_t(options.batchSize));
        const auto rows = std::int64_t(end - begin);
        at::Tensor batch = at::empty({rows, channels, height, width}, at::kFloat);
        float* out = batch.data_ptr<float>();
        // Images are independent and each writes its own slice: the result does not depend on
        // the thread count.
        try {
            at::parallel_for(0, rows, 8, [&](std::int64_t first, std::int64_t last) {
                for (std::int64_t r = first; r < last; ++r)
                    writeView(dataset, begin + std::size_t(r), height, width, options.normalize,
                              out + std::size_t(r) * viewFloats);
            });
        } catch (const data::UnreadableImageError& error) {
            // Features are one row per image: a file that cannot be decoded cannot be skipped.
            return makeError(ErrorCode::Corrupt, kWhat + ": " + error.what());
        }
        at::Tensor output;
        try {
            output = backbone.forward(batch.to(options.device));
        } catch (const std::exception& e) {
            const auto* torchError = dynamic_cast<const c10::Error*>(&e);
            return invalid("the backbone failed on " + imagesText(begin, end) + " (" +
                           std::to_string(rows) + "×" + std::to_string(channels) + "×" +
                           std::to_string(height) + "×" + std::to_string(width) +
                           "): " + (torchError ? torchError->what_without_backtrace() : e.what()));
        }
        if (output.dim() != 2 || output.size(0) != rows || output.size(1) != features.size(1))
            return invalid("the backbone returned " + std::to_string(output.dim()) +
                           "-d output of " + std::to_string(output.numel()) + " values for " +
                           imagesText(begin, end) + ", expected " + std::to_string(rows) + "×" +
                           std::to_string(features.size(1)));
        features.narrow(0, std::int64_t(begin), rows).copy_(output.to(at::kCPU, at::kFloat));
        if (!reportProgress(progress, double(end) / double(n),
                            kWhat + ": " + std::to_string(end) + "/" + total + " images"))
            return makeError(ErrorCode::Cancelled, kWhat + ": cancelled");
    }
    return features;
}

at::Tensor datasetLabels(const data::Dataset& dataset) {
    const std::size_t n = dataset.size();
    at::Tensor labels = at::full({std::int64_t(n)}, std::int64_t(data::kNoLabel), at::kLong);
    if (!dataset.labelled())
        return labels;
    auto* out = labels.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < n; ++i)
        out[i] = dataset.label(i);
    return labels;
}

} // namespace gps::eval
