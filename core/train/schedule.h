#pragma once
/// The learning-rate schedule of the reference recipe (docs/design.md §3): the base lr scaled by
/// batch/256, a linear warm-up from 0, then a cosine decay to minLrFactor · peak.
///
///   lr(s) = peak · s / W                                            for s < W
///   lr(s) = floor + (peak − floor) · (1 + cos(π · (s − W) / (T − W))) / 2   for W ≤ s ≤ T
///
/// with s the 0-based step about to be taken, W the warm-up steps (warmupEpochs · steps per
/// epoch, rounded, clamped to [0, T]), T the run's total steps and floor = peak · minLrFactor.
/// So the first step of a warmed-up run uses lr 0, step W uses the peak, and step T (one past
/// the last) would use the floor.

#include "train/train_config.h"

#include <cstdint>

namespace gps::train {

struct LrSchedule {
    double peakLr = 0;            ///< OptimizerConfig::lr · batch / 256
    std::int64_t warmupSteps = 0; ///< W
    std::int64_t totalSteps = 1;  ///< T ≥ 1
    double minLrFactor = 0;

    /// The lr of 0-based step `step` (steps past T keep the floor).
    double at(std::int64_t step) const;
};

/// The schedule of a run of `epochs` epochs of `stepsPerEpoch` steps each at `batchSize`.
LrSchedule makeSchedule(const OptimizerConfig& optimizer, const ScheduleConfig& schedule,
                        int batchSize, std::int64_t stepsPerEpoch, int epochs);

} // namespace gps::train
