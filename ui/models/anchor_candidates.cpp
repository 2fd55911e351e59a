#include "models/anchor_candidates.h"

#include "common/check.h"

namespace gps::ui {

AnchorCandidates anchorCandidates(const neighbors::KnnGraph& graph, std::span<const int> labels,
                                  std::int64_t anchor, const neighbors::SamplerOptions& options,
                                  int maxShown) {
    GPS_CHECK(anchor >= 0 && anchor < graph.rows, "anchorCandidates: anchor out of range");
    GPS_CHECK(labels.empty() || std::int64_t(labels.size()) == graph.rows,
              "anchorCandidates: one label per row");
    const auto ids = graph.neighborsOf(anchor);
    const auto distances = graph.distancesOf(anchor);
    AnchorCandidates result;
    result.anchor = anchor;
    // The sampler's own rule, so the tiles are what training draws from.
    result.count = neighbors::candidateCountOf(graph, anchor, options);
    result.truncated = options.tau && result.count == graph.k;
    if (result.count > 0)
        result.farthest = ids[std::size_t(result.count - 1)];
    const int anchorLabel = labels.empty() ? -1 : labels[std::size_t(anchor)];
    for (std::int64_t j = 0; j < result.count; ++j) {
        const std::int64_t id = ids[std::size_t(j)];
        const int label = labels.empty() ? -1 : labels[std::size_t(id)];
        const bool other = anchorLabel >= 0 && label >= 0 && label != anchorLabel;
        result.otherClass += other ? 1 : 0;
        if (j < maxShown)
            result.shown.push_back({id, distances[std::size_t(j)], other});
    }
    return result;
}

} // namespace gps::ui
