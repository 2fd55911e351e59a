#include "eval/tsne.h"

#include "common/check.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace gps::eval {

namespace {

constexpr std::int64_t kCalibrationBlock = 256; // rows per bisection; n × 256 floats each
constexpr int kBisectionSteps = 100;
constexpr double kEntropyTolerance = 1e-5;
constexpr double kInitialSigma = 1e-4;
constexpr double kMomentumEarly = 0.5;
constexpr double kMomentumLate = 0.8;
constexpr float kMinGain = 0.01f;
constexpr std::int64_t kRowGrain = 64; // rows per parallel task
constexpr double kMinP = 1e-12;
constexpr double kCalibrationShare = 0.1; // of the progress bar

Error cancelled() {
    return makeError(ErrorCode::Cancelled, "t-SNE: cancelled");
}

Status checkOptions(const TsneOptions& o) {
    const auto bad = [](const std::string& what) {
        return makeError(ErrorCode::InvalidInput, "t-SNE: " + what);
    };
    if (!(o.perplexity > 0) || !std::isfinite(o.perplexity))
        return bad("perplexity must be > 0");
    if (o.iterations < 1)
        return bad("iterations must be ≥ 1");
    if (o.exaggerationIterations < 0 || o.momentumSwitchIteration < 0)
        return bad("iteration counts must be ≥ 0");
    if (!(o.exaggeration > 0) || !std::isfinite(o.exaggeration))
        return bad("exaggeration must be > 0");
    if (!(o.learningRate >= 0) || !std::isfinite(o.learningRate))
        return bad("learning rate must be ≥ 0 (0 = automatic)");
    return Ok{};
}

// Squared L2 distances of rows [begin, begin + b) to all rows: b × n, clamped at 0 (the
// expansion ‖x‖² + ‖y‖² − 2x·y can dip below it by rounding).
at::Tensor distanceBlock(const at::Tensor& x, const at::Tensor& squares, std::int64_t begin,
                         std::int64_t b) {
    const at::Tensor block = x.narrow(0, begin, b);
    return at::addmm(squares.unsqueeze(0), block, x.t(), /*beta=*/1, /*alpha=*/-2)
        .add_(squares.narrow(0, begin, b).unsqueeze(1))
        .clamp_min_(0);
}

// Rows [begin, begin + b) of the conditional P: per row, a bisection on the precision β until
// the entropy is log(perplexity). Entropy does not change when a row's distances are shifted,
// so each row is measured from its nearest neighbour, which keeps exp() from underflowing.
at::Tensor conditionalBlock(at::Tensor d, std::int64_t begin, double perplexity) {
    const std::int64_t b = d.size(0);
    const std::int64_t n = d.size(1);
    const at::Tensor self = at::arange(b, at::kLong).add_(begin).unsqueeze(1);
    at::Tensor selfMask = at::zeros({b, n}, at::kBool).scatter_(1, self, true);
    d.masked_fill_(selfMask, std::numeric_limits<float>::infinity());
    d.sub_(std::get<0>(d.min(1, /*keepdim=*/true)));
    d.masked_fill_(selfMask, 0.0f);

    const double target = std::log(perplexity);
    // Starting at 1 / mean distance saves most of the doublings or halvings on large scales.
    at::Tensor beta = d.sum(1, true).to(at::kDouble).div(double(std::max<std::int64_t>(n - 1, 1)));
    beta = at::where(beta.gt(0), beta.reciprocal(), at::ones_like(beta));
    at::Tensor lo = at::zeros({b, 1}, at::kDouble);
    at::Tensor hi = at::full({b, 1}, std::numeric_limits<double>::infinity(), at::kDouble);
    at::Tensor p;
    for (int step = 0; step < kBisectionSteps; ++step) {
        p = d.mul(beta.to(at::kFloat)).neg_().exp_().masked_fill_(selfMask, 0.0f);
        const at::Tensor sum = p.sum(1, true).to(at::kDouble).clamp_min(1e-300);
        const at::Tensor weighted = d.mul(p).sum(1, true).to(at::kDouble);
        const at::Tensor entropy = sum.log().add(beta.mul(weighted).div(sum));
        const at::Tensor diff = entropy.sub(target);
        if (diff.abs().max().item<double>() < kEntropyTolerance)
            break;
        // Entropy too high: the Gaussian is too wide, so β grows (doubling while unbounded).
        const at::Tensor up = diff.gt(0);
        lo = at::where(up, beta, lo);
        hi = at::where(up, hi, beta);
        beta = at::where(hi.isinf(), beta.mul(2), lo.add(hi).div(2));
    }
    return p.div_(p.sum(1, true).clamp_min(1e-30f));
}

// The points of the map as two columns: the kernels below run over one contiguous column each.
struct Layout {
    std::vector<float> x;
    std::vector<float> y;
};

// The gradient is a sum over all n² pairs, recomputed at every step; these loops fuse the
// kernel, Q and the gradient into two passes that hold nothing of size n² besides P (the
// tensor version made a dozen n × n temporaries per step and ran several times slower).
// Each row is summed by one thread in a fixed order, so the thread count never changes a map.

// Σ_{i≠j} 1 / (1 + ‖y_i − y_j‖²). Every pair including i = j is summed, then the diagonal's
// n ones are taken off, which keeps the inner loop free of branches.
double kernelSum(const Layout& y) {
    const auto n = std::int64_t(y.x.size());
    std::vector<double> rowSums(static_cast<std::size_t>(n));
    at::parallel_for(0, n, kRowGrain, [&](std::int64_t begin, std::int64_t end) {
        const float* px = y.x.data();
        const float* py = y.y.data();
        for (std::int64_t i = begin; i < end; ++i) {
            const float xi = px[i], yi = py[i];
            float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
            for (std::int64_t j = 0; j < n; ++j) {
                const float dx = xi - px[j], dy = yi - py[j];
                sum += 1.0f / (1.0f + dx * dx + dy * dy);
            }
            rowSums[std::size_t(i)] = sum;
        }
    });
    return std::accumulate(rowSums.begin(), rowSums.end(), 0.0) - double(n);
}

// ∂KL/∂y_i = 4 Σ_j (e·P_ij − Q_ij) num_ij (y_i − y_j), with num_ij = 1 / (1 + ‖y_i − y_j‖²)
// and Q_ij = num_ij / Σ num. The term j = i adds nothing (y_i − y_i = 0).
void computeGradient(const float* p, const Layout& y, float exaggeration, float inverseSum,
                     Layout& gradient) {
    const auto n = std::int64_t(y.x.size());
    at::parallel_for(0, n, kRowGrain, [&](std::int64_t begin, std::int64_t end) {
        const float* px = y.x.data();
        const float* py = y.y.data();
        for (std::int64_t i = begin; i < end; ++i) {
            const float* row = p + i * n;
            const float xi = px[i], yi = py[i];
            float sx = 0.0f, sy = 0.0f;
#pragma omp simd reduction(+ : sx, sy)
            for (std::int64_t j = 0; j < n; ++j) {
                const float dx = xi - px[j], dy = yi - py[j];
                const float num = 1.0f / (1.0f + dx * dx + dy * dy);
                const float w = (exaggeration * row[j] - num * inverseSum) * num;
                sx += w * dx;
                sy += w * dy;
            }
            gradient.x[std::size_t(i)] = 4.0f * sx;
            gradient.y[std::size_t(i)] = 4.0f * sy;
        }
    });
}

// One step of one coordinate column, then the column centred. Gains grow where the gradient
// turned against the last update and shrink where it kept its direction (the delta-bar-delta
// rule of the reference implementation).
void descend(std::vector<float>& v, const std::vector<float>& g, std::vector<float>& update,
             std::vector<float>& gains, float momentum, float rate) {
    double mean = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const bool flipped = (g[i] > 0) != (update[i] > 0);
        gains[i] = std::max(flipped ? gains[i] + 0.2f : gains[i] * 0.8f, kMinGain);
        update[i] = momentum * update[i] - rate * gains[i] * g[i];
        v[i] += update[i];
        mean += v[i];
    }
    const auto shift = float(mean / double(v.size()));
    for (float& value : v)
        value -= shift;
}

} // namespace

Result<std::vector<float>> tsne2d(const float* rows, std::int64_t n, std::int64_t dim,
                                  const TsneOptions& options, std::uint64_t seed,
                                  const ProgressFn& progress) {
    GPS_CHECK(rows && n >= 2 && dim >= 1, "tsne2d: needs n ≥ 2 rows of dim ≥ 1 values");
    if (auto ok = checkOptions(options); !ok)
        return ok.error();
    const at::Tensor x = at::from_blob(const_cast<float*>(rows), {n, dim}, at::kFloat);
    if (!at::isfinite(x).all().item<bool>())
        return makeError(ErrorCode::InvalidInput, "t-SNE: the rows hold NaN or infinite values");
    const double perplexity = std::clamp(options.perplexity, 1.0, std::max(1.0, (n - 1) / 3.0));
    at::NoGradGuard noGrad;

    // P: calibrated conditionals, symmetrised, summing to 1.
    const at::Tensor squares = x.square().sum(1);
    at::Tensor p = at::empty({n, n}, at::kFloat);
    for (std::int64_t begin = 0; begin < n; begin += kCalibrationBlock) {
        const std::int64_t b = std::min(kCalibrationBlock, n - begin);
        p.narrow(0, begin, b)
            .copy_(conditionalBlock(distanceBlock(x, squares, begin, b), begin, perplexity));
        if (!reportProgress(progress, kCalibrationShare * double(begin + b) / double(n),
                            "t-SNE: perplexity of each point"))
            return cancelled();
    }
    p = p.add(p.t());
    p.div_(p.sum()).clamp_min_(kMinP);

    const double learningRate = options.learningRate > 0
                                    ? options.learningRate
                                    : std::max(double(n) / options.exaggeration / 4.0, 50.0);
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    const at::Tensor start = at::randn({2, n}, generator, at::kFloat).mul_(kInitialSigma);
    Layout y{std::vector<float>(start[0].data_ptr<float>(), start[0].data_ptr<float>() + n),
             std::vector<float>(start[1].data_ptr<float>(), start[1].data_ptr<float>() + n)};
    Layout gradient{std::vector<float>(std::size_t(n)), std::vector<float>(std::size_t(n))};
    Layout update{std::vector<float>(std::size_t(n), 0.0f),
                  std::vector<float>(std::size_t(n), 0.0f)};
    Layout gains{std::vector<float>(std::size_t(n), 1.0f),
                 std::vector<float>(std::size_t(n), 1.0f)};
    const float* pRows = p.data_ptr<float>();
    const std::string message = "t-SNE: step ";
    for (int step = 0; step < options.iterations; ++step) {
        const double done = double(step) / options.iterations;
        if (!reportProgress(progress, kCalibrationShare + (1 - kCalibrationShare) * done,
                            message + std::to_string(step + 1) + " of " +
                                std::to_string(options.iterations)))
            return cancelled();
        const double exaggeration =
            step < options.exaggerationIterations ? options.exaggeration : 1.0;
        const auto momentum =
            float(step < options.momentumSwitchIteration ? kMomentumEarly : kMomentumLate);
        computeGradient(pRows, y, float(exaggeration), float(1.0 / kernelSum(y)), gradient);

        descend(y.x, gradient.x, update.x, gains.x, momentum, float(learningRate));
        descend(y.y, gradient.y, update.y, gains.y, momentum, float(learningRate));
    }
    reportProgress(progress, 1.0, "t-SNE: done");
    std::vector<float> xy(std::size_t(2 * n));
    for (std::size_t i = 0; i < std::size_t(n); ++i) {
        if (!std::isfinite(y.x[i]) || !std::isfinite(y.y[i]))
            return makeError(ErrorCode::Internal,
                             "t-SNE: the map diverged (non-finite coordinates)");
        xy[2 * i] = y.x[i];
        xy[2 * i + 1] = y.y[i];
    }
    return xy;
}

} // namespace gps::eval
