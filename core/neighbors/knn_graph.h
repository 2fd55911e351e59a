#pragma once
/// The k-nearest-neighbour graph of a prior embedding (docs/design.md §1): for every row, its k_max
/// nearest other rows with their distances, sorted ascending. Built once per dataset and prior;
/// the positive sampler and the neighbour statistics only read it.

#include "common/progress.h"
#include "common/result.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace gps::neighbors {

enum class Metric {
    L2,     ///< squared Euclidean distance on the rows as given (the reference code's choice)
    Cosine, ///< rows L2-normalised first, then squared L2 between them: d = 2 − 2cos, in [0, 4]
};

/// The metrics' names as project files and the command line write them ("l2", "cosine"),
/// indexed by Metric.
const std::vector<std::string>& metricNames();
inline const std::string& metricName(Metric metric) {
    return metricNames().at(static_cast<std::size_t>(metric));
}

enum class IndexKind {
    Auto, ///< Flat below kAutoExactMaxRows rows, IVF above
    Flat, ///< exact brute force: BLAS sgemm tiles and FAISS heaps (see exact_search.h)
    Ivf,  ///< approximate: inverted lists over k-means cells (FAISS IndexIVFFlat)
    Hnsw, ///< approximate: hierarchical small-world graph (FAISS IndexHNSWFlat)
};

/// Auto picks exact search up to this many rows: at 200k × 784 exact search is already minutes
/// on two cores and grows with n².
inline constexpr std::int64_t kAutoExactMaxRows = 200'000;

struct KnnOptions {
    int kMax = 64; ///< neighbours kept per row, ≥ 1
    Metric metric = Metric::L2;
    IndexKind index = IndexKind::Auto;
    /// Queries per search call; progress and cancel come once per batch. 4096 matches FAISS's
    /// own query block, so each call is a few large sgemm calls; below 20 FAISS leaves BLAS for
    /// a direct loop that is many times slower on large data.
    std::int64_t batchRows = 4096;
    bool operator==(const KnnOptions&) const = default;
};

/// rows × k tables, row-major. Row i lists the k rows nearest to row i, nearest first, ties
/// broken by the smaller index; row i itself is never listed (an exact duplicate of it is).
/// When fewer than k other rows exist (or an approximate index found fewer), the row ends with
/// padding: index -1, distance +inf. Distances are in the metric's units (squared L2).
struct KnnGraph {
    std::int64_t rows = 0;
    int k = 0;
    std::vector<std::int64_t> indices; ///< rows × k, -1 = padding
    std::vector<float> distances;      ///< rows × k, ascending per row, +inf = padding
    std::string indexDescription;      ///< "exact (brute force, BLAS sgemm)", "approximate (…)"

    std::span<const std::int64_t> neighborsOf(std::int64_t row) const {
        return {indices.data() + row * k, static_cast<std::size_t>(k)};
    }
    std::span<const float> distancesOf(std::int64_t row) const {
        return {distances.data() + row * k, static_cast<std::size_t>(k)};
    }
};

/// Builds the graph of `n` rows of `dim` floats (row-major, not modified; copied as the index
/// needs). Errors (InvalidInput): n < 2, dim < 1, kMax < 1, batchRows < 1, a non-finite value
/// (the message names the row and column). Cancelled when `progress` returns false; progress is
/// reported once per batch of queries. Each query asks for k+1 rows and drops itself. Exact
/// distances are ‖x‖²+‖y‖²−2x·y (relative error about 1e-6) except for near-duplicates, which
/// are recomputed as Σ(x−y)² so that an exact duplicate reads 0 (see exact_search.h); FAISS's
/// approximate indexes compute Σ(x−y)² directly. Uses the BLAS threads (exact) or FAISS's
/// OpenMP threads (approximate); set both with configureThreads.
Result<KnnGraph> buildKnnGraph(const float* rows, std::int64_t n, std::int64_t dim,
                               const KnnOptions& options, const ProgressFn& progress = {});

/// Checks a graph's invariants: table sizes, indices in [-1, rows) and never the row itself,
/// distances ascending and non-negative, padding only at the end of a row. Corrupt otherwise,
/// naming `source` and the first bad row.
Status validateKnnGraph(const KnnGraph& graph, const std::string& source);

/// Writes PREFIX_indices.npy (int64, rows × k) and PREFIX_distances.npy (float32, rows × k),
/// each atomically, so `numpy.load` reads them. The description is not saved.
Status saveKnnGraph(const KnnGraph& graph, const std::string& prefix);

/// Reads what saveKnnGraph wrote. NotFound for a missing file; Corrupt for a wrong dtype, a
/// shape that is not 2-D, tables whose shapes differ, or a graph validateKnnGraph rejects.
Result<KnnGraph> loadKnnGraph(const std::string& prefix);

} // namespace gps::neighbors
