#pragma once
/// The presets of docs/design.md §2 (weak, strong, strong_soft, crop_flip) with the reference
/// code's exact parameters at every image size (crop size = image height), solarize off,
/// normalisation 0.5 / 0.5.

#include "augment/spec.h"
#include "data/image_block.h"

namespace gps::augment {

/// weak, strong, strong_soft, crop_flip.
std::vector<std::string> presetNames();

/// The preset for images of `shape`; InvalidInput naming the known presets otherwise.
Result<AugmentSpec> presetSpec(const std::string& name, data::ImageShape shape);

} // namespace gps::augment
