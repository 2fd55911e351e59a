#include "neighbors/class_quality.h"

#include "common/check.h"

#include <algorithm>
#include <limits>

namespace gps::neighbors {

ClassQuality classQuality(const KnnGraph& graph, std::span<const int> labels,
                          const SamplerOptions& options, int worstCount) {
    GPS_CHECK(worstCount >= 0, "classQuality: worstCount must be ≥ 0, got " << worstCount);
    GPS_CHECK(checkSamplerOptions(graph, options).ok(), "classQuality: options the graph rejects");
    ClassQuality quality;
    if (labels.empty())
        return quality;
    GPS_CHECK(std::int64_t(labels.size()) == graph.rows,
              "classQuality: " << labels.size() << " labels for " << graph.rows << " rows");

    const int classes = std::max(0, *std::max_element(labels.begin(), labels.end()) + 1);
    std::vector<double> shareSum(std::size_t(classes), 0.0);
    std::vector<std::int64_t> withCandidates(std::size_t(classes), 0);
    quality.classes.resize(std::size_t(classes));
    for (int c = 0; c < classes; ++c)
        quality.classes[std::size_t(c)].label = c;

    std::vector<MixedAnchor> mixed;
    for (std::int64_t anchor = 0; anchor < graph.rows; ++anchor) {
        const int label = labels[std::size_t(anchor)];
        if (label < 0)
            continue;
        ClassPurity& purity = quality.classes[std::size_t(label)];
        ++purity.anchors;
        const int count = candidateCountOf(graph, anchor, options);
        if (count == 0) {
            ++purity.withNone;
            continue;
        }
        std::int64_t same = 0;
        for (const std::int64_t other : graph.neighborsOf(anchor).first(std::size_t(count)))
            same += labels[std::size_t(other)] == label;
        shareSum[std::size_t(label)] += double(same) / count;
        ++withCandidates[std::size_t(label)];
        if (same < count)
            mixed.push_back({anchor, count - same, count});
    }
    for (int c = 0; c < classes; ++c) {
        const std::int64_t counted = withCandidates[std::size_t(c)];
        quality.classes[std::size_t(c)].meanPurity =
            counted > 0 ? shareSum[std::size_t(c)] / double(counted)
                        : std::numeric_limits<double>::quiet_NaN();
    }

    // other/candidates compared as cross products, so equal shares tie exactly.
    const auto worse = [](const MixedAnchor& a, const MixedAnchor& b) {
        if (a.otherClass != b.otherClass)
            return a.otherClass > b.otherClass;
        if (a.otherClass * b.candidates != b.otherClass * a.candidates)
            return a.otherClass * b.candidates > b.otherClass * a.candidates;
        return a.anchor < b.anchor;
    };
    const auto kept = std::min(mixed.size(), std::size_t(worstCount));
    std::partial_sort(mixed.begin(), mixed.begin() + std::ptrdiff_t(kept), mixed.end(), worse);
    mixed.resize(kept);
    quality.worst = std::move(mixed);
    return quality;
}

} // namespace gps::neighbors
