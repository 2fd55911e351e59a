#pragma once
/// Internal to core/train: the step loop of runTraining once everything is set up (device,
/// optimiser, probe, counters of a resumed run). Split out of trainer.cpp to keep files small.

#include "train/checkpoint.h"
#include "train/schedule.h"
#include "train/trainer.h"

#include <filesystem>

namespace gps::eval {
class OnlineProbe;
}

namespace gps::train::detail {

struct LoopSetup {
    const TrainerInputs& inputs;
    const TrainConfig& config;
    const CheckpointOptions& checkpoints;
    TrainObserver& observer;
    const CancelToken& cancel;
    torch::Device device;
    bool autocast = false;
    std::int64_t stepsPerEpoch = 0;
    Optimizer& optimizer;
    eval::OnlineProbe* probe = nullptr; ///< null: no online probe
    LrSchedule schedule;
    CheckpointCounters counters;          ///< fresh, or those of the checkpoint resumed from
    std::filesystem::path lastCheckpoint; ///< the last good checkpoint on disk; empty = none
    std::shared_ptr<const neighbors::PositiveSampler> sampler;
};

/// Trains from setup.counters.step to the end of the run (see runTraining for the contract).
Result<TrainResult> runLoop(LoopSetup& setup);

} // namespace gps::train::detail
