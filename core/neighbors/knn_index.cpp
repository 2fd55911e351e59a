#include "neighbors/knn_index.h"

#include "neighbors/exact_search.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace gps::neighbors {

namespace {

// FAISS's k-means warns below 39 training points per centroid; staying above keeps the cells
// meaningful and the console quiet.
constexpr std::int64_t kMinPointsPerCell = 39;
constexpr std::int64_t kMaxCells = 65536;
constexpr int kHnswLinks = 32;
constexpr int kHnswBuildBeam = 80;

/// About 4·√n cells (FAISS's rule of thumb), bounded by the training-set requirement.
std::int64_t ivfCellCount(std::int64_t n) {
    const auto bySize = static_cast<std::int64_t>(4.0 * std::sqrt(static_cast<double>(n)));
    return std::clamp<std::int64_t>(std::min(bySize, n / kMinPointsPerCell), 1, kMaxCells);
}

/// Probing 1/16 of the cells (at least 16) keeps recall high on clustered data while scanning
/// a few percent of the rows once the dataset is large enough for Auto to pick IVF.
std::int64_t ivfProbeCount(std::int64_t cells) {
    return std::min(cells, std::max<std::int64_t>(16, cells / 16));
}

/// Search through a FAISS index over `rows` (which it does not own).
RowSearch faissSearch(std::shared_ptr<faiss::Index> index, const float* rows, std::int64_t dim) {
    return [index = std::move(index), rows, dim](std::int64_t first, std::int64_t count, int k,
                                                 float* distances, std::int64_t* ids) {
        index->search(count, rows + first * dim, k, distances, ids);
    };
}

Result<PreparedIndex> prepareFlat(const float* rows, std::int64_t n, std::int64_t dim,
                                  Metric metric) {
    auto exact = std::make_shared<const ExactSearch>(rows, n, dim);
    RowSearch search = [exact](std::int64_t first, std::int64_t count, int k, float* distances,
                               std::int64_t* ids) {
        exact->search(first, count, k, distances, ids);
    };
    return PreparedIndex{std::move(search),
                         metric == Metric::Cosine
                             ? "exact (brute force, BLAS sgemm, on L2-normalised rows)"
                             : "exact (brute force, BLAS sgemm)"};
}

Result<PreparedIndex> prepareIvf(const float* rows, std::int64_t n, std::int64_t dim,
                                 const ProgressFn& progress) {
    const std::int64_t cells = ivfCellCount(n);
    const std::int64_t probes = ivfProbeCount(cells);
    auto quantizer = std::make_unique<faiss::IndexFlatL2>(dim);
    auto index = std::make_shared<faiss::IndexIVFFlat>(quantizer.get(), dim, cells);
    index->own_fields = true;
    quantizer.release(); // owned by the IVF index from here on
    index->nprobe = static_cast<std::size_t>(probes);
    if (!reportProgress(progress, 0.0, "training the IVF cells"))
        return makeError(ErrorCode::Cancelled, "kNN graph: cancelled");
    index->train(n, rows); // k-means subsamples to 256 points per cell by itself
    if (!reportProgress(progress, 0.7, "filling the IVF cells"))
        return makeError(ErrorCode::Cancelled, "kNN graph: cancelled");
    index->add(n, rows);
    return PreparedIndex{faissSearch(index, rows, dim), "approximate (IVF" + std::to_string(cells) +
                                                            ", nprobe " + std::to_string(probes) +
                                                            ")"};
}

Result<PreparedIndex> prepareHnsw(const float* rows, std::int64_t n, std::int64_t dim,
                                  int neighborsPerQuery, std::int64_t batchRows,
                                  const ProgressFn& progress) {
    auto index = std::make_shared<faiss::IndexHNSWFlat>(dim, kHnswLinks);
    index->hnsw.efConstruction = kHnswBuildBeam;
    const int beam = std::max(64, 2 * neighborsPerQuery);
    index->hnsw.efSearch = beam;
    // Insertion is the slow part of HNSW, so it is chunked to report progress and stop early.
    for (std::int64_t start = 0; start < n; start += batchRows) {
        if (!reportProgress(progress, double(start) / double(n), "inserting rows into HNSW"))
            return makeError(ErrorCode::Cancelled, "kNN graph: cancelled");
        const std::int64_t count = std::min(batchRows, n - start);
        index->add(count, rows + start * dim);
    }
    return PreparedIndex{faissSearch(index, rows, dim),
                         "approximate (HNSW" + std::to_string(kHnswLinks) + ", efSearch " +
                             std::to_string(beam) + ")"};
}

} // namespace

IndexKind resolveIndexKind(IndexKind requested, std::int64_t rows) {
    if (requested != IndexKind::Auto)
        return requested;
    return rows <= kAutoExactMaxRows ? IndexKind::Flat : IndexKind::Ivf;
}

double indexBuildShare(IndexKind kind) {
    switch (kind) {
    case IndexKind::Ivf:
        return 0.2;
    case IndexKind::Hnsw:
        return 0.5;
    default:
        return 0.0;
    }
}

Result<PreparedIndex> prepareIndex(IndexKind kind, const float* rows, std::int64_t n,
                                   std::int64_t dim, int neighborsPerQuery, Metric metric,
                                   std::int64_t batchRows, const ProgressFn& progress) {
    try {
        switch (kind) {
        case IndexKind::Ivf:
            return prepareIvf(rows, n, dim, progress);
        case IndexKind::Hnsw:
            return prepareHnsw(rows, n, dim, neighborsPerQuery, batchRows, progress);
        default:
            return prepareFlat(rows, n, dim, metric);
        }
    } catch (const std::exception& error) {
        return makeError(ErrorCode::Internal,
                         std::string("kNN graph: FAISS failed while building the index: ") +
                             error.what());
    }
}

} // namespace gps::neighbors
