#pragma once
/// The candidates of one anchor under sampler options, as rows the neighbour inspector shows:
/// which images, at what distance, whether their class differs from the anchor's, and which one
/// the `farthest` rule would draw. Reads one graph row: cheap enough for every slider move.

#include "neighbors/knn_graph.h"
#include "neighbors/positive_sampler.h"

#include <cstdint>
#include <span>
#include <vector>

namespace gps::ui {

struct AnchorCandidate {
    std::int64_t index = 0; ///< row (dataset image) of the candidate
    float distance = 0.0f;
    bool otherClass = false; ///< both labelled and the labels differ
};

struct AnchorCandidates {
    std::int64_t anchor = -1;
    std::int64_t count = 0;      ///< all candidates (the same count PositiveSampler gives)
    std::int64_t otherClass = 0; ///< of those, how many have another class
    bool truncated = false;      ///< every listed neighbour is within τ: the ball may hold more
    /// The last candidate, which the farthest rule draws (also when it is not among `shown`);
    /// -1 when there is none.
    std::int64_t farthest = -1;
    std::vector<AnchorCandidate> shown; ///< the first `maxShown` candidates, nearest first
};

/// Candidates of `anchor` (GPS_CHECK: a row of `graph`; labels empty or one per row) under
/// `options`: listed neighbours with d ≤ τ, or the first k in k-mode; padding never counts.
AnchorCandidates anchorCandidates(const neighbors::KnnGraph& graph, std::span<const int> labels,
                                  std::int64_t anchor, const neighbors::SamplerOptions& options,
                                  int maxShown);

} // namespace gps::ui
