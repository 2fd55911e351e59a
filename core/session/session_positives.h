#pragma once
/// The positive sources' inputs for a run (docs/design.md §1): the prior's embedding of the
/// training split, its kNN graph (session/prior_graph.h) and the PositiveSampler under the
/// project's neighbour settings; for the synthetic source also the fitted VAE and its latents; and
/// the refresh that rebuilds the sampler from the model's own features. Part of runSession, split
/// out to keep files small.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "neighbors/positive_sampler.h"
#include "priors/embedding.h"
#include "priors/embedding_cache.h"
#include "project/project.h"
#include "session/prior_graph.h"
#include "train/trainer.h"

#include <memory>
#include <string>
#include <vector>

namespace gps::session {

struct SessionPositives {
    std::shared_ptr<const priors::Embedding> trainEmbedding; ///< null for the augment source
    PriorGraphPtr graph;                                     ///< null for the augment source
    std::shared_ptr<const neighbors::PositiveSampler> sampler;
    std::shared_ptr<const priors::VaePrior> vae; ///< synthetic source only
    std::vector<std::string> messages;           ///< lines for the log
    std::vector<std::string> warnings;
};

/// Builds what the project's positive source needs; nothing for `augment`. `given` (a graph
/// built before, e.g. the one the studio shows) is used as it is when it was built from `train`
/// with the project's prior and k_max/metric; otherwise the graph is built here and a message
/// says why the given one was not used.
Result<SessionPositives> preparePositives(const project::Project& project,
                                          const data::DatasetPtr& train,
                                          const priors::CacheOptions& cache,
                                          const PriorGraphPtr& given, const ProgressFn& progress);

/// The refresh hook for train::TrainerInputs: the backbone's features of `train` → a new graph
/// with the project's k_max and metric → a sampler. A fixed τ is in the prior's units, which
/// mean nothing in the model's space, so a refreshed sampler uses the τ suggestion instead
/// (k-mode stays).
decltype(train::TrainerInputs::refreshSampler) makeRefreshHook(const project::Project& project,
                                                               data::DatasetPtr train,
                                                               const augment::AugmentSpec& augment,
                                                               int viewSize);

} // namespace gps::session
