#include "ssl/mocov2.h"

#include "common/check.h"
#include "ssl/losses/info_nce.h"

#include <torch/torch.h>

namespace gps::ssl {

namespace {

torch::Tensor unitRows(const torch::Tensor& x) {
    return torch::nn::functional::normalize(x.to(torch::kFloat),
                                            torch::nn::functional::NormalizeFuncOptions().dim(1));
}

} // namespace

MocoV2Impl::MocoV2Impl(models::Backbone backbone, const MocoV2Options& options)
    : m_options(options), m_backbone(std::move(backbone)) {
    GPS_CHECK(m_backbone, "MoCo-v2 needs a backbone");
    GPS_CHECK(options.queueSize >= 1, "MoCo-v2 needs queue_size ≥ 1, got " << options.queueSize);
    register_module("backbone", m_backbone);
    models::MlpOptions projector{
        m_backbone->featureDim(), {options.projHiddenDim}, options.projOutputDim};
    projector.hiddenBatchNorm = false;
    m_projector = register_module("projector", models::Mlp(projector));
    m_momentumBackbone = models::cloneBackbone(*m_backbone);
    detail::freeze(*m_momentumBackbone);
    register_module("momentum_backbone", m_momentumBackbone);
    m_momentumProjector = register_module("momentum_projector", detail::cloneFrozen(m_projector));
    for (int view = 0; view < 2; ++view) {
        const torch::Tensor initial =
            unitRows(torch::randn({options.queueSize, options.projOutputDim}));
        m_queues[view] = detail::FifoQueue(*this, "queue" + std::to_string(view + 1), initial,
                                           options.queueSize);
    }
}

PairLossOutput MocoV2Impl::pairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    return pairLossStashing(first, second, is_training());
}

PairLossOutput MocoV2Impl::extraPairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    return pairLossStashing(first, second, false);
}

PairLossOutput MocoV2Impl::pairLossStashing(const torch::Tensor& first, const torch::Tensor& second,
                                            bool stash) {
    const torch::Tensor f1 = m_backbone->forward(first);
    const torch::Tensor q1 = m_projector->forward(f1);
    const torch::Tensor q2 = m_projector->forward(m_backbone->forward(second));
    torch::Tensor k1, k2;
    {
        torch::NoGradGuard noGrad;
        k1 = unitRows(m_momentumProjector->forward(m_momentumBackbone->forward(first)));
        k2 = unitRows(m_momentumProjector->forward(m_momentumBackbone->forward(second)));
    }
    const torch::Tensor loss = (infoNceLoss(q1, k2, m_queues[1].rows(), m_options.temperature) +
                                infoNceLoss(q2, k1, m_queues[0].rows(), m_options.temperature)) /
                               2;
    if (stash)
        m_pending.emplace_back(k1, k2);
    return {loss, f1.detach(), {}};
}

torch::Tensor MocoV2Impl::project(const torch::Tensor& views) {
    return m_projector->forward(m_backbone->forward(views));
}

void MocoV2Impl::afterOptimizerStep(double progress) {
    const double tau =
        detail::cosineMomentum(m_options.momentumBase, m_options.momentumFinal, progress);
    detail::emaUpdate(*m_momentumBackbone, *m_backbone, tau);
    detail::emaUpdate(*m_momentumProjector, *m_projector, tau);
    for (const auto& [k1, k2] : m_pending) {
        m_queues[0].push(k1);
        m_queues[1].push(k2);
    }
    m_pending.clear();
}

bool MocoV2Impl::isMomentumParameter(const std::string& qualifiedName) const {
    return qualifiedName.rfind("momentum_", 0) == 0;
}

MethodInfo mocoV2MethodInfo() {
    MethodInfo info;
    info.name = "mocov2";
    info.title = "MoCo-v2";
    info.description = "contrastive: queries against a momentum encoder's keys, with a queue of "
                       "past keys as negatives";
    info.hparams = {
        detail::temperatureSpec(0.2),
        detail::headDimSpec("proj_hidden_dim", "width of the projector's hidden layer", 2048, 512),
        detail::headDimSpec("proj_output_dim", "projector output width", 256, 128),
        detail::queueSizeSpec(32768, 4096),
    };
    // solo-learn's CIFAR recipe: output 256, a queue of 32,768 keys, momentum 0.99 → 0.999.
    for (HParamSpec& spec : detail::momentumSpecs(0.99, 0.999))
        info.hparams.push_back(std::move(spec));
    info.defaultOptimizer = "sgd";
    info.defaultLr = 0.3;
    info.defaultWeightDecay = 1e-4;
    info.make = [](models::Backbone backbone, const HParams& values, const MethodContext& context) {
        GPS_CHECK(backbone, "MoCo-v2 needs a backbone");
        MocoV2Options options;
        options.temperature = detail::param(values, "temperature");
        options.projHiddenDim = detail::autoSize(values, "proj_hidden_dim", *backbone, 2048, 512);
        options.projOutputDim = detail::autoSize(values, "proj_output_dim", *backbone, 256, 128);
        options.queueSize = detail::autoQueueSize(values, *backbone, context, 32768, 4096);
        options.momentumBase = detail::param(values, "momentum_base");
        options.momentumFinal = detail::param(values, "momentum_final");
        return Method(std::make_shared<MocoV2Impl>(std::move(backbone), options));
    };
    return info;
}

} // namespace gps::ssl
