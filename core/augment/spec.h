#pragma once
/// An augmentation pipeline as data: the parameters of each op of docs/design.md §2, read from and
/// written to JSON. Op order is fixed: crop → jitter → grayscale → blur → solarize → flip →
/// normalise. A probability of 0 switches an op off.
///
/// JSON form (every key optional; left-out keys keep the defaults below):
///   { "name": "strong",
///     "crop": {"kind": "random_resized" | "resize", "size": 32, "scale": [0.08, 1],
///              "ratio": [0.75, 1.3333]},
///     "jitter": {"brightness": 0.8, "contrast": 0.8, "saturation": 0.8, "hue": 0.2, "p": 0.8},
///     "grayscale": {"p": 0.2}, "blur": {"p": 0.5, "sigma": [0.1, 2]},
///     "solarize": {"p": 0, "threshold": 128}, "flip": {"p": 0.5},
///     "normalize": {"mean": [0.5], "std": [0.5]} }

#include "common/result.h"

#include <array>
#include <string>
#include <vector>

namespace gps::augment {

struct CropSpec {
    enum class Kind { Resize, RandomResized } kind = Kind::RandomResized;
    int size = 0;                           ///< output side in px, [0, 4096]; 0 = input height
    std::array<double, 2> scale{0.08, 1.0}; ///< area fraction range, 0 < lo <= hi <= 1
    std::array<double, 2> ratio{3.0 / 4.0, 4.0 / 3.0}; ///< aspect (w/h) range, 0 < lo <= hi
    bool operator==(const CropSpec&) const = default;
};

struct JitterSpec {
    /// torchvision's meaning: factors in [max(0, 1 − b), 1 + b] (likewise contrast and
    /// saturation, all >= 0); hue shift in [−hue, hue] turns, hue in [0, 0.5].
    double brightness = 0, contrast = 0, saturation = 0, hue = 0;
    double p = 0; ///< probability the whole jitter is applied
    bool operator==(const JitterSpec&) const = default;
};

struct BlurSpec {
    double p = 0;
    std::array<double, 2> sigma{0.1, 2.0}; ///< σ in px drawn uniformly, 0 < lo <= hi
    bool operator==(const BlurSpec&) const = default;
};

struct SolarizeSpec {
    double p = 0;
    int threshold = 128; ///< pixels >= threshold are inverted; [0, 256], 256 = none
    bool operator==(const SolarizeSpec&) const = default;
};

struct NormalizeSpec {
    /// Per channel, in [0,1] units; empty = 0.5; one value applies to every channel; a
    /// one-channel image uses the first of three values.
    std::vector<float> mean;
    std::vector<float> std; ///< like mean, every value > 0
    bool operator==(const NormalizeSpec&) const = default;
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
    bool operator==(const AugmentSpec&) const = default;
};

/// Parses a JSON spec (comments allowed). Errors are InvalidInput and name the key path, what
/// was expected and what was found: "jitter.p: must be a number in [0, 1], got 1.5";
/// "crop.kind: unknown 'zoom' (expected resize or random_resized)"; "blurr: unknown key
/// (expected one of name, crop, ...)"; "invalid JSON at line 3, column 7: ...".
Result<AugmentSpec> parseAugmentSpec(const std::string& jsonText);
/// Reads and parses a spec file; NotFound naming the file, parse errors prefixed by its path.
Result<AugmentSpec> loadAugmentSpec(const std::string& path);
/// Every key, pretty-printed, so that parseAugmentSpec(augmentSpecToJson(s)) == s.
std::string augmentSpecToJson(const AugmentSpec& spec);
/// Checks every range listed above, for specs built in code (forms, presets); the parser calls
/// it too. The message has the same form as the parser's.
Status validateAugmentSpec(const AugmentSpec& spec);

} // namespace gps::augment
