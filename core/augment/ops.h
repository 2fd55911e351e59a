#pragma once
/// The augmentation ops, one function each, on uint8 images (H×W×1 or H×W×3, RGB). Every random
/// op takes an explicit Rng; the same generator state gives the same output. Ops return a new
/// Mat and never write into their input.

#include "augment/spec.h"
#include "common/rng.h"

#include <opencv2/core/mat.hpp>

namespace gps::augment {

/// Crops a random area fraction in spec.scale with aspect ratio in spec.ratio (log-uniform),
/// as torchvision's RandomResizedCrop (10 tries, then a centre crop), and resizes to size×size.
cv::Mat randomResizedCrop(const cv::Mat& image, const CropSpec& spec, int size, Rng& rng);
/// Resizes to size×size (the `weak` preset's crop).
cv::Mat resizeTo(const cv::Mat& image, int size);
/// With probability spec.p: brightness, contrast, saturation and hue factors in random order,
/// as torchvision's ColorJitter. Saturation and hue do nothing on one-channel images.
cv::Mat colorJitter(const cv::Mat& image, const JitterSpec& spec, Rng& rng);
/// Luma (ITU-R 601) replicated to the input's channel count.
cv::Mat grayscale(const cv::Mat& image);
/// Gaussian blur with sigma drawn uniformly from spec.sigma (kernel covers ±3σ).
cv::Mat gaussianBlur(const cv::Mat& image, const BlurSpec& spec, Rng& rng);
/// Inverts pixels >= threshold.
cv::Mat solarize(const cv::Mat& image, int threshold);
/// Mirror left-right.
cv::Mat horizontalFlip(const cv::Mat& image);

} // namespace gps::augment
