#pragma once
/// Guided positive sampling (docs/design.md §1): which listed neighbours of an anchor may serve as
/// its positive, and drawing one. Changing τ or k only recounts (a binary search per row), so the
/// UI can move a τ slider over 60,000 anchors interactively.

#include "common/result.h"
#include "common/rng.h"
#include "neighbors/knn_graph.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gps::neighbors {

enum class Rule {
    Uniform,  ///< one candidate uniformly at random per draw (the reference code)
    Farthest, ///< always the candidate with the largest d ≤ τ (k-mode: the k-th neighbour)
};

/// The rules' names as project files and the command line write them ("uniform", "farthest"),
/// indexed by Rule.
const std::vector<std::string>& ruleNames();
inline const std::string& ruleName(Rule rule) {
    return ruleNames().at(static_cast<std::size_t>(rule));
}

struct SamplerOptions {
    /// Radius on the graph's distances (same units, e.g. squared L2); a neighbour with d ≤ τ is
    /// a candidate. nullopt = k-mode: the first `k` listed neighbours.
    std::optional<float> tau;
    int k = 1; ///< k-mode only: candidates are the first k neighbours, 1 ≤ k ≤ graph.k
    Rule rule = Rule::Uniform;
    /// Adds the anchor itself as one more choice in sample() (uniform then returns the anchor
    /// with probability 1/(c+1)). It is not counted in candidateCount() or listed in candidates().
    bool includeAnchor = false;
};

/// InvalidInput when the options do not fit the graph: τ negative or not finite, k outside
/// [1, graph.k] in k-mode. The message names the option.
Status checkSamplerOptions(const KnnGraph& graph, const SamplerOptions& options);

/// The candidates of `row` under `options`: the listed neighbours with d ≤ τ (a prefix, as
/// distances ascend; d == τ is inside), or the first k in k-mode; padding never counts. The one
/// rule behind every count of PositiveSampler, for callers that need one row without building a
/// sampler (the neighbour inspector's tiles).
int candidateCountOf(const KnnGraph& graph, std::int64_t row, const SamplerOptions& options);

/// τ suggestion, the reference's adaptive radius: mean + c·std (population std) of the distances
/// to neighbours 1..m of every anchor, pooled (padding skipped); m is clamped to [1, graph.k].
/// Returns 0 for a graph that lists no neighbour at all.
double suggestTau(const KnnGraph& graph, int m = 20, double c = 1.0);

/// Candidates and draws for every anchor of a graph.
///
/// Ownership: shares the graph (shared_ptr), because a training thread keeps sampling while the
/// UI may build a new graph; the graph must not be modified while a sampler uses it.
/// Thread-safety: const methods may be called from several threads at once (each with its own
/// Rng); setOptions must not run concurrently with anything else on the same sampler.
class PositiveSampler {
public:
    /// GPS_CHECK: graph is non-null and checkSamplerOptions accepts the options.
    PositiveSampler(std::shared_ptr<const KnnGraph> graph, SamplerOptions options);

    /// Recounts the candidates of every anchor (milliseconds for 60,000 anchors).
    /// GPS_CHECK: checkSamplerOptions accepts the options.
    void setOptions(SamplerOptions options);
    const SamplerOptions& options() const { return m_options; }
    const KnnGraph& graph() const { return *m_graph; }

    /// Listed neighbours of `anchor` that are candidates (d ≤ τ, or the first k), nearest first.
    std::int64_t candidateCount(std::int64_t anchor) const { return m_counts[checked(anchor)]; }
    std::span<const std::int64_t> candidates(std::int64_t anchor) const {
        return m_graph->neighborsOf(anchor).first(static_cast<std::size_t>(candidateCount(anchor)));
    }
    /// True when every one of the graph's k listed neighbours is within τ: the ball may hold
    /// more rows than the graph lists. Always false in k-mode and for rows with padding.
    bool truncated(std::int64_t anchor) const;

    /// The positive for `anchor` under the rule; the anchor itself when it has no candidate
    /// (plain SSL), or, with includeAnchor, with probability 1/(c+1) under the uniform rule.
    std::int64_t sample(std::int64_t anchor, Rng& rng) const;

    /// Totals over all anchors, kept up to date by setOptions.
    std::int64_t anchorsWithNone() const { return m_anchorsWithNone; }
    std::int64_t truncatedCount() const { return m_truncatedCount; }
    double meanCandidates() const { return m_meanCandidates; }

private:
    std::size_t checked(std::int64_t anchor) const;
    void recount();

    std::shared_ptr<const KnnGraph> m_graph;
    SamplerOptions m_options;
    std::vector<int> m_counts; ///< candidates per anchor; int because k ≤ INT_MAX
    std::int64_t m_anchorsWithNone = 0;
    std::int64_t m_truncatedCount = 0;
    double m_meanCandidates = 0.0;
};

} // namespace gps::neighbors
