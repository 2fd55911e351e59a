#pragma once
// Internal to core/ssl: pieces several methods share (auto head sizes, schema entries, momentum
// encoders, FIFO queues). Not part of the public API.

#include "models/backbone.h"
#include "models/heads.h"
#include "ssl/hparams.h"
#include "ssl/method.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <string>
#include <vector>

namespace gps::ssl::detail {

inline constexpr double kMaxHeadDim = 16384;
inline constexpr double kMaxQueueSize = 1 << 20;

/// The value of `key`; GPS_CHECK that it is present (the registry fills the defaults in).
double param(const HParams& values, const std::string& key);
/// An integer hyper-parameter where 0 means "auto": the recipe size, or `smallSize` when the
/// backbone is small().
int autoSize(const HParams& values, const std::string& key, const models::BackboneImpl& backbone,
             int recipeSize, int smallSize);

/// Schema entries shared by several methods; the help text states both auto sizes.
HParamSpec headDimSpec(const std::string& name, const std::string& what, int recipeSize,
                       int smallSize);
HParamSpec temperatureSpec(double defaultValue);
HParamSpec queueSizeSpec(int recipeSize, int smallSize);
/// queue_size where 0 means "auto": the recipe size (or `smallSize` for small backbones),
/// capped at context.datasetSize − context.batchSize when the dataset size is known (≥ 1).
int autoQueueSize(const HParams& values, const models::BackboneImpl& backbone,
                  const MethodContext& context, int recipeSize, int smallSize);
/// momentum_base and momentum_final: EMA τ from base to final with a cosine schedule.
std::vector<HParamSpec> momentumSpecs(double base, double final);

/// τ(progress) = final − (final − base)·(cos(π·progress) + 1)/2, progress clamped to [0, 1]
/// (BYOL's schedule: base at the start, final at the end).
double cosineMomentum(double base, double final, double progress);

/// A head with the same options as `source` and a copy of its parameters and buffers, with
/// requires_grad off (a momentum copy).
models::Mlp cloneFrozen(const models::Mlp& source);
/// Turns requires_grad off on every parameter of `module`.
void freeze(torch::nn::Module& module);
/// target ← τ·target + (1 − τ)·online, parameter by parameter (same architecture). No grad.
void emaUpdate(torch::nn::Module& target, const torch::nn::Module& online, double tau);

/// A FIFO ring of rows kept in buffers of `owner` (so it moves with .to(device) and is saved and
/// restored with the module's state): `<name>` K×D, `<name>_ptr` the next row to write,
/// `<name>_filled` rows written so far (at most K). The buffers are looked up by name on every
/// use, so replacing them (loading a checkpoint) is safe. `owner` must outlive the queue (it is
/// meant to be a member of its owner).
class FifoQueue {
public:
    FifoQueue() = default;
    /// Registers the buffers; `initial` is K×D (zeros, or random unit rows for MoCo) and
    /// `filled` says how many of its rows count as real.
    FifoQueue(torch::nn::Module& owner, const std::string& name, const at::Tensor& initial,
              std::int64_t filled);
    /// The rows written so far (all K once full), K'×D, no copy.
    at::Tensor rows() const;
    std::int64_t capacity() const;
    /// Appends `rows` (N×D, detached), overwriting the oldest; with N > K keeps the last K.
    void push(const at::Tensor& rows);

private:
    at::Tensor buffer(const std::string& suffix) const;

    torch::nn::Module* m_owner = nullptr;
    std::string m_name;
};

} // namespace gps::ssl::detail
