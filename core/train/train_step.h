#pragma once
/// Internal to core/train: the forward pass of one training step (the loss of a batch under the
/// positive source's rules), bf16 autocast on CUDA, and the device line of the log. Split out of
/// trainer.cpp to keep files small.

#include "ssl/method.h"
#include "train/batch_source.h"
#include "train/train_config.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <string>

namespace gps::train::detail {

/// Enables CUDA autocast to bf16 for its lifetime (nested use is fine); nothing when `enabled`
/// is false. The backward pass runs outside it, as PyTorch recommends.
class AutocastGuard {
public:
    explicit AutocastGuard(bool enabled);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard&) = delete;
    AutocastGuard& operator=(const AutocastGuard&) = delete;

private:
    bool m_enabled = false;
    bool m_wasEnabled = false;
    at::ScalarType m_previousType = at::kFloat;
};

struct StepLoss {
    at::Tensor loss;                     ///< scalar float32, differentiable
    at::Tensor features;                 ///< B×F float32, detached (online probe)
    std::map<std::string, double> parts; ///< the method's parts, plus "pair" and the extra term
};

/// The loss of one batch, views moved to `device`:
///   augment, gps:  L = pairLoss(v1, v2)
///   semantic:      (L + w·pairLoss(v1, extra)) / (1 + w),        w = positives.semanticWeight
///   synthetic:     L + λ·mean(2 − 2cos(project(v1), project(extra))), λ =
///   positives.syntheticLambda
StepLoss forwardStep(ssl::MethodImpl& method, const Batch& batch, const PositiveConfig& positives,
                     const torch::Device& device, bool autocast);

/// "cpu (2 threads)", "cuda:0 (bf16 autocast)".
std::string describeDevice(const torch::Device& device, bool autocast);

} // namespace gps::train::detail
