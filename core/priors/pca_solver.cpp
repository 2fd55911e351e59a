#include "priors/pca_solver.h"

#include "priors/batching.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/ops/linalg_eigh.h>
#include <ATen/ops/linalg_qr.h>
#include <ATen/ops/linalg_svd.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <string>

namespace gps::priors::detail {

namespace {

constexpr std::int64_t kBatch = 1024;
constexpr int kPowerIterations = 2;
constexpr std::int64_t kOversampling = 10;

const at::TensorOptions kDoubleOptions = at::TensorOptions().dtype(at::kDouble);

// Calls fn(rows, begin) for each batch of rows; progress runs over pass `pass` of `passes`.
// False when the user stopped the work.
template <class Fn>
bool forEachBatch(const RowSource& data, int pass, int passes, const ProgressFn& progress,
                  Fn&& fn) {
    const std::int64_t n = data.rows;
    const std::string message =
        "pca: pass " + std::to_string(pass + 1) + " of " + std::to_string(passes);
    for (std::int64_t begin = 0; begin < n; begin += kBatch) {
        const std::int64_t end = std::min(n, begin + kBatch);
        fn(data.read(begin, end), begin);
        if (!reportProgress(progress, (pass + double(end) / double(n)) / passes, message))
            return false;
    }
    return true;
}

// Each row's entry of largest magnitude made positive: eigen- and singular vectors are defined
// only up to sign, and the solvers pick either.
void fixSigns(at::Tensor& rows) {
    at::Tensor signs = rows.gather(1, rows.abs().argmax(1, /*keepdim=*/true)).sign();
    signs.masked_fill_(signs.eq(0), 1);
    rows.mul_(signs);
}

at::Tensor orthonormalBasis(const at::Tensor& a) {
    return std::get<0>(at::linalg_qr(a));
}

} // namespace

RowSource datasetRows(const data::Dataset& dataset) {
    return {std::int64_t(dataset.size()), std::int64_t(dataset.shape().pixels()),
            [&dataset](std::int64_t begin, std::int64_t end) {
                return imageRows(dataset, std::size_t(begin), std::size_t(end));
            }};
}

RowSource matrixRows(const at::Tensor& matrix) {
    const at::Tensor rows = matrix.to(at::kFloat).contiguous();
    return {rows.size(0), rows.size(1), [rows](std::int64_t begin, std::int64_t end) {
                return rows.narrow(0, begin, end - begin);
            }};
}

Result<PcaSolution> pcaByCovariance(const RowSource& train, int components,
                                    const ProgressFn& progress) {
    const std::int64_t dim = train.dim;
    const auto n = double(train.rows);
    // Accumulating around the first batch's mean (not 0) keeps E[xxᵀ] − mmᵀ from cancelling.
    at::Tensor shift;
    at::Tensor sum = at::zeros({dim}, kDoubleOptions);
    at::Tensor gram = at::zeros({dim, dim}, kDoubleOptions);
    const bool done =
        forEachBatch(train, 0, 1, progress, [&](const at::Tensor& rows, std::int64_t) {
            if (!shift.defined())
                shift = rows.mean(0);
            const at::Tensor x = rows.sub(shift);
            sum.add_(x.sum(0).to(at::kDouble));
            gram.add_(x.t().matmul(x).to(at::kDouble));
        });
    if (!done)
        return cancelled("pca");
    const at::Tensor m = sum.div(n);
    const at::Tensor cov = gram.sub(m.outer(m).mul(n)).div(std::max(n - 1.0, 1.0));

    PcaSolution solution;
    solution.mean = shift.to(at::kDouble).add(m);
    solution.totalVariance = cov.trace().item<double>();
    const auto [values, vectors] = at::linalg_eigh(cov); // ascending
    solution.variance = values.flip({0}).narrow(0, 0, components).clamp_min(0.0).contiguous();
    solution.components = vectors.flip({1}).narrow(1, 0, components).t().contiguous();
    fixSigns(solution.components);
    return solution;
}

Result<PcaSolution> pcaRandomized(const RowSource& train, int components, std::uint64_t seed,
                                  const ProgressFn& progress) {
    const std::int64_t dim = train.dim;
    const std::int64_t n = train.rows;
    const std::int64_t probes = std::min({std::int64_t(components) + kOversampling, n, dim});
    const int passes = 3 + 2 * kPowerIterations;
    int pass = 0;

    // Pass 1: mean and total variance.
    at::Tensor sum = at::zeros({dim}, kDoubleOptions);
    double squares = 0.0;
    if (!forEachBatch(train, pass++, passes, progress, [&](const at::Tensor& rows, std::int64_t) {
            sum.add_(rows.sum(0).to(at::kDouble));
            squares += rows.to(at::kDouble).square().sum().item<double>();
        }))
        return cancelled("pca");
    const at::Tensor mean = sum.div(double(n));
    const at::Tensor meanFloat = mean.to(at::kFloat);
    const double total = squares - double(n) * mean.square().sum().item<double>();

    // Y = Xc·Ω (n × probes), then power iterations Y ← Xc·orth(Xcᵀ·orth(Y)) sharpen the spectrum.
    auto project = [&](const at::Tensor& basis, at::Tensor& out) { // out = Xc · basis
        const at::Tensor b = basis.to(at::kFloat);
        return forEachBatch(
            train, pass++, passes, progress, [&](const at::Tensor& rows, std::int64_t begin) {
                out.narrow(0, begin, rows.size(0)).copy_(rows.sub(meanFloat).matmul(b));
            });
    };
    auto backProject = [&](const at::Tensor& q, at::Tensor& out) { // out = Xcᵀ · q
        out.zero_();
        return forEachBatch(
            train, pass++, passes, progress, [&](const at::Tensor& rows, std::int64_t begin) {
                const at::Tensor qb = q.narrow(0, begin, rows.size(0));
                out.add_(rows.sub(meanFloat).t().matmul(qb.to(at::kFloat)).to(at::kDouble));
            });
    };
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Tensor omega = at::randn({dim, probes}, generator, kDoubleOptions);
    at::Tensor y = at::zeros({n, probes}, kDoubleOptions);
    at::Tensor z = at::zeros({dim, probes}, kDoubleOptions);
    if (!project(omega, y))
        return cancelled("pca");
    for (int i = 0; i < kPowerIterations; ++i) {
        if (!backProject(orthonormalBasis(y), z) || !project(orthonormalBasis(z), y))
            return cancelled("pca");
    }
    // B = Qᵀ·Xc is probes × dim; its right singular vectors are Xc's leading ones.
    const at::Tensor q = orthonormalBasis(y);
    if (!backProject(q, z)) // z = Xcᵀ·Q = Bᵀ
        return cancelled("pca");
    const auto [u, s, vh] = at::linalg_svd(z.t(), /*full_matrices=*/false);
    (void)u;

    PcaSolution solution;
    solution.mean = mean;
    const double denominator = std::max(double(n) - 1.0, 1.0);
    solution.totalVariance = std::max(total, 0.0) / denominator;
    solution.variance = s.narrow(0, 0, components).square().div(denominator).contiguous();
    solution.components = vh.narrow(0, 0, components).contiguous();
    fixSigns(solution.components);
    return solution;
}

} // namespace gps::priors::detail
