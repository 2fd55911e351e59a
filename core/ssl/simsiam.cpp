#include "ssl/simsiam.h"

#include "common/check.h"
#include "ssl/losses/simsiam_loss.h"
#include "ssl/method_util.h"

#include <torch/torch.h>

namespace gps::ssl {

SimSiamImpl::SimSiamImpl(models::Backbone backbone, const SimSiamOptions& options)
    : m_options(options), m_backbone(std::move(backbone)) {
    GPS_CHECK(m_backbone, "SimSiam needs a backbone");
    register_module("backbone", m_backbone);
    models::MlpOptions projector{m_backbone->featureDim(),
                                 {options.projHiddenDim, options.projHiddenDim},
                                 options.projOutputDim};
    projector.outputBatchNorm = true;
    projector.outputAffine = false;
    m_projector = register_module("projector", models::Mlp(projector));
    m_predictor = register_module(
        "predictor", models::Mlp(models::MlpOptions{
                         options.projOutputDim, {options.predHiddenDim}, options.projOutputDim}));
}

PairLossOutput SimSiamImpl::pairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    const torch::Tensor f1 = m_backbone->forward(first);
    const torch::Tensor z1 = m_projector->forward(f1);
    const torch::Tensor z2 = m_projector->forward(m_backbone->forward(second));
    const torch::Tensor p1 = m_predictor->forward(z1);
    const torch::Tensor p2 = m_predictor->forward(z2);
    const torch::Tensor loss = negativeCosineLoss(p1, z2) / 2 + negativeCosineLoss(p2, z1) / 2;
    return {loss, f1.detach(), {}};
}

torch::Tensor SimSiamImpl::project(const torch::Tensor& views) {
    return m_predictor->forward(m_projector->forward(m_backbone->forward(views)));
}

MethodInfo simSiamMethodInfo() {
    MethodInfo info;
    info.name = "simsiam";
    info.title = "SimSiam";
    info.description = "non-contrastive: a predictor regresses the other view's projection, "
                       "with stop-gradient instead of negatives or a momentum encoder";
    info.hparams = {
        detail::headDimSpec("proj_hidden_dim", "width of the projector's two hidden layers", 2048,
                            512),
        detail::headDimSpec("proj_output_dim", "projector (and predictor) output width", 2048, 512),
        detail::headDimSpec("pred_hidden_dim", "width of the predictor's bottleneck", 512, 128),
    };
    info.defaultOptimizer = "sgd";
    info.defaultLr = 0.5;
    info.defaultWeightDecay = 1e-5;
    info.make = [](models::Backbone backbone, const HParams& values, const MethodContext&) {
        GPS_CHECK(backbone, "SimSiam needs a backbone");
        SimSiamOptions options;
        options.projHiddenDim = detail::autoSize(values, "proj_hidden_dim", *backbone, 2048, 512);
        options.projOutputDim = detail::autoSize(values, "proj_output_dim", *backbone, 2048, 512);
        options.predHiddenDim = detail::autoSize(values, "pred_hidden_dim", *backbone, 512, 128);
        return Method(std::make_shared<SimSiamImpl>(std::move(backbone), options));
    };
    return info;
}

} // namespace gps::ssl
