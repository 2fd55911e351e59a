#pragma once
/// An augmentation pipeline as data: the parameters of each op of DESIGN §2, read from and
/// written to JSON. Op order is fixed: crop → jitter → grayscale → blur → solarize → flip →
/// normalise. A probability of 0 switches an op off.

#include "common/result.h"

#include <array>
#include <string>
#include <vector>

namespace gps::augment {

struct CropSpec {
    enum class Kind { Resize, RandomResized } kind = Kind::RandomResized;
    int size = 0;                              ///< output side in px; 0 = the input's size
    std::array<double, 2> scale{0.08, 1.0};    ///< area fraction range (RandomResized)
    std::array<double, 2> ratio{3.0 / 4.0, 4.0 / 3.0}; ///< aspect ratio range (RandomResized)
};

struct JitterSpec {
    double brightness = 0, contrast = 0, saturation = 0, hue = 0; ///< torchvision's meaning
    double p = 0;
};

struct BlurSpec {
    double p = 0;
    std::array<double, 2> sigma{0.1, 2.0};
};

struct SolarizeSpec {
    double p = 0;
    int threshold = 128; ///< pixels >= threshold are inverted
};

struct NormalizeSpec {
    std::vector<float> mean; ///< per channel, in [0,1] units; empty = 0.5
    std::vector<float> std;  ///< per channel; empty = 0.5
};

struct AugmentSpec {
    std::string name = "custom";
    CropSpec crop;
    JitterSpec jitter;
    double grayscaleP = 0;
    BlurSpec blur;
    SolarizeSpec solarize;
    double flipP = 0.5;
    NormalizeSpec normalize;
};

/// Parses a JSON spec. Errors name the key path and the expected value
/// ("jitter.p: must be in [0, 1], got 1.5"; "crop.kind: unknown 'zoom' (resize, random_resized)";
/// "blurr: unknown key"). Keys left out keep AugmentSpec's defaults.
Result<AugmentSpec> parseAugmentSpec(const std::string& jsonText);
Result<AugmentSpec> loadAugmentSpec(const std::string& path);
std::string augmentSpecToJson(const AugmentSpec& spec);

} // namespace gps::augment
