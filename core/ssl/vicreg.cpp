#include "ssl/vicreg.h"

#include "common/check.h"
#include "ssl/method_util.h"

#include <torch/torch.h>

namespace gps::ssl {

VicRegImpl::VicRegImpl(models::Backbone backbone, const VicRegOptions& options)
    : m_options(options), m_backbone(std::move(backbone)) {
    GPS_CHECK(m_backbone, "VICReg needs a backbone");
    register_module("backbone", m_backbone);
    m_projector = register_module(
        "projector", models::Mlp(models::MlpOptions{m_backbone->featureDim(),
                                                    {options.projHiddenDim, options.projHiddenDim},
                                                    options.projOutputDim}));
}

PairLossOutput VicRegImpl::pairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    const torch::Tensor f1 = m_backbone->forward(first);
    const torch::Tensor z1 = m_projector->forward(f1);
    const torch::Tensor z2 = m_projector->forward(m_backbone->forward(second));
    const VicRegLoss loss = vicRegLoss(z1, z2, m_options.weights);
    return {loss.total,
            f1.detach(),
            {{"invariance", loss.invariance.item<double>()},
             {"variance", loss.variance.item<double>()},
             {"covariance", loss.covariance.item<double>()}}};
}

torch::Tensor VicRegImpl::project(const torch::Tensor& views) {
    return m_projector->forward(m_backbone->forward(views));
}

MethodInfo vicRegMethodInfo() {
    MethodInfo info;
    info.name = "vicreg";
    info.title = "VICReg";
    info.description = "non-contrastive: invariance between views plus variance and covariance "
                       "regularisers that prevent collapse";
    info.hparams = {
        detail::headDimSpec("proj_hidden_dim", "width of the projector's two hidden layers", 2048,
                            1024),
        detail::headDimSpec("proj_output_dim", "projector output width", 2048, 1024),
        {"invariance_weight", HParamType::Float, 25, 0, 1000,
         "weight of the invariance (MSE between the views) term"},
        {"variance_weight", HParamType::Float, 25, 0, 1000,
         "weight of the variance hinge (std of every dimension ≥ 1)"},
        {"covariance_weight", HParamType::Float, 1, 0, 1000,
         "weight of the covariance (off-diagonal decorrelation) term"},
    };
    info.defaultOptimizer = "lars";
    info.defaultLr = 0.3;
    info.defaultWeightDecay = 1e-4;
    info.make = [](models::Backbone backbone, const HParams& values, const MethodContext&) {
        GPS_CHECK(backbone, "VICReg needs a backbone");
        VicRegOptions options;
        options.projHiddenDim = detail::autoSize(values, "proj_hidden_dim", *backbone, 2048, 1024);
        options.projOutputDim = detail::autoSize(values, "proj_output_dim", *backbone, 2048, 1024);
        options.weights.invariance = detail::param(values, "invariance_weight");
        options.weights.variance = detail::param(values, "variance_weight");
        options.weights.covariance = detail::param(values, "covariance_weight");
        return Method(std::make_shared<VicRegImpl>(std::move(backbone), options));
    };
    return info;
}

} // namespace gps::ssl
