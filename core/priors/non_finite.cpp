#include "priors/non_finite.h"

#include <cmath>

namespace gps::priors::detail {

namespace {

template <class T> NonFinite count(const T* values, std::size_t n) {
    NonFinite found;
    for (std::size_t i = 0; i < n; ++i) {
        found.nan += std::isnan(values[i]);
        found.infinite += std::isinf(values[i]);
    }
    return found;
}

std::string counted(std::size_t n, const char* what, bool last) {
    return std::to_string(n) + " " + what + (last ? (n == 1 ? " value" : " values") : "");
}

} // namespace

std::string NonFinite::text() const {
    if (nan > 0 && infinite > 0)
        return counted(nan, "NaN", false) + " and " + counted(infinite, "infinite", true);
    return nan > 0 ? counted(nan, "NaN", true) : counted(infinite, "infinite", true);
}

NonFinite countNonFinite(const float* values, std::size_t count) {
    return detail::count(values, count);
}

NonFinite countNonFinite(const double* values, std::size_t count) {
    return detail::count(values, count);
}

} // namespace gps::priors::detail
