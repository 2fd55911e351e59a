#pragma once
/// Internal to core/priors: counting NaN and infinite values, and the one way messages describe
/// them. A prior's output, a cached embedding and a learned state are all checked with it, since
/// a NaN that gets through fails far from its cause (in the kNN graph, in a loss).

#include <cstddef>
#include <string>

namespace gps::priors::detail {

/// How many of a run of values are NaN and how many ±infinity.
struct NonFinite {
    std::size_t nan = 0;
    std::size_t infinite = 0;

    bool any() const { return nan + infinite > 0; }
    /// "12 NaN values", "1 infinite value", "3 NaN and 2 infinite values".
    std::string text() const;
};

NonFinite countNonFinite(const float* values, std::size_t count);
NonFinite countNonFinite(const double* values, std::size_t count);

} // namespace gps::priors::detail
