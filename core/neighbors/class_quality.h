#pragma once
/// Dataset-wide neighbour quality per class (docs/design.md §1, labels used only to inspect):
/// how pure each class's candidates are under the current τ (or k), and which anchors draw the
/// most candidates of another class — the places where guided positives teach the wrong thing.
///
/// Label conventions as in neighbor_stats.h: `labels` holds one class per graph row; an anchor
/// with a negative label (kNoLabel) belongs to no class and is never listed; a neighbour with a
/// negative label never matches its anchor.

#include "neighbors/knn_graph.h"
#include "neighbors/positive_sampler.h"

#include <cstdint>
#include <span>
#include <vector>

namespace gps::neighbors {

struct ClassPurity {
    int label = 0;
    std::int64_t anchors = 0; ///< anchors of this class
    /// Mean over the class's anchors that have candidates of their share of same-class
    /// candidates (each anchor weighs the same, unlike the pooled purity of NeighborStats);
    /// NaN when none of them has a candidate.
    double meanPurity = 0.0;
    std::int64_t withNone = 0; ///< anchors of this class without a candidate
};

struct MixedAnchor {
    std::int64_t anchor = 0;
    std::int64_t otherClass = 0; ///< candidates of another class than the anchor's
    std::int64_t candidates = 0; ///< all its candidates
};

struct ClassQuality {
    std::vector<ClassPurity> classes; ///< one per label 0 … max label, in label order
    /// The anchors with the most other-class candidates, most first (ties: the higher share of
    /// other-class candidates, then the smaller index); only anchors with at least one.
    std::vector<MixedAnchor> worst;
};

inline constexpr int kWorstAnchors = 50;

/// Quality of `graph` under `options` (candidates as candidateCountOf counts them). GPS_CHECK:
/// labels one per row, checkSamplerOptions accepts the options, worstCount ≥ 0. Empty when
/// `labels` is empty. One pass over the candidates.
ClassQuality classQuality(const KnnGraph& graph, std::span<const int> labels,
                          const SamplerOptions& options, int worstCount = kWorstAnchors);

} // namespace gps::neighbors
