#include "augment/pipeline.h"

#include "augment/op_kernels.h"
#include "common/check.h"

#include <exception>
#include <mutex>
#include <utility>

namespace gps::augment {

AugmentPipeline::AugmentPipeline(AugmentSpec spec, data::ImageShape input)
    : m_spec(std::move(spec)), m_input(input) {
    const Status valid = validateAugmentSpec(m_spec);
    GPS_CHECK(valid.ok(), "invalid augmentation spec: " << valid.error().message);
    GPS_CHECK(input.channels == 1 || input.channels == 3,
              "augmentation input must have 1 or 3 channels, got " << input.channels);
    GPS_CHECK(input.height > 0 && input.width > 0,
              "augmentation input " << input.width << "x" << input.height);
    m_outputSize = m_spec.crop.size > 0 ? m_spec.crop.size : input.height;
    m_normalizeTable = detail::normalizeTable(m_spec.normalize, input.channels);
}

data::ImageShape AugmentPipeline::outputShape() const {
    return {m_outputSize, m_outputSize, m_input.channels};
}

const cv::Mat& AugmentPipeline::augmentInto(const cv::Mat& image, Rng& rng,
                                            detail::Scratch& scratch) const {
    detail::checkImage(image);
    GPS_CHECK(image.channels() == m_input.channels, "augmentation pipeline built for "
                                                        << m_input.channels << " channels got "
                                                        << image.channels());
    if (m_spec.crop.kind == CropSpec::Kind::RandomResized) {
        const auto box = detail::drawCropBox(image.rows, image.cols, m_spec.crop, rng);
        const cv::Mat crop = image(cv::Rect(box.x, box.y, box.width, box.height));
        detail::resampleInto(crop, m_outputSize, scratch.image, scratch);
    } else {
        detail::resampleInto(image, m_outputSize, scratch.image, scratch);
    }
    detail::colorJitterInPlace(scratch.image, m_spec.jitter, rng);
    if (detail::drawApply(m_spec.grayscaleP, rng))
        detail::grayscaleInPlace(scratch.image);
    if (detail::drawApply(m_spec.blur.p, rng)) {
        const double sigma = rng.uniform(m_spec.blur.sigma[0], m_spec.blur.sigma[1]);
        detail::blurInto(scratch.image, sigma, scratch.spare, scratch);
        std::swap(scratch.image, scratch.spare);
    }
    if (detail::drawApply(m_spec.solarize.p, rng))
        detail::solarizeInPlace(scratch.image, m_spec.solarize.threshold);
    if (detail::drawApply(m_spec.flipP, rng))
        detail::flipInPlace(scratch.image);
    return scratch.image;
}

cv::Mat AugmentPipeline::view(const cv::Mat& image, Rng& rng) const {
    detail::Scratch scratch;
    return augmentInto(image, rng, scratch).clone();
}

void AugmentPipeline::viewToFloat(const cv::Mat& image, Rng& rng, float* out) const {
    detail::Scratch scratch;
    detail::normalizeWithTable(augmentInto(image, rng, scratch), m_normalizeTable.data(), out);
}

void AugmentPipeline::pairBatch(const data::Dataset& dataset, std::span<const std::size_t> anchors,
                                std::span<const std::size_t> positives, std::uint64_t seed,
                                std::uint64_t step, float* view1, float* view2) const {
    GPS_CHECK(anchors.size() == positives.size(),
              anchors.size() << " anchors but " << positives.size() << " positives");
    for (std::size_t b = 0; b < anchors.size(); ++b)
        GPS_CHECK(anchors[b] < dataset.size() && positives[b] < dataset.size(),
                  "batch item " << b << " asks for images " << anchors[b] << " and " << positives[b]
                                << " of " << dataset.size());
    const std::size_t viewFloats = outputShape().pixels();
    const auto count = static_cast<std::ptrdiff_t>(anchors.size());

    // An exception must not leave an OpenMP region: keep the first and rethrow after it.
    std::exception_ptr failure;
    std::mutex failureMutex;
#pragma omp parallel if (count > 1)
    {
        detail::Scratch scratch; // one per thread, reused for all its views
#pragma omp for schedule(static)
        for (std::ptrdiff_t b = 0; b < count; ++b) {
            try {
                const auto item = static_cast<std::size_t>(b);
                Rng first(deriveSeed(seed, step, item, seed_stream::kFirstView));
                detail::normalizeWithTable(
                    augmentInto(dataset.image(anchors[item]), first, scratch),
                    m_normalizeTable.data(), view1 + item * viewFloats);
                Rng second(deriveSeed(seed, step, item, seed_stream::kSecondView));
                detail::normalizeWithTable(
                    augmentInto(dataset.image(positives[item]), second, scratch),
                    m_normalizeTable.data(), view2 + item * viewFloats);
            } catch (...) {
                const std::lock_guard lock(failureMutex);
                if (!failure)
                    failure = std::current_exception();
            }
        }
    }
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace gps::augment
