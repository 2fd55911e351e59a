#pragma once
// Internal to core/augment: what each spec key must hold, worded once so that the JSON parser
// (wrong type) and validateAugmentSpec (out of range) give the same message for one key.

#include "augment/spec.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace gps::augment::detail {

namespace wording {
inline constexpr int kMaxCropSize = 4096;
inline constexpr std::string_view kProbability = "a number in [0, 1]";
inline constexpr std::string_view kStrength = "a number >= 0";
inline constexpr std::string_view kHue = "a number in [0, 0.5]";
inline constexpr std::string_view kSize = "an integer in [0, 4096]";
inline constexpr std::string_view kThreshold = "an integer in [0, 256]";
inline constexpr std::string_view kScale = "[lo, hi] with 0 < lo <= hi <= 1";
inline constexpr std::string_view kRatio = "[lo, hi] with 0 < lo <= hi";
inline constexpr std::string_view kSigma = "[lo, hi] with 0 < lo <= hi";
inline constexpr std::string_view kMean = "an array of 1 or 3 numbers";
inline constexpr std::string_view kStd = "an array of 1 or 3 numbers > 0";
} // namespace wording

/// Shortest text that reads back as the same double ("1.5", "0.1").
std::string formatNumber(double value);
/// "[a, b, ...]" with formatNumber for each value.
std::string formatList(const double* values, std::size_t count);
/// InvalidInput "<path>: must be <expected>, got <found>".
Error mustBe(const std::string& path, std::string_view expected, const std::string& found);

} // namespace gps::augment::detail
