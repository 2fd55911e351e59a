#pragma once
/// An embedding of a dataset: n rows of d floats, row-major, row i = image i of the split.

#include <cstdint>
#include <vector>

namespace gps::priors {

struct Embedding {
    std::int64_t rows = 0;
    std::int64_t dim = 0;
    std::vector<float> values; ///< rows × dim, row-major

    const float* row(std::int64_t i) const { return values.data() + i * dim; }
    float* row(std::int64_t i) { return values.data() + i * dim; }
};

} // namespace gps::priors
