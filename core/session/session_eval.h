#pragma once
/// Offline evaluation inside a run (docs/design.md §3): at chosen epochs and at the end, frozen
/// features of the training and test splits → a linear probe and weighted kNN on the test split;
/// and once per run the same probes on the prior's own embedding, so a user sees whether training
/// beat its prior. Part of runSession, split out to keep files small.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "eval/features.h"
#include "priors/embedding.h"
#include "priors/embedding_cache.h"
#include "project/project.h"
#include "train/trainer.h"

#include <ATen/core/Tensor.h>

#include <memory>
#include <optional>

namespace gps::session {

struct EvalInputs {
    data::DatasetPtr train;
    data::DatasetPtr test;         ///< labelled test split; null = no offline evaluation
    eval::FeatureOptions features; ///< view size and normalisation of training
    project::EvalSection section;
    std::uint64_t seed = 0;
};

/// The newest frozen features, kept to be written as the run's embeddings at the end.
struct LatestFeatures {
    at::Tensor train; ///< N×F CPU float, undefined before the first evaluation
    at::Tensor test;
};

struct ProbeScores {
    double linearProbeAcc = 0;
    double knnAcc = 0;
};

/// The linear probe and weighted kNN of the project's eval section on two feature tables
/// (N×F CPU float, rows in dataset order) with the datasets' labels.
Result<ProbeScores> probeFeatures(const at::Tensor& trainFeatures, const at::Tensor& testFeatures,
                                  const EvalInputs& inputs, const ProgressFn& progress);

/// The trainer's evaluate hook; stores the features it computed in `latest`.
decltype(train::TrainerInputs::evaluate) makeEvaluateHook(EvalInputs inputs,
                                                          std::shared_ptr<LatestFeatures> latest);

struct PriorBaseline {
    std::optional<double> linearProbeAcc;
    std::optional<double> knnAcc;
};

/// The probes on the prior's embedding of both splits. `trainEmbedding` may be given when the
/// positives already computed it (else it is computed, cached). Nothing without a test split.
Result<PriorBaseline> probePrior(const project::Project& project, const EvalInputs& inputs,
                                 std::shared_ptr<const priors::Embedding> trainEmbedding,
                                 const priors::CacheOptions& cache, const ProgressFn& progress);

} // namespace gps::session
