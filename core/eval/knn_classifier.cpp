// The weighted kNN classifier of linear_probe.h (InstDisc, solo-learn's weighted_knn).

#include "eval/linear_probe.h"

#include "eval/probe_inputs.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace gps::eval {

namespace {

const std::string kWhat = "knn";

Status checkOptions(const KnnClassifierOptions& options) {
    const auto bad = [](const std::string& what) {
        return makeError(ErrorCode::InvalidInput, kWhat + ": " + what);
    };
    if (options.k < 1)
        return bad("k must be ≥ 1, got " + std::to_string(options.k));
    if (!(options.temperature > 0) || !std::isfinite(options.temperature))
        return bad("temperature must be > 0, got " + std::to_string(options.temperature));
    if (options.batchRows < 1)
        return bad("batch rows must be ≥ 1, got " + std::to_string(options.batchRows));
    return Ok{};
}

at::Tensor unitRows(const at::Tensor& x) {
    return x / x.norm(2, {1}, /*keepdim=*/true).clamp_min(1e-12);
}

} // namespace

Result<double> knnAccuracy(const at::Tensor& trainFeatures, const at::Tensor& trainLabels,
                           const at::Tensor& testFeatures, const at::Tensor& testLabels,
                           const KnnClassifierOptions& options, const ProgressFn& progress) {
    if (auto valid = checkOptions(options); !valid)
        return valid.error();
    auto data =
        detail::prepareProbeData(kWhat, trainFeatures, trainLabels, testFeatures, testLabels);
    if (!data)
        return data.error();
    const at::NoGradGuard noGrad;

    const at::Tensor trainT = unitRows(data->trainFeatures).t().contiguous();
    const at::Tensor test = unitRows(data->testFeatures);
    const at::Tensor& trainY = data->trainLabels;
    const at::Tensor& testY = data->testLabels;
    const std::int64_t m = test.size(0);
    const std::int64_t k = std::min<std::int64_t>(options.k, trainT.size(1));

    std::int64_t correct = 0;
    for (std::int64_t begin = 0; begin < m; begin += options.batchRows) {
        const std::int64_t rows = std::min(options.batchRows, m - begin);
        const at::Tensor similarity = test.narrow(0, begin, rows).mm(trainT);
        const auto [top, index] = similarity.topk(k, /*dim=*/1);
        const at::Tensor votersY = trainY.index_select(0, index.reshape({-1})).view({rows, k});
        // exp((s − s_max) / T) is exp(s / T) scaled per row, so the vote is the same, and it
        // cannot overflow however small T is.
        const at::Tensor weights = top.sub(top.narrow(1, 0, 1)).div(options.temperature).exp();
        const at::Tensor votes =
            at::zeros({rows, data->classes}, weights.options()).scatter_add_(1, votersY, weights);
        correct += votes.argmax(1).eq(testY.narrow(0, begin, rows)).sum().item<std::int64_t>();
        if (!reportProgress(progress, double(begin + rows) / double(m),
                            kWhat + ": " + std::to_string(begin + rows) + "/" + std::to_string(m) +
                                " test rows"))
            return detail::cancelledError(kWhat);
    }
    return double(correct) / double(m);
}

} // namespace gps::eval
