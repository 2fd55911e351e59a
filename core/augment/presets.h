#pragma once
/// The presets of DESIGN §2 (weak, strong, strong_soft, crop_flip) with the reference code's
/// exact parameters, adapted to the image: crop size = image side, blur off for images ≤ 32 px.

#include "augment/spec.h"
#include "data/image_block.h"

namespace gps::augment {

std::vector<std::string> presetNames();

/// The preset for images of `shape`; InvalidInput naming the known presets otherwise.
Result<AugmentSpec> presetSpec(const std::string& name, data::ImageShape shape);

} // namespace gps::augment
