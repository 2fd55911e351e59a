#include "augment/presets.h"

#include <algorithm>

namespace gps::augment {
namespace {

// The reference code's RandomResizedCrop, blur and flip settings shared by the cropping presets.
AugmentSpec cropPreset(const std::string& name) {
    AugmentSpec spec;
    spec.name = name;
    spec.crop.kind = CropSpec::Kind::RandomResized;
    spec.crop.scale = {0.08, 1.0};
    spec.crop.ratio = {3.0 / 4.0, 4.0 / 3.0};
    spec.flipP = 0.5;
    return spec;
}

AugmentSpec jitterPreset(const std::string& name, double colour, double hue) {
    AugmentSpec spec = cropPreset(name);
    spec.jitter = {colour, colour, colour, hue, 0.8};
    spec.grayscaleP = 0.2;
    spec.blur = {0.5, {0.1, 2.0}};
    return spec;
}

} // namespace

std::vector<std::string> presetNames() {
    return {"weak", "strong", "strong_soft", "crop_flip"};
}

Result<AugmentSpec> presetSpec(const std::string& name, data::ImageShape shape) {
    AugmentSpec spec;
    if (name == "weak") {
        spec.name = name;
        spec.crop.kind = CropSpec::Kind::Resize;
        spec.flipP = 0.5;
    } else if (name == "strong") {
        spec = jitterPreset(name, 0.8, 0.2);
    } else if (name == "strong_soft") {
        spec = jitterPreset(name, 0.4, 0.1);
    } else if (name == "crop_flip") {
        spec = cropPreset(name);
    } else {
        std::string known;
        for (const std::string& preset : presetNames())
            known += (known.empty() ? "" : ", ") + preset;
        return makeError(ErrorCode::InvalidInput, "unknown augmentation preset '" + name +
                                                      "' (expected one of " + known + ")");
    }
    spec.crop.size = std::max(shape.height, 0);
    spec.solarize.p = 0;
    // The blur stays at every size: the reference's CIFAR recipe keeps p = 0.5 at 32 px. A user
    // who wants less edits a spec of their own.
    return spec;
}

} // namespace gps::augment
