#include "ssl/nnclr.h"

#include "common/check.h"
#include "ssl/losses/nnclr_loss.h"

#include <torch/torch.h>

namespace gps::ssl {

NnclrImpl::NnclrImpl(models::Backbone backbone, const NnclrOptions& options)
    : m_options(options), m_backbone(std::move(backbone)) {
    GPS_CHECK(m_backbone, "NNCLR needs a backbone");
    GPS_CHECK(options.queueSize >= 1, "NNCLR needs queue_size ≥ 1, got " << options.queueSize);
    register_module("backbone", m_backbone);
    models::MlpOptions projector{m_backbone->featureDim(),
                                 {options.projHiddenDim, options.projHiddenDim},
                                 options.projOutputDim};
    projector.outputBatchNorm = true;
    projector.outputAffine = true;
    m_projector = register_module("projector", models::Mlp(projector));
    m_predictor = register_module(
        "predictor", models::Mlp(models::MlpOptions{
                         options.projOutputDim, {options.predHiddenDim}, options.projOutputDim}));
    m_queue = detail::FifoQueue(*this, "queue",
                                torch::zeros({options.queueSize, options.projOutputDim}), 0);
}

PairLossOutput NnclrImpl::pairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    return pairLossStashing(first, second, is_training());
}

PairLossOutput NnclrImpl::extraPairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    return pairLossStashing(first, second, false);
}

PairLossOutput NnclrImpl::pairLossStashing(const torch::Tensor& first, const torch::Tensor& second,
                                           bool stash) {
    const torch::Tensor f1 = m_backbone->forward(first);
    const torch::Tensor z1 = m_projector->forward(f1);
    const torch::Tensor z2 = m_projector->forward(m_backbone->forward(second));
    const torch::Tensor p1 = m_predictor->forward(z1);
    const torch::Tensor p2 = m_predictor->forward(z2);
    torch::Tensor u1, u2;
    {
        torch::NoGradGuard noGrad;
        u1 = torch::nn::functional::normalize(z1.detach().to(torch::kFloat),
                                              torch::nn::functional::NormalizeFuncOptions().dim(1));
        u2 = torch::nn::functional::normalize(z2.detach().to(torch::kFloat),
                                              torch::nn::functional::NormalizeFuncOptions().dim(1));
    }
    const torch::Tensor support = m_queue.rows();
    const torch::Tensor nn1 = support.size(0) > 0 ? nearestNeighbours(u1, support) : u1;
    const torch::Tensor nn2 = support.size(0) > 0 ? nearestNeighbours(u2, support) : u2;
    const torch::Tensor loss = nnclrLoss(nn1, p2, m_options.temperature) / 2 +
                               nnclrLoss(nn2, p1, m_options.temperature) / 2;
    if (stash)
        m_pending.push_back(u1);
    return {loss, f1.detach(), {}};
}

torch::Tensor NnclrImpl::project(const torch::Tensor& views) {
    return m_projector->forward(m_backbone->forward(views));
}

void NnclrImpl::afterOptimizerStep(double) {
    for (const torch::Tensor& rows : m_pending)
        m_queue.push(rows);
    m_pending.clear();
}

MethodInfo nnclrMethodInfo() {
    MethodInfo info;
    info.name = "nnclr";
    info.title = "NNCLR";
    info.description = "contrastive with the nearest neighbour of a view's projection in a "
                       "queue of past projections as its positive";
    info.hparams = {
        detail::temperatureSpec(0.2),
        detail::headDimSpec("proj_hidden_dim", "width of the projector's two hidden layers", 2048,
                            512),
        detail::headDimSpec("proj_output_dim", "projector (and predictor) output width", 256, 128),
        detail::headDimSpec("pred_hidden_dim", "width of the predictor's hidden layer", 4096, 1024),
        detail::queueSizeSpec(65536, 4096),
    };
    info.defaultOptimizer = "lars";
    info.defaultLr = 0.4;
    info.defaultWeightDecay = 1e-5;
    info.make = [](models::Backbone backbone, const HParams& values, const MethodContext& context) {
        GPS_CHECK(backbone, "NNCLR needs a backbone");
        NnclrOptions options;
        options.temperature = detail::param(values, "temperature");
        options.projHiddenDim = detail::autoSize(values, "proj_hidden_dim", *backbone, 2048, 512);
        options.projOutputDim = detail::autoSize(values, "proj_output_dim", *backbone, 256, 128);
        options.predHiddenDim = detail::autoSize(values, "pred_hidden_dim", *backbone, 4096, 1024);
        options.queueSize = detail::autoQueueSize(values, *backbone, context, 65536, 4096);
        return Method(std::make_shared<NnclrImpl>(std::move(backbone), options));
    };
    return info;
}

} // namespace gps::ssl
