#pragma once
/// The neighbour graph of a prior as values the GUI can share: computing it on a worker
/// (embedding, then the kNN graph), and recounting its statistics for new sampler options.
///
/// A NeighborGraph is immutable once made and held by shared_ptr, so the prior panel, the
/// neighbour inspector and its statistics workers may all read it from any thread.

#include "common/progress.h"
#include "common/result.h"
#include "data/dataset.h"
#include "neighbors/knn_graph.h"
#include "neighbors/neighbor_stats.h"
#include "neighbors/positive_sampler.h"
#include "session/prior_graph.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace gps::ui {

/// A graph with what the inspector needs besides it: the images of its rows, their labels, and
/// the τ scale (computed once here so that a slider move costs nothing).
struct NeighborGraph {
    data::DatasetPtr dataset; ///< row i of the graph is image i of this dataset
    std::shared_ptr<const neighbors::KnnGraph> graph;
    std::vector<int> labels;   ///< one per row, or empty for unlabelled data
    QString spec;              ///< canonical prior spec, "pca:64"
    neighbors::KnnOptions knn; ///< what the graph was built with (k_max, metric): a run uses them
    float tauMax = 1.0f; ///< slider end: 99th percentile of listed distances (≥ suggested τ)
    float suggestedTau = 0.0f;   ///< neighbors::suggestTau with the reference's m = 20, c = 1
    neighbors::TauCurves curves; ///< purity and coverage at kCurvePoints τ in [0, tauMax]
    neighbors::KCurves kCurves;  ///< purity and coverage of k-mode for k = 1 … k_max
    /// What the graph was built from (its recipe, the split's fingerprint, the embedding): handed
    /// to a run, which then trains with this very graph. Null for graphs made from a bare
    /// KnnGraph (tests).
    session::PriorGraphPtr built;
};
using NeighborGraphPtr = std::shared_ptr<const NeighborGraph>;

inline constexpr int kCurvePoints = 101;
/// The largest k_max the studio's prior form offers (a project file may ask for more).
inline constexpr int kLargestKMax = 1024;

/// Wraps a graph built by session::buildPriorGraph (a run's, or computeNeighborGraph's).
NeighborGraphPtr makeNeighborGraph(const session::PriorGraphPtr& built);

/// Wraps a finished graph: labels from the dataset when `labels` is empty and it is labelled,
/// the τ scale and the τ curves. GPS_CHECK: graph non-null, rows == dataset size, labels empty
/// or one per row. Milliseconds per million listed distances.
NeighborGraphPtr makeNeighborGraph(data::DatasetPtr dataset,
                                   std::shared_ptr<const neighbors::KnnGraph> graph,
                                   std::vector<int> labels = {}, const QString& spec = {},
                                   const neighbors::KnnOptions& knn = {},
                                   session::PriorGraphPtr built = nullptr);

struct PriorRequest {
    data::DatasetPtr dataset; ///< embedded and searched (the opened split is the training split)
    session::GraphRecipe
        recipe; ///< prior spec ("pixels", "pca:64", "npy:/x.npy"), its options, k_max, metric
};

struct PriorOutcome {
    NeighborGraphPtr graph;
    bool cacheHit = false;
    double embedSeconds = 0.0;
    double knnSeconds = 0.0;
    QString indexDescription;
    QStringList warnings; ///< cache problems that did not stop the work
};

/// session::buildPriorGraph (cache on, default folder), wrapped for the inspector. Progress:
/// embedding maps to [0, 0.7], the graph to [0.7, 1]; `progress` returning false stops with
/// Cancelled. Errors are those of buildPriorGraph.
Result<PriorOutcome> computeNeighborGraph(const PriorRequest& request, const ProgressFn& progress);

/// Statistics of one option set, tagged with what they were computed for.
struct NeighborStatsResult {
    NeighborGraphPtr graph;
    neighbors::SamplerOptions options;
    neighbors::NeighborStats stats;
};

inline constexpr int kHistogramBins = 60;

/// Recounts with `options` (a PositiveSampler) and computes the statistics: a few ms for
/// 60,000 anchors plus one pass over the listed distances. Throws CheckFailure for options the
/// graph rejects (the caller validates first).
NeighborStatsResult computeStatsFor(const NeighborGraphPtr& graph,
                                    const neighbors::SamplerOptions& options);

} // namespace gps::ui

Q_DECLARE_METATYPE(gps::ui::NeighborGraphPtr)
Q_DECLARE_METATYPE(gps::ui::PriorOutcome)
Q_DECLARE_METATYPE(gps::ui::NeighborStatsResult)
