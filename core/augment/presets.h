#pragma once
/// The presets of docs/design.md §2 (weak, strong, strong_soft, crop_flip) with the reference code's
/// exact parameters, adapted to the image: crop size = image height, blur off for images whose
/// larger side is ≤ 32 px (as common libraries do), solarize off, normalisation 0.5 / 0.5.

#include "augment/spec.h"
#include "data/image_block.h"

namespace gps::augment {

/// Largest image side (px) that gets no blur in the presets.
inline constexpr int kNoBlurMaxSide = 32;

/// weak, strong, strong_soft, crop_flip.
std::vector<std::string> presetNames();

/// The preset for images of `shape`; InvalidInput naming the known presets otherwise.
Result<AugmentSpec> presetSpec(const std::string& name, data::ImageShape shape);

} // namespace gps::augment
