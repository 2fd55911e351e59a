#include "ssl/simclr.h"

#include "common/check.h"
#include "ssl/losses/nt_xent.h"
#include "ssl/method_util.h"

#include <torch/torch.h>

namespace gps::ssl {

SimClrImpl::SimClrImpl(models::Backbone backbone, const SimClrOptions& options)
    : m_options(options), m_backbone(std::move(backbone)) {
    GPS_CHECK(m_backbone, "SimCLR needs a backbone");
    register_module("backbone", m_backbone);
    // The reference head ends in BatchNorm1d(proj_output_dim) (affine, as PyTorch's default).
    models::MlpOptions head{m_backbone->featureDim(),
                            {options.projHiddenDim, options.projHiddenDim},
                            options.projOutputDim};
    head.outputBatchNorm = true;
    head.outputAffine = true;
    m_projector = register_module("projector", models::Mlp(head));
}

PairLossOutput SimClrImpl::pairLoss(const torch::Tensor& first, const torch::Tensor& second) {
    const torch::Tensor f1 = m_backbone->forward(first);
    const torch::Tensor z1 = m_projector->forward(f1);
    const torch::Tensor z2 = m_projector->forward(m_backbone->forward(second));
    return {ntXentLoss(z1, z2, m_options.temperature), f1.detach(), {}};
}

torch::Tensor SimClrImpl::project(const torch::Tensor& views) {
    return m_projector->forward(m_backbone->forward(views));
}

MethodInfo simClrMethodInfo() {
    MethodInfo info;
    info.name = "simclr";
    info.title = "SimCLR";
    info.description = "contrastive: each view must pick its positive out of the batch (NT-Xent)";
    info.hparams = {
        detail::temperatureSpec(0.2),
        detail::headDimSpec("proj_hidden_dim", "width of the projector's two hidden layers", 2048,
                            512),
        detail::headDimSpec("proj_output_dim", "projector output width", 256, 128),
    };
    info.defaultOptimizer = "lars";
    info.defaultLr = 0.4;
    info.defaultWeightDecay = 1e-4;
    info.make = [](models::Backbone backbone, const HParams& values, const MethodContext&) {
        GPS_CHECK(backbone, "SimCLR needs a backbone");
        SimClrOptions options;
        options.temperature = detail::param(values, "temperature");
        options.projHiddenDim = detail::autoSize(values, "proj_hidden_dim", *backbone, 2048, 512);
        options.projOutputDim = detail::autoSize(values, "proj_output_dim", *backbone, 256, 128);
        return Method(std::make_shared<SimClrImpl>(std::move(backbone), options));
    };
    return info;
}

} // namespace gps::ssl
