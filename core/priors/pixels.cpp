#include "priors/pixels.h"

#include "priors/batching.h"
#include "priors/state_file.h"

#include <ATen/ops/from_blob.h>

#include <algorithm>
#include <cmath>

namespace gps::priors {

namespace {

constexpr std::size_t kFitBatch = 1024;

} // namespace

PixelsPrior::PixelsPrior(const PriorOptions& options)
    : m_standardize(options.standardize), m_batchSize(std::max(1, options.batchSize)) {}

Status PixelsPrior::fit(const data::Dataset& train, const ProgressFn& progress) {
    if (!m_standardize)
        return Ok{};
    const std::size_t n = train.size();
    const std::size_t dim = train.shape().pixels();
    if (n == 0)
        return makeError(ErrorCode::InvalidInput,
                         "pixels (standardize): the training split is empty");
    // Sums in double: float sums of 60,000 squares lose the digits the variance lives in.
    std::vector<double> sum(dim, 0.0), squares(dim, 0.0);
    for (std::size_t begin = 0; begin < n; begin += kFitBatch) {
        const std::size_t end = std::min(n, begin + kFitBatch);
        const at::Tensor rows = detail::imageRows(train, begin, end);
        const float* x = rows.data_ptr<float>();
        for (std::size_t i = 0; i < end - begin; ++i, x += dim)
            for (std::size_t j = 0; j < dim; ++j) {
                sum[j] += x[j];
                squares[j] += double(x[j]) * x[j];
            }
        if (!reportProgress(progress, double(end) / double(n), "pixels: mean and std"))
            return detail::cancelled("pixels");
    }
    m_mean.assign(dim, 0.0f);
    m_scale.assign(dim, 1.0f);
    for (std::size_t j = 0; j < dim; ++j) {
        const double mean = sum[j] / double(n);
        const double variance = std::max(0.0, squares[j] / double(n) - mean * mean);
        m_mean[j] = float(mean);
        const double sd = std::sqrt(variance);
        m_scale[j] = sd > 1e-6 ? float(sd) : 1.0f;
    }
    m_dim = std::int64_t(dim);
    return Ok{};
}

Result<Embedding> PixelsPrior::embed(const data::Dataset& dataset, const ProgressFn& progress) {
    const auto dim = std::int64_t(dataset.shape().pixels());
    if (m_standardize && m_mean.empty())
        return makeError(ErrorCode::InvalidInput,
                         "pixels (standardize): fit on the training split before embedding");
    if (m_standardize && std::int64_t(m_mean.size()) != dim)
        return makeError(ErrorCode::InvalidInput, "pixels (standardize): fitted on images of " +
                                                      std::to_string(m_mean.size()) +
                                                      " values, this dataset has " +
                                                      std::to_string(dim));
    m_dim = dim;
    at::Tensor mean, scale;
    if (m_standardize) {
        mean = at::from_blob(m_mean.data(), {dim}, at::kFloat);
        scale = at::from_blob(m_scale.data(), {dim}, at::kFloat);
    }
    return detail::embedInBatches(dataset, std::size_t(m_batchSize), dim, "pixels", progress,
                                  [&](std::size_t begin, std::size_t end) -> Result<at::Tensor> {
                                      at::Tensor rows = detail::imageRows(dataset, begin, end);
                                      if (m_standardize)
                                          rows.sub_(mean).div_(scale);
                                      return rows;
                                  });
}

Status PixelsPrior::saveState(const std::filesystem::path& file) const {
    if (!m_standardize)
        return Ok{};
    std::vector<double> state{double(m_mean.size())};
    state.insert(state.end(), m_mean.begin(), m_mean.end());
    state.insert(state.end(), m_scale.begin(), m_scale.end());
    return detail::saveStateVector(file, state);
}

Status PixelsPrior::loadState(const std::filesystem::path& file) {
    if (!m_standardize)
        return Ok{};
    auto state = detail::loadStateVector(file, "pixels state");
    if (!state)
        return state.error();
    const std::vector<double>& v = *state;
    const std::size_t dim = v.empty() ? 0 : std::size_t(v[0]);
    if (v.empty() || v[0] != double(dim) || dim == 0 || v.size() != 1 + 2 * dim)
        return detail::corruptState(file, "pixels state",
                                    "expected [dim, mean, std] with 1 + 2·dim values");
    m_mean.assign(v.begin() + 1, v.begin() + 1 + std::ptrdiff_t(dim));
    m_scale.assign(v.begin() + 1 + std::ptrdiff_t(dim), v.end());
    m_dim = std::int64_t(dim);
    return Ok{};
}

} // namespace gps::priors
