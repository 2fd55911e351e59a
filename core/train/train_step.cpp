#include "train/train_step.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <sstream>

namespace gps::train::detail {

// LibTorch 2.4 replaced the CUDA-only autocast setters by per-device ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define GPS_AUTOCAST_PER_DEVICE 1
#else
#define GPS_AUTOCAST_PER_DEVICE 0
#endif

AutocastGuard::AutocastGuard(bool enabled) : m_enabled(enabled) {
    if (!m_enabled)
        return;
#if GPS_AUTOCAST_PER_DEVICE
    m_wasEnabled = at::autocast::is_autocast_enabled(at::kCUDA);
    m_previousType = at::autocast::get_autocast_dtype(at::kCUDA);
    at::autocast::set_autocast_enabled(at::kCUDA, true);
    at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
#else
    m_wasEnabled = at::autocast::is_enabled();
    m_previousType = at::autocast::get_autocast_gpu_dtype();
    at::autocast::set_enabled(true);
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
#endif
    at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
    if (!m_enabled)
        return;
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
#if GPS_AUTOCAST_PER_DEVICE
    at::autocast::set_autocast_enabled(at::kCUDA, m_wasEnabled);
    at::autocast::set_autocast_dtype(at::kCUDA, m_previousType);
#else
    at::autocast::set_enabled(m_wasEnabled);
    at::autocast::set_autocast_gpu_dtype(m_previousType);
#endif
}

StepLoss forwardStep(ssl::MethodImpl& method, const Batch& batch, const PositiveConfig& positives,
                     const torch::Device& device, bool autocast) {
    const bool cuda = device.is_cuda();
    const auto move = [&](const at::Tensor& views) {
        return views.to(device, /*non_blocking=*/cuda);
    };
    const at::Tensor first = move(batch.first);
    const at::Tensor second = move(batch.second);
    const at::Tensor extra = batch.extra.defined() ? move(batch.extra) : at::Tensor();

    StepLoss out;
    const AutocastGuard guard(autocast && cuda);
    ssl::PairLossOutput pair = method.pairLoss(first, second);
    at::Tensor loss = pair.loss.to(torch::kFloat32);
    out.parts = pair.parts;
    out.parts["pair"] = loss.item<double>();
    out.features = pair.features.detach().to(torch::kFloat32);
    if (positives.source == PositiveSource::Semantic) {
        const double w = positives.semanticWeight;
        const at::Tensor extraLoss = method.extraPairLoss(first, extra).loss.to(torch::kFloat32);
        out.parts["semantic"] = extraLoss.item<double>();
        loss = (loss + extraLoss * w) / (1.0 + w);
    } else if (positives.source == PositiveSource::Synthetic) {
        const at::Tensor a = method.project(first).to(torch::kFloat32);
        const at::Tensor b = method.project(extra).to(torch::kFloat32);
        const at::Tensor term = (2.0 - 2.0 * torch::cosine_similarity(a, b, 1)).mean();
        out.parts["synthetic"] = term.item<double>();
        loss = loss + term * positives.syntheticLambda;
    }
    out.loss = loss;
    return out;
}

std::string describeDevice(const torch::Device& device, bool autocast) {
    std::ostringstream out;
    if (device.is_cuda())
        out << "cuda:" << (device.has_index() ? device.index() : 0) << " ("
            << (autocast ? "bf16 autocast" : "float32") << ")";
    else
        out << "cpu (" << at::get_num_threads() << " threads)";
    return out.str();
}

} // namespace gps::train::detail
