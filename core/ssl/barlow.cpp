#include "ssl/barlow.h"

#include "common/check.h"
#include "ssl/losses/barlow_loss.h"
#include "ssl/method_util.h"

#include <torch/torch.h>

namespace gps::ssl {

BarlowImpl::BarlowImpl(models::Backbone backbone, const BarlowOptions& options)
    : m_options(options), m_backbone(std::move(backbone)) {
    GPS_CHECK(m_backbone, "Barlow Twins needs a backbone");
    register_module("backbone", m_backbone);
    m_projector = register_module(
        "projector", models::Mlp(models::MlpOptions{m_backbone->featureDim(),
                                                    {options.projHiddenDim, options.projHiddenDim},
                                                    options.projOutputDim}));
}

PairLossOutput BarlowImpl::pairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    const torch::Tensor f1 = m_backbone->forward(first);
    const torch::Tensor z1 = m_projector->forward(f1);
    const torch::Tensor z2 = m_projector->forward(m_backbone->forward(second));
    return {barlowTwinsLoss(z1, z2, m_options.lambda, m_options.scale), f1.detach(), {}};
}

torch::Tensor BarlowImpl::project(const torch::Tensor& views) {
    return m_projector->forward(m_backbone->forward(views));
}

MethodInfo barlowMethodInfo() {
    MethodInfo info;
    info.name = "barlow";
    info.title = "Barlow Twins";
    info.description = "non-contrastive: the views' cross-correlation matrix is pushed towards "
                       "the identity";
    info.hparams = {
        detail::headDimSpec("proj_hidden_dim", "width of the projector's two hidden layers", 2048,
                            1024),
        detail::headDimSpec("proj_output_dim", "projector output width", 2048, 1024),
        {"lambda", HParamType::Float, 0.0051, 0, 1,
         "weight of the off-diagonal (redundancy) terms relative to the diagonal ones"},
        {"scale_loss", HParamType::Float, 0.1, 0.0001, 100, "factor the whole loss is scaled by"},
    };
    info.defaultOptimizer = "lars";
    info.defaultLr = 0.3;
    info.defaultWeightDecay = 1e-4;
    info.make = [](models::Backbone backbone, const HParams& values, const MethodContext&) {
        GPS_CHECK(backbone, "Barlow Twins needs a backbone");
        BarlowOptions options;
        options.projHiddenDim = detail::autoSize(values, "proj_hidden_dim", *backbone, 2048, 1024);
        options.projOutputDim = detail::autoSize(values, "proj_output_dim", *backbone, 2048, 1024);
        options.lambda = detail::param(values, "lambda");
        options.scale = detail::param(values, "scale_loss");
        return Method(std::make_shared<BarlowImpl>(std::move(backbone), options));
    };
    return info;
}

} // namespace gps::ssl
