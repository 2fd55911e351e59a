#pragma once
/// The online linear classifier (the number SSL papers report): a linear layer trained on
/// detached backbone features at every training step with its own SGD optimiser, so it never
/// changes the backbone. Lives on the training device; not thread-safe (the training thread).
///
/// Logits = x·Wᵀ + b with W, b starting at zero (so the probe draws nothing from torch's global
/// generator), trained with cross-entropy (mean over the labelled rows) and SGD as PyTorch's
/// (momentum 0.9, no dampening, no weight decay). The gradient is computed in closed form, in
/// float32, whatever the caller's grad or inference mode.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <memory>
#include <string>

namespace torch::serialize {
class OutputArchive;
class InputArchive;
} // namespace torch::serialize

namespace gps::eval {

class OnlineProbe {
public:
    /// featureDim ≥ 1, classes ≥ 2, lr > 0 (GPS_CHECK).
    OnlineProbe(int featureDim, int classes, double lr, c10::Device device);
    ~OnlineProbe();
    OnlineProbe(OnlineProbe&&) noexcept;
    OnlineProbe& operator=(OnlineProbe&&) noexcept;

    /// One SGD step on features (B×F, any float dtype and device, detached inside) and labels
    /// (B, integer, < classes; rows with -1 are ignored). Returns the accuracy of the predictions
    /// made before the step on the labelled rows; with no labelled row it returns 0 and changes
    /// nothing. Shapes or labels out of range are GPS_CHECK failures.
    double step(const at::Tensor& features, const at::Tensor& labels);
    /// Accuracy on N×F features and N labels (rows with -1 ignored; 0 when none), without training.
    double accuracy(const at::Tensor& features, const at::Tensor& labels);
    /// Running accuracy since resetEpoch() over the labelled rows step() saw (0 before any).
    double epochAccuracy() const;
    void resetEpoch();

    /// For checkpoints: the layer's and optimiser's state as named tensors, and back.
    /// Keys: prefix + `weight` (classes×F), `bias`, `weight_momentum`, `bias_momentum`, and the
    /// running epoch counts `epoch_correct`, `epoch_seen` (int64 scalars). load() reads them back
    /// onto this probe's device, so the next step() gives bitwise the result the saved probe's
    /// would; a missing key or another shape throws (c10::Error or gps::CheckFailure).
    void save(const std::string& prefix, torch::serialize::OutputArchive& archive) const;
    void load(const std::string& prefix, torch::serialize::InputArchive& archive);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace gps::eval
