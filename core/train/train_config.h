#pragma once
/// Settings of one training run that are not the method's own hyper-parameters (those live in
/// ssl::HParams). Defaults follow docs/design.md §3, scaled for a 2-core CPU where the recipe would
/// not finish; the project file (core/project) fills these from its `train` and `positives`
/// sections.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gps::train {

enum class OptimizerKind { Sgd, Lars, AdamW };

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::Lars;
    double lr = 0.3; ///< base lr for batch 256; the trainer uses lr · batch / 256
    double weightDecay = 1e-4;
    double momentum = 0.9; ///< SGD, LARS
    double larsEta = 0.02; ///< LARS trust coefficient
    /// LARS: each layer's step is min(trust, lr) instead of lr·trust (the reference configs'
    /// clip_lr); the recipes' learning rates were tuned with it.
    bool larsClipLr = true;
    /// Biases and norm layers (parameters with one dimension) get no weight decay and, with
    /// LARS, no adaptation (the reference recipe).
    bool excludeBiasAndNorm = true;
    double betas[2] = {0.9, 0.999}; ///< AdamW
    bool operator==(const OptimizerConfig&) const = default;
};

struct ScheduleConfig {
    double warmupEpochs = 10; ///< linear warm-up from 0; clamped to the run's length
    double minLrFactor = 0.0; ///< cosine ends at lr · minLrFactor
    bool operator==(const ScheduleConfig&) const = default;
};

/// Where the second view of a pair comes from (docs/design.md §1).
enum class PositiveSource {
    Augment,   ///< (DA(x), DA(x)): standard SSL
    Gps,       ///< (DA(x), DA(x')) with x' from the PositiveSampler
    Semantic,  ///< (DA(x), DA(x)) plus (DA(x), DA(x')) as an extra positive pair
    Synthetic, ///< (DA(x), DA(x)) plus λ·(2 − 2cos) to DA(decode(mix of latents of x and x'))
};

struct PositiveConfig {
    PositiveSource source = PositiveSource::Augment;
    /// Gps/semantic: rebuild the kNN graph from the model's own features every N epochs
    /// (0 = never; the NNCLR-like special case of docs/design.md §1).
    int refreshEvery = 0;
    double syntheticLambda = 1.0; ///< λ of the synthetic term (1.0 with SimCLR, 0.5 with MoCo)
    /// t in decode((1 − t)·z(x) + t·z(x')). 0.1 is CLSP's interpolation weight (its published
    /// generation uses 0.1 of the other sample's features and 0.9 of the anchor's): a positive
    /// that stays close to the anchor; 0.5, a midpoint, is a much harder one.
    double syntheticMix = 0.1;
    double semanticWeight = 1.0; ///< weight of the extra pair's loss relative to the main pair
    bool operator==(const PositiveConfig&) const = default;
};

struct TrainConfig {
    int epochs = 10;
    int batchSize = 256;
    std::uint64_t seed = 0;
    OptimizerConfig optimizer;
    ScheduleConfig schedule;
    std::string device = "auto"; ///< auto (CUDA when present), cpu, cuda
    bool mixedPrecision = true;  ///< CUDA only: bf16 autocast
    int checkpointEvery = 1;     ///< epochs between checkpoints (and always at the end/stop)
    /// Steps between printed progress lines; 0 = once per epoch. Every step is recorded anyway.
    int logEvery = 10;
    int prefetchBatches = 2;    ///< batches prepared ahead on worker threads
    int dataThreads = 0;        ///< augmentation threads; 0 = all cores
    double onlineProbeLr = 0.1; ///< the online linear classifier's own optimiser (SGD)
    bool operator==(const TrainConfig&) const = default;
};

} // namespace gps::train
