#pragma once
/// The trainer's optimisers, SGD with momentum, LARS and AdamW, behind one small interface whose
/// whole state is a map of named tensors (so a checkpoint can resume a run exactly).
///
/// Update rules (g = gradient, w = weight, m = momentum, wd = weight decay, lr set per step):
///   SGD    d = g + wd·w;  buf = m·buf + d;  w -= lr·buf                       (torch.optim.SGD)
///   LARS   when ‖w‖ > 0 and ‖g‖ > 0: t = η·‖w‖ / (‖g‖ + wd·‖w‖ + 1e-8), with larsClipLr
///          t = min(t / lr, 1); d = t · (g + wd·w), else d = g;
///          buf = m·buf + d;  w -= lr·buf                    (solo-learn's LARS with clip_lr)
///          so with the clip a layer's step size is min(η·‖w‖/(‖g‖ + wd·‖w‖), lr), never above lr.
///   AdamW  w *= 1 − lr·wd;  Adam's step with bias correction, ε = 1e-8 (torch.optim.AdamW)
/// With excludeBiasAndNorm, parameters with one dimension (biases, norm layers) get wd = 0 and,
/// for LARS, no adaptation (d = g): solo-learn's exclude_bias_n_norm.
///
/// Not thread-safe: the training thread owns it. Parameters may live on any device; the state
/// lives next to them.

#include "common/result.h"
#include "train/train_config.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gps::train {

/// A tensor the optimiser updates, with its qualified name (keys of the saved state).
struct NamedParameter {
    std::string name;
    at::Tensor tensor;
};

/// Named tensors, e.g. an optimiser's state: "<parameter>.momentum", "<parameter>.exp_avg", ...
using TensorMap = std::map<std::string, at::Tensor>;

class Optimizer {
public:
    /// `parameters` must be distinct leaf tensors with requires_grad and unique names (GPS_CHECK).
    /// The config's lr is not used: the trainer sets the scheduled lr with setLr() every step.
    Optimizer(const OptimizerConfig& config, std::vector<NamedParameter> parameters);
    ~Optimizer();
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    /// Drops every gradient (set to undefined, as PyTorch 2's zero_grad(set_to_none=True)).
    void zeroGrad();
    /// One update of every parameter that has a gradient; parameters without one are skipped
    /// (their state does not advance).
    void step();

    void setLr(double lr) { m_lr = lr; }
    double lr() const { return m_lr; }
    const OptimizerConfig& config() const { return m_config; }
    /// True when the parameter gets weight decay (and, for LARS, the trust ratio).
    bool decayed(const std::string& name) const;
    std::size_t parameterCount() const;

    /// The state as CPU tensors (copies), keys "<parameter>.<buffer>", e.g. "fc.weight.momentum",
    /// "fc.weight.exp_avg", "fc.weight.step".
    TensorMap state() const;
    /// Restores a state() of an optimiser of the same kind over the same parameters. Corrupt,
    /// naming the key, for a missing key or a tensor of another shape; the state is unchanged then.
    Status loadState(const TensorMap& state);

private:
    struct Slot;
    void stepSgd(Slot& slot, bool lars);
    void stepAdamW(Slot& slot);

    OptimizerConfig m_config;
    double m_lr = 0;
    std::vector<Slot> m_slots;
};

/// Human name of the kind: "sgd", "lars", "adamw".
const char* optimizerName(OptimizerKind kind);

} // namespace gps::train
