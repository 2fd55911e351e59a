#pragma once
/// Applies an AugmentSpec to images: one view at a time (previews, the CLI grid) or two views for
/// a whole batch at once (training), in parallel and deterministic for a given seed.
///
/// One view runs crop → jitter → grayscale → blur → solarize → flip (→ normalise) and draws
/// from its Rng in that order, as documented op by op in ops.h: crop (random_resized only),
/// jitter, grayscale (1 draw), blur (apply, then σ), solarize (1 draw), flip (1 draw). An op
/// with probability 0 draws nothing. The same Rng state gives the same bytes on any machine.

#include "augment/spec.h"
#include "common/rng.h"
#include "data/dataset.h"

#include <cstdint>
#include <span>
#include <vector>

namespace gps::augment {

namespace detail {
struct Scratch;
}

/// Immutable after construction; every method is const and safe to call from several threads.
class AugmentPipeline {
public:
    /// `input` is the shape of the images it will see (1 or 3 channels); the output side is
    /// spec.crop.size or the input's height. GPS_CHECK failure when validateAugmentSpec(spec)
    /// fails: validate or parse specs from users first.
    AugmentPipeline(AugmentSpec spec, data::ImageShape input);

    const AugmentSpec& spec() const { return m_spec; }
    /// Shape of every view: outputSize × outputSize × input channels.
    data::ImageShape outputShape() const;

    /// One augmented view as uint8 (before normalisation), for display. The image may have any
    /// size but must have the input's channel count.
    cv::Mat view(const cv::Mat& image, Rng& rng) const;
    /// One view, normalised, written as C×H×W floats to `out` (outputShape().pixels() floats).
    /// Equals normalizeToChw(view(image, rng), spec().normalize) for the same Rng state.
    void viewToFloat(const cv::Mat& image, Rng& rng, float* out) const;

    /// Training batch: for each b, view1[b] = DA(anchor[b]) and view2[b] = DA(positive[b]), both
    /// B×C×H×W float, with independent draws from Rng(deriveSeed(seed, step, b, 0)) and
    /// Rng(deriveSeed(seed, step, b, 1)), so the result does not depend on the thread count.
    /// `positives` may equal `anchors` (standard SSL). Runs on OpenMP threads; thread-safe.
    /// Indices must be < dataset.size() and both spans the same length (GPS_CHECK).
    void pairBatch(const data::Dataset& dataset, std::span<const std::size_t> anchors,
                   std::span<const std::size_t> positives, std::uint64_t seed, std::uint64_t step,
                   float* view1, float* view2) const;

private:
    /// Runs the uint8 ops into scratch.image and returns it.
    const cv::Mat& augmentInto(const cv::Mat& image, Rng& rng, detail::Scratch& scratch) const;

    AugmentSpec m_spec;
    data::ImageShape m_input;
    int m_outputSize;
    std::vector<float> m_normalizeTable; ///< channels × 256, see normalizeToChw
};

} // namespace gps::augment
