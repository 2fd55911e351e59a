#include "ssl/byol.h"

#include "common/check.h"
#include "ssl/losses/byol_loss.h"
#include "ssl/method_util.h"

#include <torch/torch.h>

namespace gps::ssl {

ByolImpl::ByolImpl(models::Backbone backbone, const ByolOptions& options)
    : m_options(options), m_backbone(std::move(backbone)), m_tau(options.momentumBase) {
    GPS_CHECK(m_backbone, "BYOL needs a backbone");
    register_module("backbone", m_backbone);
    m_projector =
        register_module("projector", models::Mlp(models::MlpOptions{m_backbone->featureDim(),
                                                                    {options.projHiddenDim},
                                                                    options.projOutputDim}));
    m_predictor = register_module(
        "predictor", models::Mlp(models::MlpOptions{
                         options.projOutputDim, {options.predHiddenDim}, options.projOutputDim}));
    m_momentumBackbone = models::cloneBackbone(*m_backbone);
    detail::freeze(*m_momentumBackbone);
    register_module("momentum_backbone", m_momentumBackbone);
    m_momentumProjector = register_module("momentum_projector", detail::cloneFrozen(m_projector));
}

PairLossOutput ByolImpl::pairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    const torch::Tensor f1 = m_backbone->forward(first);
    const torch::Tensor p1 = m_predictor->forward(m_projector->forward(f1));
    const torch::Tensor p2 =
        m_predictor->forward(m_projector->forward(m_backbone->forward(second)));
    torch::Tensor t1, t2;
    {
        torch::NoGradGuard noGrad;
        t1 = m_momentumProjector->forward(m_momentumBackbone->forward(first));
        t2 = m_momentumProjector->forward(m_momentumBackbone->forward(second));
    }
    return {byolLoss(p1, t2) + byolLoss(p2, t1), f1.detach(), {}};
}

torch::Tensor ByolImpl::project(const torch::Tensor& views) {
    return m_predictor->forward(m_projector->forward(m_backbone->forward(views)));
}

void ByolImpl::afterOptimizerStep(double progress) {
    m_tau = detail::cosineMomentum(m_options.momentumBase, m_options.momentumFinal, progress);
    detail::emaUpdate(*m_momentumBackbone, *m_backbone, m_tau);
    detail::emaUpdate(*m_momentumProjector, *m_projector, m_tau);
}

bool ByolImpl::isMomentumParameter(const std::string& qualifiedName) const {
    return qualifiedName.rfind("momentum_", 0) == 0;
}

MethodInfo byolMethodInfo() {
    MethodInfo info;
    info.name = "byol";
    info.title = "BYOL";
    info.description =
        "non-contrastive: an online network predicts a slowly moving momentum copy's projection";
    info.hparams = {
        detail::headDimSpec("proj_hidden_dim", "width of the projector's hidden layer", 4096, 1024),
        detail::headDimSpec("proj_output_dim", "projector (and predictor) output width", 256, 128),
        detail::headDimSpec("pred_hidden_dim", "width of the predictor's hidden layer", 4096, 1024),
    };
    for (HParamSpec& spec : detail::momentumSpecs(0.99, 1.0))
        info.hparams.push_back(std::move(spec));
    info.defaultOptimizer = "lars";
    info.defaultLr = 1.0;
    info.defaultWeightDecay = 1e-5;
    info.make = [](models::Backbone backbone, const HParams& values, const MethodContext&) {
        GPS_CHECK(backbone, "BYOL needs a backbone");
        ByolOptions options;
        options.projHiddenDim = detail::autoSize(values, "proj_hidden_dim", *backbone, 4096, 1024);
        options.projOutputDim = detail::autoSize(values, "proj_output_dim", *backbone, 256, 128);
        options.predHiddenDim = detail::autoSize(values, "pred_hidden_dim", *backbone, 4096, 1024);
        options.momentumBase = detail::param(values, "momentum_base");
        options.momentumFinal = detail::param(values, "momentum_final");
        return Method(std::make_shared<ByolImpl>(std::move(backbone), options));
    };
    return info;
}

} // namespace gps::ssl
