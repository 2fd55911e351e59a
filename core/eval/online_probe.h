#pragma once
/// The online linear classifier (the number SSL papers report): a linear layer trained on
/// detached backbone features at every training step with its own SGD optimiser, so it never
/// changes the backbone. Lives on the training device; not thread-safe (the training thread).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>

namespace gps::eval {

class OnlineProbe {
public:
    /// featureDim ≥ 1, classes ≥ 2, lr > 0.
    OnlineProbe(int featureDim, int classes, double lr, torch::Device device);
    ~OnlineProbe();
    OnlineProbe(OnlineProbe&&) noexcept;
    OnlineProbe& operator=(OnlineProbe&&) noexcept;

    /// One SGD step on features (B×F, detached inside) and labels (B, int64; rows with -1 are
    /// ignored). Returns the accuracy of the predictions made before the step on the labelled rows.
    double step(const at::Tensor& features, const at::Tensor& labels);
    /// Accuracy on N×F features and N labels (rows with -1 ignored), without training.
    double accuracy(const at::Tensor& features, const at::Tensor& labels);
    /// Running accuracy since resetEpoch() over the rows step() saw.
    double epochAccuracy() const;
    void resetEpoch();

    /// For checkpoints: the layer's and optimiser's state as named tensors, and back.
    void save(const std::string& prefix, class torch::serialize::OutputArchive& archive) const;
    void load(const std::string& prefix, class torch::serialize::InputArchive& archive);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace gps::eval
