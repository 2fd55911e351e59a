#include "neighbors/neighbor_stats.h"

#include "common/check.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gps::neighbors {

namespace {

void checkLabels(const KnnGraph& graph, std::span<const int> labels) {
    GPS_CHECK(labels.empty() || static_cast<std::int64_t>(labels.size()) == graph.rows,
              "neighbour statistics: " << labels.size() << " labels for " << graph.rows << " rows");
}

/// Whether neighbour `other` shares labelled anchor `anchor`'s class.
bool sameLabel(std::span<const int> labels, std::int64_t anchor, std::int64_t other) {
    return labels[static_cast<std::size_t>(other)] == labels[static_cast<std::size_t>(anchor)];
}

bool labelledAnchor(std::span<const int> labels, std::int64_t anchor) {
    return !labels.empty() && labels[static_cast<std::size_t>(anchor)] >= 0;
}

double largestListedDistance(const KnnGraph& graph) {
    double largest = 0.0;
    for (const float d : graph.distances)
        if (std::isfinite(d))
            largest = std::max(largest, double(d));
    return largest;
}

DistanceHistogram emptyHistogram(double hi, int bins) {
    DistanceHistogram histogram;
    histogram.edges.resize(static_cast<std::size_t>(bins) + 1);
    for (int b = 0; b <= bins; ++b)
        histogram.edges[static_cast<std::size_t>(b)] = hi * b / bins;
    histogram.candidates.assign(static_cast<std::size_t>(bins), 0);
    histogram.others.assign(static_cast<std::size_t>(bins), 0);
    return histogram;
}

std::size_t binOf(double d, double hi, int bins) {
    const auto bin = static_cast<int>(std::floor(d / hi * bins));
    return static_cast<std::size_t>(std::clamp(bin, 0, bins - 1));
}

double share(std::int64_t part, std::int64_t whole) {
    return whole > 0 ? double(part) / double(whole) : 0.0;
}

} // namespace

NeighborStats computeNeighborStats(const KnnGraph& graph, const PositiveSampler& sampler,
                                   std::span<const int> labels, int histogramBins) {
    GPS_CHECK(&sampler.graph() == &graph, "computeNeighborStats: sampler built on another graph");
    GPS_CHECK(histogramBins >= 1, "computeNeighborStats: histogramBins must be >= 1");
    checkLabels(graph, labels);

    double hi = largestListedDistance(graph);
    if (hi <= 0.0)
        hi = 1.0;
    NeighborStats stats;
    stats.anchors = graph.rows;
    stats.histogram = emptyHistogram(hi, histogramBins);

    std::int64_t firstLabelled = 0, firstSame = 0, candidatesLabelled = 0, candidatesSame = 0;
    for (std::int64_t anchor = 0; anchor < graph.rows; ++anchor) {
        const auto ids = graph.neighborsOf(anchor);
        const auto distances = graph.distancesOf(anchor);
        const std::int64_t count = sampler.candidateCount(anchor);
        for (std::size_t j = 0; j < ids.size() && ids[j] >= 0; ++j) {
            auto& bins =
                std::int64_t(j) < count ? stats.histogram.candidates : stats.histogram.others;
            ++bins[binOf(distances[j], hi, histogramBins)];
        }
        if (!labelledAnchor(labels, anchor))
            continue;
        if (ids[0] >= 0) {
            ++firstLabelled;
            firstSame += sameLabel(labels, anchor, ids[0]);
        }
        candidatesLabelled += count;
        for (std::int64_t j = 0; j < count; ++j)
            candidatesSame += sameLabel(labels, anchor, ids[static_cast<std::size_t>(j)]);
    }
    if (!labels.empty() && firstLabelled > 0)
        stats.purityAtOne = share(firstSame, firstLabelled);
    if (!labels.empty() && candidatesLabelled > 0)
        stats.candidatePurity = share(candidatesSame, candidatesLabelled);
    stats.meanCandidates = sampler.meanCandidates();
    stats.shareWithNone = share(sampler.anchorsWithNone(), graph.rows);
    stats.shareTruncated = share(sampler.truncatedCount(), graph.rows);
    return stats;
}

TauCurves tauCurves(const KnnGraph& graph, std::span<const int> labels,
                    std::span<const float> taus) {
    checkLabels(graph, labels);
    for (const float tau : taus)
        GPS_CHECK(!std::isnan(tau), "tauCurves: tau is NaN");
    std::vector<float> sorted(taus.begin(), taus.end());
    std::sort(sorted.begin(), sorted.end());
    const std::size_t buckets = sorted.size() + 1; // the last bucket: outside every τ

    // bucket(d) = the smallest sorted τ with d ≤ τ; a count added there holds for all larger τ.
    const auto bucketOf = [&sorted](float d) {
        return static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), d) -
                                        sorted.begin());
    };
    std::vector<std::int64_t> candidates(buckets), labelledCandidates(buckets), same(buckets),
        covered(buckets), truncated(buckets);
    for (std::int64_t anchor = 0; anchor < graph.rows; ++anchor) {
        const auto ids = graph.neighborsOf(anchor);
        const auto distances = graph.distancesOf(anchor);
        if (ids[0] < 0)
            continue;
        ++covered[bucketOf(distances[0])];
        if (ids.back() >= 0)
            ++truncated[bucketOf(distances.back())];
        const bool labelled = labelledAnchor(labels, anchor);
        for (std::size_t j = 0; j < ids.size() && ids[j] >= 0; ++j) {
            const std::size_t bucket = bucketOf(distances[j]);
            ++candidates[bucket];
            if (labelled) {
                ++labelledCandidates[bucket];
                same[bucket] += sameLabel(labels, anchor, ids[j]);
            }
        }
    }
    for (auto* counts : {&candidates, &labelledCandidates, &same, &covered, &truncated})
        std::partial_sum(counts->begin(), counts->end(), counts->begin());

    TauCurves curves;
    curves.taus.assign(taus.begin(), taus.end());
    const double rows = double(std::max<std::int64_t>(graph.rows, 1));
    for (const float tau : taus) {
        // Equal τ values share one bucket; upper_bound - 1 finds the last of them, whose prefix
        // sum includes every neighbour with d ≤ τ.
        const auto b = static_cast<std::size_t>(
            std::upper_bound(sorted.begin(), sorted.end(), tau) - sorted.begin() - 1);
        curves.purity.push_back(labelledCandidates[b] > 0
                                    ? double(same[b]) / double(labelledCandidates[b])
                                    : std::numeric_limits<double>::quiet_NaN());
        curves.coverage.push_back(double(covered[b]) / rows);
        curves.meanCandidates.push_back(double(candidates[b]) / rows);
        curves.shareTruncated.push_back(double(truncated[b]) / rows);
    }
    return curves;
}

KCurves kCurves(const KnnGraph& graph, std::span<const int> labels) {
    GPS_CHECK(labels.empty() || std::int64_t(labels.size()) == graph.rows,
              "kCurves: one label per graph row");
    const std::size_t k = std::size_t(std::max(graph.k, 0));
    // Per position j: labelled anchors' neighbours, the same-class ones among them, and anchors
    // whose first listed neighbour sits at j (j = 0 for every row that lists one).
    std::vector<std::int64_t> labelled(k), same(k), covered(k);
    for (std::int64_t anchor = 0; anchor < graph.rows; ++anchor) {
        const auto ids = graph.neighborsOf(anchor);
        const bool anchorLabelled = labelledAnchor(labels, anchor);
        for (std::size_t j = 0; j < k && ids[j] >= 0; ++j) {
            covered[j] += j == 0;
            if (anchorLabelled) {
                ++labelled[j];
                same[j] += sameLabel(labels, anchor, ids[j]);
            }
        }
    }
    for (auto* counts : {&labelled, &same, &covered})
        std::partial_sum(counts->begin(), counts->end(), counts->begin());
    KCurves curves;
    const double rows = double(std::max<std::int64_t>(graph.rows, 1));
    for (std::size_t j = 0; j < k; ++j) {
        curves.ks.push_back(int(j + 1));
        curves.purity.push_back(labelled[j] > 0 ? double(same[j]) / double(labelled[j])
                                                : std::numeric_limits<double>::quiet_NaN());
        curves.coverage.push_back(double(covered[j]) / rows);
    }
    return curves;
}

} // namespace gps::neighbors
