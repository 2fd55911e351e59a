#include "train/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gps::train {

double LrSchedule::at(std::int64_t step) const {
    const std::int64_t s = std::clamp<std::int64_t>(step, 0, totalSteps);
    if (s < warmupSteps)
        return peakLr * static_cast<double>(s) / static_cast<double>(warmupSteps);
    const double floor = peakLr * minLrFactor;
    const std::int64_t decaySteps = totalSteps - warmupSteps;
    if (decaySteps <= 0)
        return peakLr;
    const double progress = static_cast<double>(s - warmupSteps) / static_cast<double>(decaySteps);
    return floor + (peakLr - floor) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
}

LrSchedule makeSchedule(const OptimizerConfig& optimizer, const ScheduleConfig& schedule,
                        int batchSize, std::int64_t stepsPerEpoch, int epochs) {
    LrSchedule out;
    out.peakLr = optimizer.lr * static_cast<double>(batchSize) / 256.0;
    out.totalSteps = std::max<std::int64_t>(1, stepsPerEpoch * std::max(epochs, 0));
    const double warmup = std::max(0.0, schedule.warmupEpochs) * static_cast<double>(stepsPerEpoch);
    out.warmupSteps = std::min(out.totalSteps, static_cast<std::int64_t>(std::llround(warmup)));
    out.minLrFactor = schedule.minLrFactor;
    return out;
}

} // namespace gps::train
