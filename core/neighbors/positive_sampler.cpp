#include "neighbors/positive_sampler.h"

#include "common/check.h"

#include <algorithm>
#include <cmath>

namespace gps::neighbors {

const std::vector<std::string>& ruleNames() {
    static const std::vector<std::string> names{"uniform", "farthest"};
    return names;
}

namespace {

/// Listed (non-padding) neighbours of a row: padding sits at the end, marked -1.
int listedCount(std::span<const std::int64_t> ids) {
    return static_cast<int>(std::find(ids.begin(), ids.end(), std::int64_t{-1}) - ids.begin());
}

} // namespace

Status checkSamplerOptions(const KnnGraph& graph, const SamplerOptions& options) {
    if (options.tau) {
        if (!std::isfinite(*options.tau) || *options.tau < 0.0f)
            return makeError(ErrorCode::InvalidInput, "tau: must be a finite distance >= 0, got " +
                                                          std::to_string(*options.tau));
    } else if (options.k < 1 || options.k > graph.k) {
        return makeError(ErrorCode::InvalidInput,
                         "k: must be in [1, k_max = " + std::to_string(graph.k) + "], got " +
                             std::to_string(options.k));
    }
    return Ok{};
}

double suggestTau(const KnnGraph& graph, int m, double c) {
    GPS_CHECK(graph.k >= 1, "suggestTau: graph has no neighbour columns");
    const std::size_t columns = std::size_t(std::clamp(m, 1, graph.k));
    // Two passes (mean, then squared deviations) in double: one-pass formulas lose digits when
    // the distances are large and close together.
    const auto forEachDistance = [&](auto&& use) {
        for (std::int64_t row = 0; row < graph.rows; ++row) {
            const auto distances = graph.distancesOf(row);
            for (std::size_t column = 0; column < columns; ++column)
                if (std::isfinite(distances[column]))
                    use(double(distances[column]));
        }
    };
    double sum = 0.0;
    std::int64_t count = 0;
    forEachDistance([&](double d) { sum += d, ++count; });
    if (count == 0)
        return 0.0;
    const double mean = sum / double(count);
    double squares = 0.0;
    forEachDistance([&](double d) { squares += (d - mean) * (d - mean); });
    return mean + c * std::sqrt(squares / double(count));
}

PositiveSampler::PositiveSampler(std::shared_ptr<const KnnGraph> graph, SamplerOptions options)
    : m_graph(std::move(graph)) {
    GPS_CHECK(m_graph != nullptr, "PositiveSampler: graph is null");
    GPS_CHECK(m_graph->indices.size() == std::size_t(m_graph->rows) * std::size_t(m_graph->k) &&
                  m_graph->distances.size() == m_graph->indices.size(),
              "PositiveSampler: graph tables do not hold rows × k entries");
    setOptions(options);
}

int candidateCountOf(const KnnGraph& graph, std::int64_t row, const SamplerOptions& options) {
    const int listed = listedCount(graph.neighborsOf(row));
    if (!options.tau)
        return std::min(options.k, listed);
    // Distances ascend, so the ball is a prefix; d == τ is inside (upper_bound).
    const auto distances = graph.distancesOf(row).first(static_cast<std::size_t>(listed));
    return static_cast<int>(std::upper_bound(distances.begin(), distances.end(), *options.tau) -
                            distances.begin());
}

void PositiveSampler::setOptions(SamplerOptions options) {
    const auto valid = checkSamplerOptions(*m_graph, options);
    GPS_CHECK(valid.ok(), "PositiveSampler: " << valid.error().message);
    m_options = options;
    recount();
}

void PositiveSampler::recount() {
    const KnnGraph& graph = *m_graph;
    m_counts.assign(static_cast<std::size_t>(graph.rows), 0);
    m_anchorsWithNone = 0;
    m_truncatedCount = 0;
    std::int64_t total = 0;
    for (std::int64_t row = 0; row < graph.rows; ++row) {
        const int count = candidateCountOf(graph, row, m_options);
        m_truncatedCount += m_options.tau && count == graph.k;
        m_counts[static_cast<std::size_t>(row)] = count;
        m_anchorsWithNone += count == 0;
        total += count;
    }
    m_meanCandidates = graph.rows > 0 ? double(total) / double(graph.rows) : 0.0;
}

std::size_t PositiveSampler::checked(std::int64_t anchor) const {
    GPS_CHECK(anchor >= 0 && anchor < m_graph->rows,
              "PositiveSampler: anchor " << anchor << " outside [0, " << m_graph->rows << ")");
    return static_cast<std::size_t>(anchor);
}

bool PositiveSampler::truncated(std::int64_t anchor) const {
    return m_options.tau && candidateCount(anchor) == m_graph->k;
}

std::int64_t PositiveSampler::sample(std::int64_t anchor, Rng& rng) const {
    const auto ball = candidates(anchor);
    const auto count = static_cast<std::uint64_t>(ball.size());
    if (m_options.rule == Rule::Farthest)
        return count > 0 ? ball.back() : anchor;
    const std::uint64_t choices = count + (m_options.includeAnchor ? 1 : 0);
    if (choices == 0)
        return anchor; // empty ball: plain SSL, both views from the anchor
    const std::uint64_t pick = rng.below(choices);
    return pick < count ? ball[static_cast<std::size_t>(pick)] : anchor;
}

} // namespace gps::neighbors
