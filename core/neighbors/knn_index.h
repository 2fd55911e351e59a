#pragma once
/// Internal to the neighbour engine: choosing, configuring and filling the FAISS index that
/// buildKnnGraph searches. Kept apart so knn_graph.cpp reads as the algorithm (batches, anchor
/// removal, padding) and FAISS's tuning knobs live in one place.

#include "common/progress.h"
#include "common/result.h"
#include "neighbors/knn_graph.h"

#include <cstdint>
#include <functional>
#include <string>

namespace gps::neighbors {

/// Auto resolved against the row count; other kinds are returned unchanged.
IndexKind resolveIndexKind(IndexKind requested, std::int64_t rows);

/// Finds, for queries = rows [first, first + count), their k nearest rows (the query itself
/// included when the index finds it): count × k distances and ids, ascending, id -1 where fewer
/// were found.
using RowSearch = std::function<void(std::int64_t first, std::int64_t count, int k,
                                     float* distances, std::int64_t* ids)>;

/// A filled index, ready to search, and the words the UI shows for it.
struct PreparedIndex {
    RowSearch search;        ///< keeps the index alive; the rows must outlive it
    std::string description; ///< "exact (…)", "approximate (IVF256, nprobe 16)"
};

/// Builds an index of kind `kind` (not Auto; Flat is ExactSearch, the others FAISS) over `n` ×
/// `dim` rows, already normalised when the metric asks for it, searching `neighborsPerQuery`
/// results per query. Reports progress in [0, 1] of its own work (HNSW insertion is the long part)
/// and stops with Cancelled when `progress` returns false. FAISS exceptions become Internal errors.
Result<PreparedIndex> prepareIndex(IndexKind kind, const float* rows, std::int64_t n,
                                   std::int64_t dim, int neighborsPerQuery, Metric metric,
                                   std::int64_t batchRows, const ProgressFn& progress);

/// Share of buildKnnGraph's progress bar given to prepareIndex for this kind (0 for Flat,
/// whose preparation is one pass computing row norms).
double indexBuildShare(IndexKind kind);

} // namespace gps::neighbors
