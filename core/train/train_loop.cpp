#include "train/train_loop.h"

#include "eval/online_probe.h"
#include "train/batch_source.h"
#include "train/train_step.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>

namespace gps::train::detail {

namespace {

using Clock = std::chrono::steady_clock;

/// Seconds over which a step's images/s and data-wait share are measured.
constexpr double kRateWindowSeconds = 1.0;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

class Loop {
public:
    explicit Loop(LoopSetup& setup)
        : m_s(setup), m_c(setup.counters), m_spe(setup.stepsPerEpoch),
          m_total(setup.schedule.totalSteps) {}

    Result<TrainResult> run() {
        // The refreshed sampler is not in the checkpoint: rebuild it from the resumed model.
        if (m_c.step > 0 && refreshing() && m_c.step / m_spe >= refreshEvery())
            if (const Status refreshed = refresh("resumed run"); !refreshed)
                return refreshed.error();
        m_intervalStart = m_epochStart = Clock::now();
        while (m_c.step < m_total) {
            auto source = startSource(m_c.step, segmentEnd(m_c.step));
            if (!source)
                return source.error();
            while (true) {
                if (m_s.cancel.cancelled())
                    return finish(true);
                const auto start = Clock::now();
                auto next = (*source)->next();
                if (!next)
                    return next.error();
                if (!*next)
                    break;
                const double wait = secondsSince(start);
                auto keep = trainStep(**next, start, wait);
                if (!keep)
                    return keep.error();
                bool stop = !*keep;
                if (m_c.step % m_spe == 0) {
                    auto kept = endEpoch(static_cast<int>(m_c.step / m_spe), stop);
                    if (!kept)
                        return kept.error();
                    stop = stop || !*kept;
                }
                if (stop)
                    return finish(true);
            }
        }
        return finish(false);
    }

private:
    int refreshEvery() const { return m_s.inputs.positives.refreshEvery; }
    bool refreshing() const {
        return refreshEvery() > 0 && m_s.inputs.refreshSampler &&
               m_s.inputs.positives.source != PositiveSource::Augment;
    }

    /// Batches are made ahead only up to the next refresh of the sampler.
    std::int64_t segmentEnd(std::int64_t step) const {
        if (!refreshing())
            return m_total;
        const std::int64_t epoch = step / m_spe;
        return std::min(m_total, (epoch / refreshEvery() + 1) * refreshEvery() * m_spe);
    }

    Result<std::unique_ptr<BatchSource>> startSource(std::int64_t first, std::int64_t end) const {
        BatchSourceOptions o;
        o.dataset = m_s.inputs.train;
        o.augment = m_s.inputs.augment;
        o.source = m_s.inputs.positives.source;
        o.sampler = m_s.sampler;
        o.vae = m_s.inputs.vae;
        o.latents = m_s.inputs.latents;
        o.syntheticMix = m_s.inputs.positives.syntheticMix;
        o.batchSize = m_s.config.batchSize;
        o.seed = m_s.config.seed;
        o.firstStep = first;
        o.endStep = end;
        o.prefetch = m_s.config.prefetchBatches;
        o.threads = m_s.config.dataThreads;
        o.pinMemory = m_s.device.is_cuda();
        return BatchSource::start(std::move(o));
    }

    /// One optimiser step; false when the observer asked to stop.
    Result<bool> trainStep(const Batch& batch, Clock::time_point start, double wait) {
        ssl::MethodImpl& method = *m_s.inputs.method;
        const double lr = m_s.schedule.at(m_c.step);
        m_s.optimizer.setLr(lr);
        StepLoss out = forwardStep(method, batch, m_s.inputs.positives, m_s.device, m_s.autocast);
        const double loss = out.loss.item<double>();
        if (!std::isfinite(loss)) {
            // Nothing is written after a non-finite loss: the last checkpoint stays the good one.
            std::string message = std::string("loss became ") + (std::isnan(loss) ? "NaN" : "Inf") +
                                  " at epoch " + std::to_string(batch.epoch + 1) + ", step " +
                                  std::to_string(m_c.step + 1);
            message += m_s.lastCheckpoint.empty()
                           ? "; no checkpoint had been written yet"
                           : "; the last good checkpoint is kept in " + m_s.lastCheckpoint.string();
            return makeError(ErrorCode::InvalidInput, message);
        }
        m_s.optimizer.zeroGrad();
        out.loss.backward();
        m_s.optimizer.step();
        method.afterOptimizerStep(static_cast<double>(m_c.step + 1) / static_cast<double>(m_total));
        if (m_s.probe)
            m_s.probe->step(out.features, batch.labels);

        const auto images = batch.first.size(0);
        ++m_c.step;
        ++m_c.epochSteps;
        m_c.epochLossSum += loss;
        for (const auto& [name, value] : out.parts)
            m_c.epochParts[name] += value;
        m_c.images += images;
        const double seconds = secondsSince(start);
        m_c.seconds += seconds;
        m_c.waitSeconds += wait;
        m_intervalImages += images;
        m_intervalWait += wait;

        const int logEvery = m_s.config.logEvery;
        StepMetrics metrics;
        metrics.epoch = batch.epoch;
        metrics.step = m_c.step;
        metrics.totalSteps = m_total;
        metrics.epochs = static_cast<double>(m_c.step) / static_cast<double>(m_spe);
        metrics.seconds = m_c.seconds;
        metrics.printDue = logEvery > 0 ? m_c.step % logEvery == 0 : m_c.step % m_spe == 0;
        metrics.loss = loss;
        metrics.lr = lr;
        metrics.onlineProbeAcc = m_s.probe ? m_s.probe->epochAccuracy() : 0.0;
        const double interval = std::max(secondsSince(m_intervalStart), 1e-9);
        metrics.imagesPerSecond = static_cast<double>(m_intervalImages) / interval;
        metrics.dataWaitShare = std::min(1.0, m_intervalWait / interval);
        metrics.parts = std::move(out.parts);
        // Rates over about a second: one step's rate jitters too much to read.
        if (interval >= kRateWindowSeconds || metrics.printDue) {
            m_intervalStart = Clock::now();
            m_intervalImages = 0;
            m_intervalWait = 0;
        }
        return m_s.observer.onStep(metrics);
    }

    /// Epoch bookkeeping, then (unless stopping) evaluation, refresh and checkpoint as due.
    Result<bool> endEpoch(int epochsDone, bool stopping) {
        EpochMetrics metrics;
        metrics.epoch = epochsDone;
        metrics.step = m_c.step;
        metrics.meanLoss =
            m_c.epochLossSum / static_cast<double>(std::max<std::int64_t>(1, m_c.epochSteps));
        metrics.seconds = secondsSince(m_epochStart);
        metrics.imagesPerSecond = static_cast<double>(m_c.epochSteps * m_s.config.batchSize) /
                                  std::max(metrics.seconds, 1e-9);
        m_c.lastEpochLoss = metrics.meanLoss;
        m_c.epochLossSum = 0;
        m_c.epochSteps = 0;
        m_c.epochParts.clear();
        if (m_s.probe) {
            m_lastProbeAcc = m_s.probe->epochAccuracy();
            m_s.probe->resetEpoch();
        }
        m_epochStart = Clock::now();
        if (!m_s.observer.onEpoch(metrics) || stopping)
            return false;

        const int epochs = m_s.config.epochs;
        const int evalEvery = m_s.inputs.evalEvery;
        if (m_s.inputs.evaluate &&
            (epochsDone == epochs || (evalEvery > 0 && epochsDone % evalEvery == 0))) {
            auto evaluated = m_s.inputs.evaluate(*m_s.inputs.method->backbone(), epochsDone,
                                                 phase("evaluation"), m_s.probe);
            m_s.inputs.method->train();
            if (!evaluated) {
                if (evaluated.error().code == ErrorCode::Cancelled)
                    return false;
                if (const Status saved = writeCheckpoint(); !saved)
                    return saved.error();
                return evaluated.error();
            }
            evaluated->epoch = epochsDone;
            evaluated->step = m_c.step;
            m_lastEval = *evaluated;
            if (!m_s.observer.onEval(*evaluated))
                return false;
        }
        if (refreshing() && epochsDone < epochs && epochsDone % refreshEvery() == 0)
            if (const Status refreshed = refresh("epoch " + std::to_string(epochsDone)); !refreshed)
                return refreshed.error();
        const int every = m_s.config.checkpointEvery;
        if (epochsDone == epochs || (every > 0 && epochsDone % every == 0))
            if (const Status saved = writeCheckpoint(); !saved)
                return saved.error();
        return true;
    }

    ProgressFn phase(const std::string& name) const {
        return [this, name](double fraction, std::string_view) {
            return m_s.observer.onPhase(name, fraction) && !m_s.cancel.cancelled();
        };
    }

    Status refresh(const std::string& when) {
        auto sampler =
            m_s.inputs.refreshSampler(*m_s.inputs.method->backbone(), phase("refresh neighbours"));
        m_s.inputs.method->train();
        if (!sampler)
            return sampler.error();
        m_s.sampler = *sampler;
        m_s.observer.onMessage("neighbours refreshed from the model (" + when + ")");
        return Ok{};
    }

    Status writeCheckpoint() {
        if (m_s.checkpoints.file.empty() || m_checkpointStep == m_c.step)
            return Ok{};
        Status saved = saveCheckpoint(m_s.checkpoints.file,
                                      {*m_s.inputs.method, m_s.optimizer, m_s.probe}, m_c);
        if (!saved)
            return saved;
        m_s.lastCheckpoint = m_s.checkpoints.file;
        m_checkpointStep = m_c.step;
        return Ok{};
    }

    Result<TrainResult> finish(bool stopped) {
        if (const Status saved = writeCheckpoint(); !saved)
            return saved.error();
        TrainResult result;
        result.epochsDone = static_cast<int>(m_c.step / m_spe);
        result.stepsDone = m_c.step;
        result.stopped = stopped;
        result.finalLoss = m_c.epochSteps > 0
                               ? m_c.epochLossSum / static_cast<double>(m_c.epochSteps)
                               : m_c.lastEpochLoss;
        result.imagesPerSecond =
            m_c.seconds > 0 ? static_cast<double>(m_c.images) / m_c.seconds : 0.0;
        result.dataWaitShare = m_c.seconds > 0 ? m_c.waitSeconds / m_c.seconds : 0.0;
        result.lastEval = m_lastEval;
        if (m_s.probe)
            result.onlineProbeAcc = m_c.epochSteps > 0 || !m_lastProbeAcc
                                        ? m_s.probe->epochAccuracy()
                                        : *m_lastProbeAcc;
        result.device = describeDevice(m_s.device, m_s.autocast);
        return result;
    }

    LoopSetup& m_s;
    CheckpointCounters& m_c;
    const std::int64_t m_spe;
    const std::int64_t m_total;
    std::int64_t m_checkpointStep = -1;
    Clock::time_point m_intervalStart;
    Clock::time_point m_epochStart;
    double m_intervalWait = 0;
    std::int64_t m_intervalImages = 0;
    std::optional<EvalMetrics> m_lastEval;
    std::optional<double> m_lastProbeAcc;
};

} // namespace

Result<TrainResult> runLoop(LoopSetup& setup) {
    return Loop(setup).run();
}

} // namespace gps::train::detail
