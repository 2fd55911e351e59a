#pragma once
/// What the trainer reports while it runs, and the observer that receives it (ensmallen's
/// callbacks: every hook may stop the run). Only plain values: the UI copies them across threads.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace gps::train {

struct StepMetrics {
    int epoch = 0;         ///< 0-based epoch this step belongs to
    std::int64_t step = 0; ///< global step, 1-based after the first optimiser step
    std::int64_t totalSteps = 0;
    double epochs = 0;  ///< epochs done after this step, fractional (step / steps per epoch)
    double seconds = 0; ///< training time since the run started; a resumed run continues it
    /// train.log_every asks for a printed line at this step. The observer hears every step (the
    /// run's metrics.jsonl keeps them all); printers use this to stay readable.
    bool printDue = true;
    double loss = 0;            ///< this step's loss
    double lr = 0;              ///< the learning rate used for this step
    double onlineProbeAcc = 0;  ///< online classifier's accuracy on this epoch's batches so far
    double imagesPerSecond = 0; ///< anchors per second over the last second or so
    double dataWaitShare = 0;   ///< share of step time spent waiting for the next batch
    std::map<std::string, double> parts; ///< the method's loss parts
};

struct EvalMetrics {
    int epoch = 0; ///< epochs completed when evaluated
    std::int64_t step = 0;
    std::optional<double> linearProbeAcc;     ///< offline linear probe on the test split
    std::optional<double> knnAcc;             ///< weighted kNN (k = 20, cosine) on the test split
    std::optional<double> onlineProbeTestAcc; ///< the online classifier on the test split
    /// The prior embedding's own accuracies, measured before the first step (epoch and step 0):
    /// the line a run has to pass.
    bool ofPrior = false;
};

struct EpochMetrics {
    int epoch = 0; ///< epochs completed (1 after the first)
    std::int64_t step = 0;
    double meanLoss = 0;
    double seconds = 0; ///< wall time of this epoch
    double imagesPerSecond = 0;
};

/// Hooks run on the training thread; keep them cheap. Returning false stops the run cleanly
/// (a checkpoint is written, the result says it was stopped).
class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual bool onStep(const StepMetrics& metrics) {
        (void)metrics;
        return true;
    }
    virtual bool onEpoch(const EpochMetrics& metrics) {
        (void)metrics;
        return true;
    }
    virtual bool onEval(const EvalMetrics& metrics) {
        (void)metrics;
        return true;
    }
    /// A line for the log ("device: cpu (2 threads)", "neighbours refreshed from the model").
    virtual void onMessage(const std::string& message) { (void)message; }
    /// Coarse progress of phases outside the step loop (embedding, kNN, probes), in [0, 1].
    virtual bool onPhase(const std::string& phase, double fraction) {
        (void)phase, (void)fraction;
        return true;
    }
};

} // namespace gps::train
