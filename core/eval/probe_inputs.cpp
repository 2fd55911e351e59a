#include "eval/probe_inputs.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace gps::eval::detail {

namespace {

std::string shapeText(const at::Tensor& t) {
    std::string text;
    for (std::int64_t d = 0; d < t.dim(); ++d)
        text += (d ? "×" : "") + std::to_string(t.size(d));
    return text.empty() ? "a scalar" : text;
}

Error invalid(const std::string& message) {
    return makeError(ErrorCode::InvalidInput, message);
}

struct Split {
    at::Tensor features;
    at::Tensor labels;
};

// One split's checks, then its labelled rows.
Result<Split> labelledRows(const std::string& what, const char* split, const at::Tensor& features,
                           const at::Tensor& labels) {
    const std::string name = what + ": " + split;
    if (!features.defined() || features.dim() != 2)
        return invalid(name + " features must be N×F, got " +
                       (features.defined() ? shapeText(features) : "no tensor"));
    if (!at::isFloatingType(features.scalar_type()))
        return invalid(name + " features must be floating point, got " +
                       std::string(c10::toString(features.scalar_type())));
    if (!labels.defined() || labels.dim() != 1 || labels.size(0) != features.size(0))
        return invalid(name + " labels must be one per row (" + std::to_string(features.size(0)) +
                       "), got " + (labels.defined() ? shapeText(labels) : "no tensor"));
    if (!at::isIntegralType(labels.scalar_type(), /*includeBool=*/false))
        return invalid(name + " labels must be integers, got " +
                       std::string(c10::toString(labels.scalar_type())));
    const at::Tensor y = labels.to(at::kCPU, at::kLong).contiguous();
    if (y.numel() > 0 && y.min().item<std::int64_t>() < -1)
        return invalid(name + " labels must be ≥ -1 (-1 = unlabelled), found " +
                       std::to_string(y.min().item<std::int64_t>()));
    const at::Tensor kept = (y >= 0).nonzero().view({-1});
    if (kept.numel() == 0)
        return invalid(name + " split has no labelled row (of " + std::to_string(y.size(0)) + ")");
    at::Tensor x = features.to(at::kCPU).index_select(0, kept).to(at::kFloat).contiguous();
    const at::Tensor badRows = x.isfinite().all(1).logical_not().nonzero().view({-1});
    if (badRows.numel() > 0)
        return invalid(name + " features hold NaN or Inf in " + std::to_string(badRows.numel()) +
                       " row(s), the first being row " +
                       std::to_string(kept[badRows[0].item<std::int64_t>()].item<std::int64_t>()));
    return Split{std::move(x), y.index_select(0, kept)};
}

} // namespace

Result<ProbeData> prepareProbeData(const std::string& what, const at::Tensor& trainFeatures,
                                   const at::Tensor& trainLabels, const at::Tensor& testFeatures,
                                   const at::Tensor& testLabels) {
    auto train = labelledRows(what, "train", trainFeatures, trainLabels);
    if (!train)
        return train.error();
    auto test = labelledRows(what, "test", testFeatures, testLabels);
    if (!test)
        return test.error();
    if (train->features.size(1) != test->features.size(1))
        return invalid(what + ": train features have " + std::to_string(train->features.size(1)) +
                       " columns, test features " + std::to_string(test->features.size(1)));
    if (train->features.size(1) == 0)
        return invalid(what + ": features have no columns");
    ProbeData data;
    data.classes = std::max(train->labels.max().item<std::int64_t>(),
                            test->labels.max().item<std::int64_t>()) +
                   1;
    data.trainFeatures = std::move(train->features);
    data.trainLabels = std::move(train->labels);
    data.testFeatures = std::move(test->features);
    data.testLabels = std::move(test->labels);
    return data;
}

double accuracyOf(const at::Tensor& predicted, const at::Tensor& labels) {
    return predicted.eq(labels).sum().item<double>() / double(labels.numel());
}

Error cancelledError(const std::string& what) {
    return makeError(ErrorCode::Cancelled, what + ": cancelled");
}

} // namespace gps::eval::detail
