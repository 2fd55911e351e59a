#pragma once
/// The augmentation ops, one function each, on uint8 images (H×W×1 or H×W×3, RGB). Every random
/// op takes an explicit Rng and documents what it draws, in order; the same generator state
/// gives the same bytes on any machine (no platform-dependent SIMD paths). Ops return a new
/// continuous Mat and never write into their input. An image of another type is a GPS_CHECK
/// failure. Results are rounded to the nearest byte and clamped after each op.
///
/// An op whose probability is 0 (or that cannot change anything) draws nothing, so switching
/// an op off does not shift the draws of the ops after it.

#include "augment/spec.h"
#include "common/rng.h"

#include <opencv2/core/mat.hpp>

namespace gps::augment {

/// Crops a random area fraction in spec.scale with aspect ratio in spec.ratio (log-uniform),
/// as torchvision's RandomResizedCrop (10 tries, then a centre crop with the ratio clamped),
/// and resizes to size×size as resizeTo does. size 0 = spec.size, or the image's height when
/// that is 0 too. Draws per try: area fraction, log aspect ratio; when the crop fits: top, left.
cv::Mat randomResizedCrop(const cv::Mat& image, const CropSpec& spec, int size, Rng& rng);
/// Resizes to size×size (size > 0) with a bilinear filter that is widened when shrinking (PIL's
/// antialiased bilinear, which torchvision uses on PIL images). The `weak` preset's crop.
cv::Mat resizeTo(const cv::Mat& image, int size);

/// With probability spec.p: brightness, contrast, saturation and hue factors in random order,
/// as torchvision's ColorJitter. Saturation and hue do nothing on one-channel images. Draws:
/// apply; if applied, the order (3 draws), then one factor for each non-zero strength in the
/// order brightness, contrast, saturation, hue. All-zero strengths draw nothing.
cv::Mat colorJitter(const cv::Mat& image, const JitterSpec& spec, Rng& rng);
/// v · factor (factor >= 0).
cv::Mat adjustBrightness(const cv::Mat& image, double factor);
/// factor · v + (1 − factor) · mean luma of the image (factor >= 0).
cv::Mat adjustContrast(const cv::Mat& image, double factor);
/// factor · v + (1 − factor) · the pixel's luma; one-channel images are returned unchanged.
cv::Mat adjustSaturation(const cv::Mat& image, double factor);
/// Adds `shift` turns to the HSV hue (shift in [−0.5, 0.5]); one-channel images unchanged.
cv::Mat adjustHue(const cv::Mat& image, double shift);

/// Luma (ITU-R 601: 0.299 R + 0.587 G + 0.114 B, rounded) replicated to the input's channel
/// count. A one-channel image is returned unchanged.
cv::Mat grayscale(const cv::Mat& image);
/// With probability spec.p: Gaussian blur with σ drawn uniformly from spec.sigma. Draws: apply;
/// if applied, σ.
cv::Mat gaussianBlur(const cv::Mat& image, const BlurSpec& spec, Rng& rng);
/// Gaussian blur with the given σ > 0: kernel 2·ceil(3σ)+1, borders reflected.
cv::Mat gaussianBlurWithSigma(const cv::Mat& image, double sigma);
/// Inverts pixels >= threshold (v → 255 − v).
cv::Mat solarize(const cv::Mat& image, int threshold);
/// Mirror left-right.
cv::Mat horizontalFlip(const cv::Mat& image);

/// Writes (v / 255 − mean[c]) / std[c] as C×H×W floats to `out` (image.total() · channels
/// floats). Empty mean or std = 0.5; one value applies to every channel.
void normalizeToChw(const cv::Mat& image, const NormalizeSpec& spec, float* out);

} // namespace gps::augment
