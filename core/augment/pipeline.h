#pragma once
/// Applies an AugmentSpec to images: one view at a time (previews, the CLI grid) or two views for
/// a whole batch at once (training), in parallel and deterministic for a given seed.

#include "augment/spec.h"
#include "common/rng.h"
#include "data/dataset.h"

#include <cstdint>
#include <span>

namespace gps::augment {

class AugmentPipeline {
public:
    /// `input` is the shape of the images it will see; the output side is spec.crop.size or
    /// the input's height.
    AugmentPipeline(AugmentSpec spec, data::ImageShape input);

    const AugmentSpec& spec() const { return m_spec; }
    /// Shape of every view: outputSize × outputSize × input channels.
    data::ImageShape outputShape() const;

    /// One augmented view as uint8 (before normalisation), for display.
    cv::Mat view(const cv::Mat& image, Rng& rng) const;
    /// One view, normalised, written as C×H×W floats to `out` (outputShape().pixels() floats).
    void viewToFloat(const cv::Mat& image, Rng& rng, float* out) const;

    /// Training batch: for each b, view1[b] = DA(anchor[b]) and view2[b] = DA(positive[b]), both
    /// B×C×H×W float, with independent draws seeded by deriveSeed(seed, step, b, view).
    /// `positives` may equal `anchors` (standard SSL). Runs on OpenMP threads; thread-safe.
    void pairBatch(const data::Dataset& dataset, std::span<const std::size_t> anchors,
                   std::span<const std::size_t> positives, std::uint64_t seed, std::uint64_t step,
                   float* view1, float* view2) const;

private:
    AugmentSpec m_spec;
    data::ImageShape m_input;
    int m_outputSize;
};

} // namespace gps::augment
