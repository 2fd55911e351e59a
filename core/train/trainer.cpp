#include "train/trainer.h"

#include "eval/online_probe.h"
#include "train/batch_source.h"
#include "train/checkpoint.h"
#include "train/optimizers.h"
#include "train/schedule.h"
#include "train/train_loop.h"
#include "train/train_step.h"

#include <torch/cuda.h>
#include <torch/torch.h>

namespace gps::train {

namespace {

Error invalid(std::string message) {
    return makeError(ErrorCode::InvalidInput, std::move(message));
}

Status checkInputs(const TrainerInputs& inputs, const TrainConfig& config) {
    if (!inputs.train)
        return invalid("no training split");
    if (!inputs.method)
        return invalid("no method to train");
    if (config.epochs < 1)
        return invalid("train.epochs: must be at least 1, got " + std::to_string(config.epochs));
    if (config.batchSize < 2)
        return invalid("train.batch_size: must be at least 2, got " +
                       std::to_string(config.batchSize));
    if (config.logEvery < 0 || config.checkpointEvery < 0 || inputs.evalEvery < 0)
        return invalid("train.log_every, train.checkpoint_every and eval.every must be ≥ 0");
    if (!(config.optimizer.lr > 0) || config.optimizer.weightDecay < 0)
        return invalid("train.lr must be > 0 and train.weight_decay ≥ 0");
    if (inputs.classes > 0 && !(config.onlineProbeLr > 0))
        return invalid("train.online_probe_lr: must be > 0");
    const auto source = inputs.positives.source;
    if (source == PositiveSource::Semantic && !(inputs.positives.semanticWeight >= 0))
        return invalid("positives.semantic_weight: must be ≥ 0");
    if (source == PositiveSource::Synthetic && !(inputs.positives.syntheticLambda >= 0))
        return invalid("positives.synthetic_lambda: must be ≥ 0");
    return Ok{};
}

/// The trainable parameters: everything that requires grad except momentum encoders.
std::vector<NamedParameter> trainableParameters(const ssl::MethodImpl& method) {
    std::vector<NamedParameter> out;
    for (const auto& item : method.named_parameters(true))
        if (item.value().requires_grad() && !method.isMomentumParameter(item.key()))
            out.push_back({item.key(), item.value()});
    return out;
}

} // namespace

Result<torch::Device> resolveDevice(const std::string& device) {
    const bool cuda = torch::cuda::is_available();
    if (device == "auto")
        return cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    if (device == "cpu")
        return torch::Device(torch::kCPU);
    if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
        if (!cuda)
            return invalid("train.device: '" + device +
                           "' asked for, but no CUDA GPU is available "
                           "(this LibTorch build or machine has none); use auto or cpu");
        int index = 0;
        if (device.size() > 5) {
            try {
                std::size_t used = 0;
                index = std::stoi(device.substr(5), &used);
                if (used != device.size() - 5)
                    index = -1;
            } catch (const std::exception&) {
                index = -1;
            }
        }
        const auto count = static_cast<int>(torch::cuda::device_count());
        if (index < 0 || index >= count)
            return invalid("train.device: '" + device + "' is not one of the " +
                           std::to_string(count) +
                           " CUDA devices (cuda:0 … cuda:" + std::to_string(count - 1) + ")");
        return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    return invalid("train.device: unknown '" + device + "' (expected auto, cpu or cuda)");
}

Result<TrainResult> runTraining(const TrainerInputs& inputs, const TrainConfig& config,
                                const CheckpointOptions& checkpoints, TrainObserver& observer,
                                const CancelToken& cancel) {
    if (const Status valid = checkInputs(inputs, config); !valid)
        return valid.error();
    auto stepsPerEpochResult = stepsPerEpoch(inputs.train->size(), config.batchSize);
    if (!stepsPerEpochResult)
        return stepsPerEpochResult.error();
    const std::int64_t spe = *stepsPerEpochResult;
    auto device = resolveDevice(config.device);
    if (!device)
        return device.error();
    const bool autocast = device->is_cuda() && config.mixedPrecision;
    if (device->is_cuda())
        at::globalContext().setBenchmarkCuDNN(true);

    ssl::MethodImpl& method = *inputs.method;
    method.to(*device);
    method.train();
    auto parameters = trainableParameters(method);
    if (parameters.empty())
        return invalid("the method has no trainable parameters");
    Optimizer optimizer(config.optimizer, std::move(parameters));
    std::optional<eval::OnlineProbe> probe;
    if (inputs.classes >= 2)
        probe.emplace(method.backbone()->featureDim(), inputs.classes, config.onlineProbeLr,
                      *device);

    detail::LoopSetup setup{.inputs = inputs,
                            .config = config,
                            .checkpoints = checkpoints,
                            .observer = observer,
                            .cancel = cancel,
                            .device = *device,
                            .autocast = autocast,
                            .stepsPerEpoch = spe,
                            .optimizer = optimizer,
                            .probe = probe ? &*probe : nullptr,
                            .schedule = makeSchedule(config.optimizer, config.schedule,
                                                     config.batchSize, spe, config.epochs),
                            .counters = {},
                            .lastCheckpoint = {},
                            .sampler = inputs.sampler};
    setup.counters.seed = config.seed;
    setup.counters.batchSize = config.batchSize;
    setup.counters.stepsPerEpoch = spe;
    if (!checkpoints.resumeFrom.empty()) {
        auto counters = loadCheckpoint(checkpoints.resumeFrom, {method, optimizer, setup.probe});
        if (!counters)
            return counters.error();
        const std::string file = checkpoints.resumeFrom.string();
        if (counters->seed != config.seed || counters->batchSize != config.batchSize ||
            counters->stepsPerEpoch != spe)
            return invalid("checkpoint " + file + " was written by a run with seed " +
                           std::to_string(counters->seed) + ", batch " +
                           std::to_string(counters->batchSize) + " and " +
                           std::to_string(counters->stepsPerEpoch) +
                           " steps per epoch; this run "
                           "has seed " +
                           std::to_string(config.seed) + ", batch " +
                           std::to_string(config.batchSize) + " and " + std::to_string(spe));
        if (counters->step > setup.schedule.totalSteps)
            return invalid("checkpoint " + file + " is at step " + std::to_string(counters->step) +
                           ", past the run's " + std::to_string(setup.schedule.totalSteps) +
                           " steps");
        setup.counters = *counters;
        setup.lastCheckpoint = checkpoints.resumeFrom;
        observer.onMessage("resumed from " + file + " at step " + std::to_string(counters->step));
    }
    observer.onMessage("device: " + detail::describeDevice(*device, autocast));
    return detail::runLoop(setup);
}

} // namespace gps::train
