#include "neighbors/knn_graph.h"

#include "common/check.h"
#include "neighbors/knn_index.h"

#include <faiss/utils/distances.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <utility>

namespace gps::neighbors {

const std::vector<std::string>& metricNames() {
    static const std::vector<std::string> names{"l2", "cosine"};
    return names;
}

namespace {

constexpr float kPadDistance = std::numeric_limits<float>::infinity();

Status checkInput(const float* rows, std::int64_t n, std::int64_t dim, const KnnOptions& options) {
    if (n < 2)
        return makeError(ErrorCode::InvalidInput,
                         "kNN graph: needs at least 2 rows, got " + std::to_string(n));
    if (dim < 1)
        return makeError(ErrorCode::InvalidInput,
                         "kNN graph: rows need at least 1 value, got dim " + std::to_string(dim));
    if (options.kMax < 1)
        return makeError(ErrorCode::InvalidInput,
                         "kNN graph: k_max must be >= 1, got " + std::to_string(options.kMax));
    if (options.batchRows < 1)
        return makeError(ErrorCode::InvalidInput, "kNN graph: batch rows must be >= 1, got " +
                                                      std::to_string(options.batchRows));
    GPS_CHECK(rows != nullptr, "buildKnnGraph: rows is null");
    for (std::int64_t i = 0; i < n; ++i) {
        const float* row = rows + i * dim;
        for (std::int64_t j = 0; j < dim; ++j)
            if (!std::isfinite(row[j]))
                return makeError(ErrorCode::InvalidInput,
                                 "kNN graph: row " + std::to_string(i) +
                                     " has a non-finite value (" + std::to_string(row[j]) +
                                     " in column " + std::to_string(j) + ")");
    }
    return Ok{};
}

/// Copy of the rows scaled to unit length; an all-zero row stays zero (FAISS does the same), so
/// it sits at distance 1 from every unit row.
std::vector<float> normalizedCopy(const float* rows, std::int64_t n, std::int64_t dim) {
    std::vector<float> copy(rows, rows + n * dim);
    faiss::fvec_renorm_L2(static_cast<std::size_t>(dim), static_cast<std::size_t>(n), copy.data());
    return copy;
}

/// Turns one query's k+1 search results into its graph row of k entries: sorts by (distance,
/// index), removes the anchor (wherever an exact duplicate put it; the farthest entry when the
/// search did not return it) and pads.
void finishRow(std::int64_t anchor, int found, const float* distances, const std::int64_t* ids,
               int k, std::int64_t* outIds, float* outDistances,
               std::vector<std::pair<float, std::int64_t>>& scratch) {
    scratch.clear();
    for (int j = 0; j < found; ++j)
        if (ids[j] >= 0)
            scratch.emplace_back(distances[j], ids[j]);
    std::sort(scratch.begin(), scratch.end());
    const auto self = std::find_if(scratch.begin(), scratch.end(),
                                   [anchor](const auto& entry) { return entry.second == anchor; });
    if (self != scratch.end())
        scratch.erase(self);
    else if (static_cast<int>(scratch.size()) > k)
        scratch.pop_back();
    const int kept = std::min<int>(k, static_cast<int>(scratch.size()));
    for (int j = 0; j < kept; ++j) {
        outDistances[j] = scratch[j].first;
        outIds[j] = scratch[j].second;
    }
    std::fill(outDistances + kept, outDistances + k, kPadDistance);
    std::fill(outIds + kept, outIds + k, std::int64_t{-1});
}

/// Searches the rows against the index batch by batch and fills the graph.
Status searchAll(const RowSearch& search, std::int64_t n, const KnnOptions& options,
                 double progressStart, const ProgressFn& progress, KnnGraph& graph) {
    const int k = options.kMax;
    // k+1 because the anchor finds itself; never more than there are rows.
    const int searchK = static_cast<int>(std::min<std::int64_t>(std::int64_t{k} + 1, n));
    const std::int64_t batch = std::min(options.batchRows, n);
    std::vector<float> foundDistances(static_cast<std::size_t>(batch * searchK));
    std::vector<std::int64_t> foundIds(static_cast<std::size_t>(batch * searchK));
    for (std::int64_t start = 0; start < n; start += batch) {
        const std::int64_t count = std::min(batch, n - start);
        search(start, count, searchK, foundDistances.data(), foundIds.data());
        // Sorting 65 entries per row is cheap next to the search: one thread, no OpenMP team
        // spinning into the next batch's sgemm.
        std::vector<std::pair<float, std::int64_t>> scratch;
        for (std::int64_t q = 0; q < count; ++q) {
            const std::int64_t anchor = start + q;
            finishRow(anchor, searchK, foundDistances.data() + q * searchK,
                      foundIds.data() + q * searchK, k, graph.indices.data() + anchor * k,
                      graph.distances.data() + anchor * k, scratch);
        }
        const double done = double(start + count) / double(n);
        if (!reportProgress(progress, progressStart + (1.0 - progressStart) * done,
                            "kNN search: " + std::to_string(start + count) + " / " +
                                std::to_string(n) + " rows"))
            return makeError(ErrorCode::Cancelled, "kNN graph: cancelled after " +
                                                       std::to_string(start + count) + " of " +
                                                       std::to_string(n) + " rows");
    }
    return Ok{};
}

} // namespace

Result<KnnGraph> buildKnnGraph(const float* rows, std::int64_t n, std::int64_t dim,
                               const KnnOptions& options, const ProgressFn& progress) {
    if (auto valid = checkInput(rows, n, dim, options); !valid)
        return valid.error();
    std::vector<float> normalized;
    if (options.metric == Metric::Cosine)
        normalized = normalizedCopy(rows, n, dim);
    const float* base = normalized.empty() ? rows : normalized.data();

    const IndexKind kind = resolveIndexKind(options.index, n);
    const double buildShare = indexBuildShare(kind);
    const ProgressFn buildProgress = [&](double fraction, std::string_view message) {
        return reportProgress(progress, buildShare * fraction, message);
    };
    auto prepared = prepareIndex(kind, base, n, dim, options.kMax, options.metric,
                                 options.batchRows, buildProgress);
    if (!prepared)
        return prepared.error();

    KnnGraph graph;
    graph.rows = n;
    graph.k = options.kMax;
    graph.indices.resize(static_cast<std::size_t>(n * graph.k));
    graph.distances.resize(static_cast<std::size_t>(n * graph.k));
    graph.indexDescription = prepared->description;
    try {
        if (auto searched = searchAll(prepared->search, n, options, buildShare, progress, graph);
            !searched)
            return searched.error();
    } catch (const std::exception& error) {
        return makeError(ErrorCode::Internal,
                         std::string("kNN graph: search failed: ") + error.what());
    }
    return graph;
}

} // namespace gps::neighbors
