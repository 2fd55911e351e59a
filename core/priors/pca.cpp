#include "priors/pca.h"

#include "common/check.h"
#include "priors/batching.h"
#include "priors/pca_solver.h"
#include "priors/state_file.h"

#include <ATen/ops/from_blob.h>

#include <algorithm>

namespace gps::priors {

namespace {

template <class T> std::vector<T> toVector(const at::Tensor& t) {
    const at::Tensor c = t.to(c10::CppTypeToScalarType<T>::value).contiguous();
    return std::vector<T>(c.data_ptr<T>(), c.data_ptr<T>() + c.numel());
}

} // namespace

PcaPrior::PcaPrior(int components, const PriorOptions& options)
    : m_components(components), m_seed(options.seed), m_batchSize(std::max(1, options.batchSize)) {
    GPS_CHECK(components > 0, "pca: D must be positive, got " << components);
}

Status PcaPrior::fit(const data::Dataset& train, const ProgressFn& progress) {
    const auto n = std::int64_t(train.size());
    const auto dim = std::int64_t(train.shape().pixels());
    if (m_components > std::min(n, dim))
        return makeError(ErrorCode::InvalidInput,
                         spec() + ": D = " + std::to_string(m_components) +
                             " exceeds min(images, values per image) = min(" + std::to_string(n) +
                             ", " + std::to_string(dim) + ")");
    auto solution =
        dim <= kPcaExactMaxDim
            ? detail::pcaByCovariance(detail::datasetRows(train), m_components, progress)
            : detail::pcaRandomized(detail::datasetRows(train), m_components, m_seed, progress);
    if (!solution)
        return solution.error();
    m_mean = toVector<float>(solution->mean);
    m_componentRows = toVector<float>(solution->components);
    m_variance = toVector<double>(solution->variance);
    m_totalVariance = solution->totalVariance;
    return Ok{};
}

Result<Embedding> PcaPrior::embed(const data::Dataset& dataset, const ProgressFn& progress) {
    if (!fitted())
        return makeError(ErrorCode::InvalidInput, spec() + ": fit on the training split first");
    const auto dim = std::int64_t(dataset.shape().pixels());
    if (dim != inputDim())
        return makeError(ErrorCode::InvalidInput,
                         spec() + ": fitted on images of " + std::to_string(inputDim()) +
                             " values, this dataset has " + std::to_string(dim));
    const at::Tensor mean = at::from_blob(m_mean.data(), {dim}, at::kFloat);
    const at::Tensor basis =
        at::from_blob(m_componentRows.data(), {m_components, dim}, at::kFloat).t();
    return detail::embedInBatches(
        dataset, std::size_t(m_batchSize), m_components, spec(), progress,
        [&](std::size_t begin, std::size_t end) -> Result<at::Tensor> {
            return detail::imageRows(dataset, begin, end).sub_(mean).matmul(basis);
        });
}

Status PcaPrior::saveState(const std::filesystem::path& file) const {
    GPS_CHECK(fitted(), spec() << ": saveState before fit");
    std::vector<double> state{double(m_components), double(inputDim()), m_totalVariance};
    state.insert(state.end(), m_mean.begin(), m_mean.end());
    state.insert(state.end(), m_variance.begin(), m_variance.end());
    state.insert(state.end(), m_componentRows.begin(), m_componentRows.end());
    return detail::saveStateVector(file, state);
}

Status PcaPrior::loadState(const std::filesystem::path& file) {
    const std::string what = spec() + " state";
    auto state = detail::loadStateVector(file, what);
    if (!state)
        return state.error();
    const std::vector<double>& v = *state;
    if (v.size() < 3 || v[0] != double(m_components) || v[1] < 1 ||
        v[1] != double(std::size_t(v[1])))
        return detail::corruptState(file, what,
                                    "header is not [D = " + std::to_string(m_components) +
                                        ", inputDim, totalVariance]");
    const auto dim = std::size_t(v[1]);
    const auto d = std::size_t(m_components);
    if (v.size() != 3 + dim + d + d * dim)
        return detail::corruptState(file, what,
                                    "expected " + std::to_string(3 + dim + d + d * dim) +
                                        " values, found " + std::to_string(v.size()));
    auto it = v.begin() + 3;
    m_totalVariance = v[2];
    m_mean.assign(it, it + std::ptrdiff_t(dim));
    it += std::ptrdiff_t(dim);
    m_variance.assign(it, it + std::ptrdiff_t(d));
    it += std::ptrdiff_t(d);
    m_componentRows.assign(it, v.end());
    return Ok{};
}

Result<Embedding> projectOnPrincipalComponents(const float* rows, std::int64_t n, std::int64_t dim,
                                               int components, std::uint64_t seed,
                                               const ProgressFn& progress) {
    GPS_CHECK(rows && n > 0 && dim > 0 && components > 0,
              "projectOnPrincipalComponents: rows, n, dim and components must be positive");
    if (components > std::min(n, dim))
        return makeError(ErrorCode::InvalidInput, "pca: " + std::to_string(components) +
                                                      " components exceed min(rows, dim) = min(" +
                                                      std::to_string(n) + ", " +
                                                      std::to_string(dim) + ")");
    // A view, not a copy: the solvers and the projection only read it.
    const at::Tensor x = at::from_blob(const_cast<float*>(rows), {n, dim}, at::kFloat);
    const detail::RowSource source = detail::matrixRows(x);
    auto solution = dim <= kPcaExactMaxDim
                        ? detail::pcaByCovariance(source, components, progress)
                        : detail::pcaRandomized(source, components, seed, progress);
    if (!solution)
        return solution.error();
    const at::Tensor projected =
        x.sub(solution->mean.to(at::kFloat)).matmul(solution->components.to(at::kFloat).t());
    Embedding result;
    result.rows = n;
    result.dim = components;
    result.values = toVector<float>(projected);
    return result;
}

} // namespace gps::priors
