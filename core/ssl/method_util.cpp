#include "ssl/method_util.h"

#include "common/check.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gps::ssl::detail {

double param(const HParams& values, const std::string& key) {
    const auto found = values.find(key);
    GPS_CHECK(found != values.end(), "hyper-parameter '" << key << "' is missing");
    return found->second;
}

int autoSize(const HParams& values, const std::string& key, const models::BackboneImpl& backbone,
             int recipeSize, int smallSize) {
    const int given = static_cast<int>(std::lround(param(values, key)));
    if (given > 0)
        return given;
    return backbone.small() ? smallSize : recipeSize;
}

HParamSpec headDimSpec(const std::string& name, const std::string& what, int recipeSize,
                       int smallSize) {
    return {name,
            HParamType::Int,
            0,
            0,
            kMaxHeadDim,
            what + "; 0 = auto: " + std::to_string(recipeSize) + ", or " +
                std::to_string(smallSize) + " for small backbones"};
}

HParamSpec temperatureSpec(double defaultValue) {
    return {"temperature",
            HParamType::Float,
            defaultValue,
            0.01,
            10,
            "softmax temperature of the contrastive loss (lower = sharper)"};
}

HParamSpec queueSizeSpec(int recipeSize, int smallSize) {
    return {"queue_size",
            HParamType::Int,
            0,
            0,
            kMaxQueueSize,
            "rows in the FIFO queue of past projections; 0 = auto: " + std::to_string(recipeSize) +
                ", or " + std::to_string(smallSize) +
                " for small backbones, at most the dataset size minus a batch"};
}

int autoQueueSize(const HParams& values, const models::BackboneImpl& backbone,
                  const MethodContext& context, int recipeSize, int smallSize) {
    const int given = static_cast<int>(std::lround(param(values, "queue_size")));
    if (given > 0)
        return given;
    std::int64_t size = backbone.small() ? smallSize : recipeSize;
    if (context.datasetSize > 0)
        size = std::min(size, std::max<std::int64_t>(1, context.datasetSize - context.batchSize));
    return static_cast<int>(size);
}

std::vector<HParamSpec> momentumSpecs(double base, double final) {
    return {{"momentum_base", HParamType::Float, base, 0, 1,
             "EMA coefficient of the momentum encoder at the start (cosine schedule)"},
            {"momentum_final", HParamType::Float, final, 0, 1,
             "EMA coefficient of the momentum encoder at the end of training"}};
}

double cosineMomentum(double base, double final, double progress) {
    const double p = std::clamp(progress, 0.0, 1.0);
    return final - (final - base) * (std::cos(std::numbers::pi * p) + 1) / 2;
}

models::Mlp cloneFrozen(const models::Mlp& source) {
    models::Mlp copy(source->options());
    {
        torch::NoGradGuard noGrad;
        const auto from = source->parameters();
        const auto to = copy->parameters();
        for (std::size_t i = 0; i < from.size(); ++i)
            to[i].copy_(from[i]);
        const auto fromBuffers = source->buffers();
        const auto toBuffers = copy->buffers();
        for (std::size_t i = 0; i < fromBuffers.size(); ++i)
            toBuffers[i].copy_(fromBuffers[i]);
    }
    copy->to(source->parameters().front().device());
    freeze(*copy);
    return copy;
}

void freeze(torch::nn::Module& module) {
    for (auto& parameter : module.parameters())
        parameter.set_requires_grad(false);
}

void emaUpdate(torch::nn::Module& target, const torch::nn::Module& online, double tau) {
    torch::NoGradGuard noGrad;
    const auto to = target.parameters();
    const auto from = online.parameters();
    GPS_CHECK(to.size() == from.size(), "momentum encoder does not match the online network ("
                                            << to.size() << " vs " << from.size()
                                            << " parameters)");
    for (std::size_t i = 0; i < to.size(); ++i)
        to[i].mul_(tau).add_(from[i].detach(), 1 - tau);
}

FifoQueue::FifoQueue(torch::nn::Module& owner, const std::string& name, const at::Tensor& initial,
                     std::int64_t filled)
    : m_owner(&owner), m_name(name) {
    GPS_CHECK(initial.dim() == 2 && initial.size(0) >= 1, "a queue needs K ≥ 1 rows");
    owner.register_buffer(name, initial);
    owner.register_buffer(name + "_ptr", torch::zeros({1}, torch::kLong));
    owner.register_buffer(name + "_filled", torch::full({1}, filled, torch::kLong));
}

at::Tensor FifoQueue::buffer(const std::string& suffix) const {
    GPS_CHECK(m_owner, "queue used before construction");
    const auto buffers = m_owner->named_buffers(/*recurse=*/false);
    const at::Tensor* found = buffers.find(m_name + suffix);
    GPS_CHECK(found, "queue buffer '" << m_name << suffix << "' is missing");
    return *found;
}

std::int64_t FifoQueue::capacity() const {
    return buffer("").size(0);
}

at::Tensor FifoQueue::rows() const {
    const at::Tensor queue = buffer("");
    const std::int64_t filled = buffer("_filled").item<std::int64_t>();
    return filled >= queue.size(0) ? queue : queue.narrow(0, 0, filled);
}

void FifoQueue::push(const at::Tensor& rowsIn) {
    torch::NoGradGuard noGrad;
    at::Tensor queue = buffer("");
    at::Tensor ptrBuffer = buffer("_ptr");
    at::Tensor filledBuffer = buffer("_filled");
    GPS_CHECK(rowsIn.dim() == 2 && rowsIn.size(1) == queue.size(1),
              "queue rows must be N×" << queue.size(1) << ", got " << rowsIn.sizes());
    const std::int64_t k = queue.size(0);
    at::Tensor rows = rowsIn.detach().to(queue.options());
    if (rows.size(0) > k)
        rows = rows.narrow(0, rows.size(0) - k, k);
    std::int64_t ptr = ptrBuffer.item<std::int64_t>();
    std::int64_t written = 0;
    while (written < rows.size(0)) {
        const std::int64_t chunk = std::min(rows.size(0) - written, k - ptr);
        queue.narrow(0, ptr, chunk).copy_(rows.narrow(0, written, chunk));
        written += chunk;
        ptr = (ptr + chunk) % k;
    }
    ptrBuffer.fill_(ptr);
    filledBuffer.fill_(std::min(k, filledBuffer.item<std::int64_t>() + written));
}

} // namespace gps::ssl::detail
