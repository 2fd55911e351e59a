#pragma once
/// The one way the studio turns a prior into positives: a split, a prior spec and the kNN
/// options → the prior's embedding (cached) → the kNN graph; then the project's τ (or k) → a
/// PositiveSampler. The run session, the studio's Neighbours tab, `gps-studio-cli neighbors` and
/// `bench train` all call buildPriorGraph, so the graph the Neighbours tab shows is the graph a
/// run trains with whenever their recipes and splits agree, and the run can take it as it is.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "neighbors/knn_graph.h"
#include "neighbors/positive_sampler.h"
#include "priors/embedding.h"
#include "priors/embedding_cache.h"

#include <memory>
#include <string>

namespace gps::project {
struct NeighborSection;
struct Project;
} // namespace gps::project

namespace gps::session {

/// Everything besides the data that decides a graph.
struct GraphRecipe {
    std::string priorSpec = "pixels"; ///< as written; canonical once built
    priors::PriorOptions priorOptions;
    neighbors::KnnOptions knn;
    bool operator==(const GraphRecipe&) const = default;
};

/// The recipe of a project's prior and neighbour sections.
GraphRecipe graphRecipe(const project::Project& project);

/// A built graph and what it was built from. Immutable once made; share it by PriorGraphPtr
/// across threads.
struct PriorGraph {
    data::DatasetPtr dataset;       ///< row i of the graph is image i of this split
    std::string datasetFingerprint; ///< priors::datasetFingerprint(*dataset)
    GraphRecipe recipe;             ///< with the canonical prior spec
    std::shared_ptr<const priors::Embedding> embedding;
    std::shared_ptr<const neighbors::KnnGraph> graph;
    priors::EmbedReport embedReport; ///< cache hit, seconds, cache warnings
    double knnSeconds = 0;

    /// True when `recipe` (its spec canonicalised) is the one this graph was built with.
    bool madeWith(const GraphRecipe& recipe) const;
    /// True when `recipe` on a split with this fingerprint would build this graph again.
    bool builtFrom(const std::string& fingerprint, const GraphRecipe& recipe) const;
};
using PriorGraphPtr = std::shared_ptr<const PriorGraph>;

struct PriorGraphRequest {
    data::DatasetPtr dataset; ///< embedded and searched
    /// Learned priors fit on this split (the training split when `dataset` is another one);
    /// null = on `dataset`.
    data::DatasetPtr fitOn;
    GraphRecipe recipe;
    priors::CacheOptions cache;
};

/// Embeds, then builds the graph. Progress: the embedding maps to [0, 0.7], the graph to
/// [0.7, 1]; `progress` returning false stops with Cancelled. Errors are those of
/// computeEmbedding ("embedding: …") and buildKnnGraph ("neighbour search: …"); Cancelled is
/// returned as it is.
Result<PriorGraph> buildPriorGraph(const PriorGraphRequest& request, const ProgressFn& progress);

/// The sampler options of a project's neighbour section on `graph` (τ "auto" → suggestTau);
/// InvalidInput "neighbors: …" for options the graph cannot serve (k above its k_max).
Result<neighbors::SamplerOptions> samplerOptionsFor(const project::NeighborSection& section,
                                                    const neighbors::KnnGraph& graph);

/// A sampler over `graph` with the section's options.
Result<std::shared_ptr<const neighbors::PositiveSampler>>
makeSampler(std::shared_ptr<const neighbors::KnnGraph> graph,
            const project::NeighborSection& section);

} // namespace gps::session
