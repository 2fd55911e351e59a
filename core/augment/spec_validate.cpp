#include "augment/spec_wording.h"

#include <charconv>

namespace gps::augment {
namespace detail {

std::string formatNumber(double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

std::string formatList(const double* values, std::size_t count) {
    std::string text = "[";
    for (std::size_t i = 0; i < count; ++i)
        text += (i ? ", " : "") + formatNumber(values[i]);
    return text + "]";
}

Error mustBe(const std::string& path, std::string_view expected, const std::string& found) {
    return makeError(ErrorCode::InvalidInput,
                     path + ": must be " + std::string(expected) + ", got " + found);
}

} // namespace detail

namespace {
using detail::formatNumber;
using detail::mustBe;
using Problem = std::optional<Error>;

Problem checkNumber(const char* path, double value, double lo, double hi,
                    std::string_view expected) {
    // Written so that NaN fails too; infinity passes no check, as no op could sample from it.
    if (value >= lo && value <= hi && std::isfinite(value))
        return {};
    return mustBe(path, expected, formatNumber(value));
}

Problem checkRange(const char* path, const std::array<double, 2>& range, double hiLimit,
                   std::string_view expected) {
    const auto [lo, hi] = range;
    if (lo > 0 && lo <= hi && hi <= hiLimit && std::isfinite(hi))
        return {};
    return mustBe(path, expected, detail::formatList(range.data(), 2));
}

Problem checkChannels(const char* path, const std::vector<float>& values, bool positive,
                      std::string_view expected) {
    bool ok = values.empty() || values.size() == 1 || values.size() == 3;
    for (float v : values)
        ok = ok && std::isfinite(v) && (!positive || v > 0);
    if (ok)
        return {};
    const std::vector<double> wide(values.begin(), values.end());
    return mustBe(path, expected, detail::formatList(wide.data(), wide.size()));
}

} // namespace

Status validateAugmentSpec(const AugmentSpec& spec) {
    using namespace detail::wording;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const Problem problems[] = {
        checkNumber("crop.size", spec.crop.size, 0, kMaxCropSize, kSize),
        checkRange("crop.scale", spec.crop.scale, 1.0, kScale),
        checkRange("crop.ratio", spec.crop.ratio, kInf, kRatio),
        checkNumber("jitter.brightness", spec.jitter.brightness, 0, kInf, kStrength),
        checkNumber("jitter.contrast", spec.jitter.contrast, 0, kInf, kStrength),
        checkNumber("jitter.saturation", spec.jitter.saturation, 0, kInf, kStrength),
        checkNumber("jitter.hue", spec.jitter.hue, 0, 0.5, kHue),
        checkNumber("jitter.p", spec.jitter.p, 0, 1, kProbability),
        checkNumber("grayscale.p", spec.grayscaleP, 0, 1, kProbability),
        checkNumber("blur.p", spec.blur.p, 0, 1, kProbability),
        checkRange("blur.sigma", spec.blur.sigma, kInf, kSigma),
        checkNumber("solarize.p", spec.solarize.p, 0, 1, kProbability),
        checkNumber("solarize.threshold", spec.solarize.threshold, 0, 256, kThreshold),
        checkNumber("flip.p", spec.flipP, 0, 1, kProbability),
        checkChannels("normalize.mean", spec.normalize.mean, false, kMean),
        checkChannels("normalize.std", spec.normalize.std, true, kStd),
    };
    for (const Problem& problem : problems)
        if (problem)
            return *problem;
    return Ok{};
}

} // namespace gps::augment
