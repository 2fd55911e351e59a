#pragma once
// Internal to core/augment: the ops as kernels that work in place or into caller-owned buffers,
// so that AugmentPipeline runs a whole view without allocating once its Scratch is warm. The
// public functions of ops.h wrap these. Not part of gps_core's API.
//
// All arithmetic is integer or IEEE float/double in a fixed order (no OpenCV SIMD paths), so
// the same input and generator state give the same bytes on any machine.

#include "augment/spec.h"
#include "common/rng.h"

#include <opencv2/core/mat.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace gps::augment::detail {

/// Resampling taps along one axis: output o reads `taps` inputs from start[o] with weights
/// weight[o * taps + k] (zero-padded so every output has the same count).
struct AxisTaps {
    int taps = 0;
    std::vector<int> start;
    std::vector<float> weight;
};

/// Buffers one thread reuses from view to view. Not shared between threads.
struct Scratch {
    AxisTaps x, y;
    std::vector<float> rows;   ///< first (horizontal) pass of resample and blur
    std::vector<float> line;   ///< one padded or accumulated row
    std::vector<float> kernel; ///< blur weights
    cv::Mat image, spare;      ///< the view being built and a second buffer to swap with
};

/// A crop in pixels: top-left corner and size, inside the image.
struct CropBox {
    int x = 0, y = 0, width = 0, height = 0;
};

/// GPS_CHECK that image is a non-empty CV_8UC1 or CV_8UC3.
void checkImage(const cv::Mat& image);

/// Rounds to the nearest byte, clamping to [0, 255] first.
inline std::uint8_t toByte(double v) {
    v = v < 0.0 ? 0.0 : (v > 255.0 ? 255.0 : v);
    return static_cast<std::uint8_t>(v + 0.5);
}
inline std::uint8_t toByte(float v) {
    v = v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v);
    return static_cast<std::uint8_t>(v + 0.5f);
}
inline std::uint8_t toByte(int v) {
    return static_cast<std::uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

/// True with probability p; draws nothing when p == 0 so that switched-off ops leave the
/// generator where it was.
inline bool drawApply(double p, Rng& rng) {
    return p > 0 && rng.bernoulli(p);
}

// --- crop_resize.cpp --------------------------------------------------------------------------

/// torchvision's RandomResizedCrop.get_params. Draws, per try (at most 10): area fraction,
/// log aspect ratio; on the first try that fits: top, then left. The centre-crop fallback draws
/// nothing more.
CropBox drawCropBox(int height, int width, const CropSpec& spec, Rng& rng);
/// Resizes src (any ROI) to size × size into dst with a triangle (bilinear) filter widened by
/// the shrink factor, as PIL's antialiased bilinear resize; same-size input is copied.
void resampleInto(const cv::Mat& src, int size, cv::Mat& dst, Scratch& scratch);
void flipInPlace(cv::Mat& image);

// --- color_ops.cpp ----------------------------------------------------------------------------

/// ITU-R 601 luma rounded to an integer: (299 R + 587 G + 114 B + 500) / 1000.
inline int luma(int r, int g, int b) {
    return (299 * r + 587 * g + 114 * b + 500) / 1000;
}

void brightnessInPlace(cv::Mat& image, double factor);
void contrastInPlace(cv::Mat& image, double factor);
void saturationInPlace(cv::Mat& image, double factor);
void hueInPlace(cv::Mat& image, double shift);
/// Whether the jitter can change anything; when not, it draws nothing.
bool jitterActive(const JitterSpec& spec);
/// Draws: apply (p); if applied, a permutation of the four adjustments (Fisher–Yates, 3
/// draws), then one factor per non-zero strength in the order brightness, contrast,
/// saturation, hue.
void colorJitterInPlace(cv::Mat& image, const JitterSpec& spec, Rng& rng);
void grayscaleInPlace(cv::Mat& image);
void solarizeInPlace(cv::Mat& image, int threshold);

// --- blur.cpp ---------------------------------------------------------------------------------

/// Separable Gaussian, kernel 2·ceil(3σ)+1, borders reflected without repeating the edge
/// (torchvision's reflect padding). dst must not alias src.
void blurInto(const cv::Mat& src, double sigma, cv::Mat& dst, Scratch& scratch);

// --- ops.cpp ----------------------------------------------------------------------------------

/// table[c * 256 + v] = (v / 255 − mean[c]) / std[c] for each of `channels` channels, computed
/// in double and rounded to float once.
std::vector<float> normalizeTable(const NormalizeSpec& spec, int channels);
/// Writes image as C × H × W floats through the table.
void normalizeWithTable(const cv::Mat& image, const float* table, float* out);

} // namespace gps::augment::detail
