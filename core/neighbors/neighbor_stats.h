#pragma once
/// Neighbour quality (docs/design.md §1): how many positives each anchor gets and, when the dataset
/// has labels, how often they share the anchor's class. Labels are used for inspection only,
/// never for training.
///
/// Label conventions for both functions: `labels` is empty (unlabelled data: purities are
/// absent) or holds one class per graph row. An anchor with a negative label (kNoLabel) is left
/// out of every purity; a neighbour with a negative label never matches.

#include "neighbors/knn_graph.h"
#include "neighbors/positive_sampler.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace gps::neighbors {

/// Distances of the listed (non-padding) neighbours of all anchors, split into candidates and
/// the rest, on common bins: `bins` equal-width bins from 0 to the largest listed distance
/// (to 1 when every distance is 0). Bins are closed on the left; the largest value falls into
/// the last bin.
struct DistanceHistogram {
    std::vector<double> edges;            ///< bins + 1 ascending edges
    std::vector<std::int64_t> candidates; ///< per bin: listed neighbours inside the ball
    std::vector<std::int64_t> others;     ///< per bin: listed neighbours outside it
};

struct NeighborStats {
    std::int64_t anchors = 0;
    /// Share of labelled anchors whose nearest listed neighbour has the anchor's label;
    /// nullopt without labels.
    std::optional<double> purityAtOne;
    /// Share of all candidates, pooled over the labelled anchors, that have their anchor's
    /// label. Pooled (Σ same / Σ candidates) rather than the mean of per-anchor shares: it is
    /// the share of candidate pairs in the graph that join two images of one class, an anchor
    /// with one lucky candidate does not weigh as much as one with sixty, and it is the quantity
    /// the τ curves accumulate in one pass. nullopt without labels or without any candidate.
    /// The anchor itself (includeAnchor) is not counted.
    std::optional<double> candidatePurity;
    double meanCandidates = 0.0; ///< listed candidates per anchor (anchor itself not counted)
    double shareWithNone = 0.0;  ///< anchors with no candidate: they train as plain SSL
    double shareTruncated = 0.0; ///< anchors whose ball holds all k_max listed neighbours
    DistanceHistogram histogram;
};

/// Statistics of `sampler`'s current options on `graph` (GPS_CHECK: the sampler was built on
/// this graph, labels empty or one per row, histogramBins ≥ 1). One pass over the graph.
NeighborStats computeNeighborStats(const KnnGraph& graph, const PositiveSampler& sampler,
                                   std::span<const int> labels, int histogramBins = 50);

/// Purity, coverage and candidate counts as functions of τ, one entry per given τ (in the
/// order given; τ need not be sorted). Each entry equals computeNeighborStats for a sampler
/// with that τ, but all are computed in one pass over the graph: every listed neighbour is
/// dropped into the bucket of the smallest τ that contains it, then prefix sums over sorted τ
/// give every curve. GPS_CHECK: taus are not NaN, labels empty or one per row.
struct TauCurves {
    std::vector<float> taus;
    std::vector<double> purity;   ///< pooled candidate purity; NaN without labels or candidates
    std::vector<double> coverage; ///< share of anchors with at least one candidate
    std::vector<double> meanCandidates; ///< candidates per anchor
    std::vector<double> shareTruncated; ///< anchors with all k_max listed neighbours within τ
};

TauCurves tauCurves(const KnnGraph& graph, std::span<const int> labels,
                    std::span<const float> taus);

/// The same curves for k-mode, one entry per k = 1 … graph.k (the candidates are the first k
/// listed neighbours): pooled purity (NaN without labels) and coverage, the share of anchors
/// with at least one listed neighbour among their first k. One pass over the graph.
struct KCurves {
    std::vector<int> ks;
    std::vector<double> purity;
    std::vector<double> coverage;
};

KCurves kCurves(const KnnGraph& graph, std::span<const int> labels);

} // namespace gps::neighbors
