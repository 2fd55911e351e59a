#pragma once
/// The method-agnostic training loop (docs/design.md §3). It knows no method by name: it asks a
/// PositiveSource for each batch's pairs, calls the method's pairLoss()/project(), steps the
/// optimiser under the warm-up + cosine schedule, trains the online probe, checkpoints, and
/// reports to the observer. Batches are prepared ahead on worker threads (BatchSource) so the
/// model does not wait for data.
///
/// Determinism: epoch e's order is a permutation drawn from epochOrderSeed(seed, e); the views of
/// step s from deriveSeed(seed, s, b, view); the sampler's draw for row b of step s from
/// deriveSeed(seed, s, b, 2) (batch_source.h). So a checkpoint (model, optimiser, probe, counters,
/// LibTorch's CPU generator) is all a run needs to resume exactly: resume equals an uninterrupted
/// run on the same machine and threads, also from a checkpoint in the middle of an epoch. Not
/// kept: a sampler refreshed from the model (refreshEvery), which a resumed run rebuilds from
/// the checkpoint's model, and evaluation or refresh skipped because the run was stopped at the
/// end of an epoch.

#include "augment/spec.h"
#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "neighbors/positive_sampler.h"
#include "ssl/method.h"
#include "train/observer.h"
#include "train/train_config.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace gps::eval {
class OnlineProbe;
} // namespace gps::eval

namespace gps::priors {
class VaePrior;
struct Embedding;
} // namespace gps::priors

namespace gps::train {

/// Everything the loop reads. Shared pointers because the UI may still hold the same dataset or
/// sampler; none of them is modified by the trainer except the method (trained in place).
struct TrainerInputs {
    data::DatasetPtr train;
    augment::AugmentSpec augment;
    ssl::Method method;
    PositiveConfig positives;
    /// Gps and semantic sources; null for augment.
    std::shared_ptr<const neighbors::PositiveSampler> sampler;
    /// Synthetic source: the prior VAE and the training split's latents (its embed() rows).
    std::shared_ptr<const priors::VaePrior> vae;
    std::shared_ptr<const priors::Embedding> latents;
    /// Called every `positives.refreshEvery` epochs to rebuild the sampler from the model's own
    /// features (the NNCLR-like special case); null = no refresh.
    std::function<Result<std::shared_ptr<const neighbors::PositiveSampler>>(
        models::BackboneImpl& backbone, const ProgressFn& progress)>
        refreshSampler;
    /// Evaluation hook run at eval epochs and at the end (offline probes); may be null.
    /// `onlineProbe` is the run's online classifier (null without labels), so the hook can
    /// report its accuracy on the test split too.
    std::function<Result<EvalMetrics>(models::BackboneImpl& backbone, int epochsDone,
                                      const ProgressFn& progress, eval::OnlineProbe* onlineProbe)>
        evaluate;
    int evalEvery = 0; ///< epochs between evaluate() calls; 0 = only at the end
    int classes = 0;   ///< online probe's classes; 0 = no online probe (unlabelled data)
};

struct CheckpointOptions {
    std::filesystem::path file;       ///< empty = no checkpoints
    std::filesystem::path resumeFrom; ///< a checkpoint to start from; empty = fresh start
};

struct TrainResult {
    int epochsDone = 0;
    std::int64_t stepsDone = 0;
    bool stopped = false;       ///< cancelled or an observer returned false
    double finalLoss = 0;       ///< mean loss of the last epoch (or partial epoch)
    double imagesPerSecond = 0; ///< over the whole run
    double dataWaitShare = 0;   ///< over the whole run
    std::optional<EvalMetrics> lastEval;
    std::optional<double> onlineProbeAcc; ///< last epoch's running accuracy
    std::string device;                   ///< "cpu (2 threads)", "cuda:0 (…, bf16 autocast)"
};

/// Trains in place. Errors: InvalidInput for inputs that do not fit (batch larger than the
/// dataset, source gps without a sampler, a checkpoint of another seed or batch size, ...),
/// NotFound/Corrupt for a checkpoint to resume from that is missing or damaged, Io when a
/// checkpoint cannot be written, InvalidInput "loss became NaN at epoch E, step S; the last good
/// checkpoint is kept in FILE" for a non-finite loss (E and S 1-based; nothing is written after
/// it), and the errors of the evaluate and refresh hooks. Cancel (token or observer) is not an
/// error: the run stops before the next step, writes a checkpoint of the current step and
/// returns stopped = true. Exceptions of the method (broken preconditions) propagate.
///
/// Order at the end of epoch E: onEpoch, evaluate (every evalEvery epochs and after the last),
/// refreshSampler (every refreshEvery epochs, not after the last), checkpoint (every
/// checkpointEvery epochs and after the last). Observer hooks run on the calling thread.
Result<TrainResult> runTraining(const TrainerInputs& inputs, const TrainConfig& config,
                                const CheckpointOptions& checkpoints, TrainObserver& observer,
                                const CancelToken& cancel);

/// The device runTraining will use for `config.device`: "auto" (CUDA when available, else the
/// CPU), "cpu", "cuda" or "cuda:N". InvalidInput naming `train.device` for another value or for
/// CUDA on a machine without a usable GPU.
Result<torch::Device> resolveDevice(const std::string& device);

} // namespace gps::train
