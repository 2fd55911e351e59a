#include "eval/linear_probe.h"

#include "common/rng.h"
#include "eval/probe_inputs.h"

#include <ATen/ATen.h>

#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

namespace gps::eval {

namespace {

constexpr double kMomentum = 0.9;
constexpr double kStdFloor = 1e-6;
const std::string kWhat = "linear probe";

Status checkOptions(const LinearProbeOptions& options) {
    const auto bad = [](const std::string& what) {
        return makeError(ErrorCode::InvalidInput, kWhat + ": " + what);
    };
    if (options.epochs < 1)
        return bad("epochs must be ≥ 1, got " + std::to_string(options.epochs));
    if (options.batchSize < 1)
        return bad("batch size must be ≥ 1, got " + std::to_string(options.batchSize));
    if (!(options.lr > 0) || !std::isfinite(options.lr))
        return bad("lr must be > 0, got " + std::to_string(options.lr));
    if (!(options.weightDecay >= 0) || !std::isfinite(options.weightDecay))
        return bad("weight decay must be ≥ 0, got " + std::to_string(options.weightDecay));
    return Ok{};
}

// Fisher–Yates with the studio's generator, so the order is the same on every platform.
void shuffle(std::vector<std::int64_t>& order, Rng& rng) {
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng.below(i)]);
}

} // namespace

Result<double> linearProbeAccuracy(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                                   const at::Tensor& testFeatures, const at::Tensor& testLabels,
                                   const LinearProbeOptions& options, const ProgressFn& progress) {
    if (auto valid = checkOptions(options); !valid)
        return valid.error();
    auto data =
        detail::prepareProbeData(kWhat, trainFeatures, trainLabels, testFeatures, testLabels);
    if (!data)
        return data.error();
    const at::NoGradGuard noGrad;

    const at::Tensor mean = data->trainFeatures.mean(0, /*keepdim=*/true);
    const at::Tensor std =
        data->trainFeatures.std(0, /*unbiased=*/false, /*keepdim=*/true).clamp_min(kStdFloor);
    const at::Tensor x = ((data->trainFeatures - mean) / std).contiguous();
    const at::Tensor y = data->trainLabels;
    const std::int64_t n = x.size(0), dim = x.size(1), classes = data->classes;

    // The gradient of the mean cross-entropy is written out (softmax − one-hot), which is
    // several times faster than autograd for this many small steps.
    const auto floatOptions = x.options();
    at::Tensor weight = at::zeros({classes, dim}, floatOptions);
    at::Tensor bias = at::zeros({classes}, floatOptions);
    at::Tensor weightVelocity = at::zeros_like(weight);
    at::Tensor biasVelocity = at::zeros_like(bias);

    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), std::int64_t(0));
    Rng rng(deriveSeed(options.seed, 0x6c696e656172ULL)); // "linear"
    const std::int64_t batch = std::min<std::int64_t>(options.batchSize, n);
    const std::int64_t stepsPerEpoch = (n + batch - 1) / batch;
    const double totalSteps = double(stepsPerEpoch) * options.epochs;
    const at::Tensor minusOnes = at::full({batch, 1}, -1.0f, floatOptions);
    std::int64_t step = 0;

    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        shuffle(order, rng);
        // One gather per epoch, then contiguous slices: per-step gathers would open a parallel
        // region per step, which crawls when the cores are shared with other work.
        const at::Tensor orderTensor = at::from_blob(order.data(), {n}, at::kLong);
        const at::Tensor xs = x.index_select(0, orderTensor);
        const at::Tensor ys = y.index_select(0, orderTensor).unsqueeze(1);
        for (std::int64_t begin = 0; begin < n; begin += batch, ++step) {
            const std::int64_t rows = std::min(batch, n - begin);
            const at::Tensor xb = xs.narrow(0, begin, rows);
            const at::Tensor yb = ys.narrow(0, begin, rows);
            at::Tensor grad = at::addmm(bias, xb, weight.t()).softmax(1);
            grad.scatter_add_(1, yb, minusOnes.narrow(0, 0, rows));
            grad.div_(double(rows));
            at::Tensor weightGrad = grad.t().mm(xb);
            if (options.weightDecay > 0)
                weightGrad.add_(weight, options.weightDecay);
            weightVelocity.mul_(kMomentum).add_(weightGrad);
            biasVelocity.mul_(kMomentum).add_(grad.sum(0));
            const double progressed = double(step) / totalSteps;
            const double lr = 0.5 * options.lr * (1.0 + std::cos(std::numbers::pi * progressed));
            weight.sub_(weightVelocity, lr);
            bias.sub_(biasVelocity, lr);
        }
        if (!weight.isfinite().all().item<bool>() || !bias.isfinite().all().item<bool>())
            return makeError(ErrorCode::InvalidInput,
                             kWhat + ": the weights became NaN or Inf in epoch " +
                                 std::to_string(epoch + 1) + " (lr " + std::to_string(options.lr) +
                                 " too high?)");
        if (!reportProgress(progress, double(epoch + 1) / options.epochs,
                            kWhat + ": epoch " + std::to_string(epoch + 1) + "/" +
                                std::to_string(options.epochs)))
            return detail::cancelledError(kWhat);
    }

    const at::Tensor testX = (data->testFeatures - mean) / std;
    const at::Tensor predicted = at::addmm(bias, testX, weight.t()).argmax(1);
    return detail::accuracyOf(predicted, data->testLabels);
}

} // namespace gps::eval
