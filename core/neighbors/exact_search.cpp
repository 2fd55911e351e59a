#include "neighbors/exact_search.h"

#include "common/check.h"

#include <faiss/utils/Heap.h>
#include <faiss/utils/distances.h>

#include <algorithm>
#include <limits>

// The Fortran BLAS entry point that FAISS and LibTorch call too; libblas.so.3 (OpenBLAS or the
// reference BLAS) is LP64, so integers are int.
extern "C" int sgemm_(const char* transa, const char* transb, const int* m, const int* n,
                      const int* k, const float* alpha, const float* a, const int* lda,
                      const float* b, const int* ldb, const float* beta, float* c, const int* ldc);

namespace gps::neighbors {

namespace {

// Database rows per sgemm tile. With 4096 queries a tile is 16 MB, which stays in the last-level
// cache between sgemm writing it and the selection reading it; 512 measured slower in CPU time
// (more, smaller sgemm calls), larger tiles no faster.
constexpr std::int64_t kDatabaseTile = 1024;

} // namespace

ExactSearch::ExactSearch(const float* rows, std::int64_t n, std::int64_t dim)
    : m_rows(rows), m_n(n), m_dim(dim), m_norms(static_cast<std::size_t>(n)) {
    GPS_CHECK(rows != nullptr && n > 0 && dim > 0 && dim <= std::numeric_limits<int>::max(),
              "ExactSearch: bad rows (n " << n << ", dim " << dim << ")");
    faiss::fvec_norms_L2sqr(m_norms.data(), rows, static_cast<std::size_t>(dim),
                            static_cast<std::size_t>(n));
}

void ExactSearch::search(std::int64_t first, std::int64_t count, int k, float* distances,
                         std::int64_t* ids) const {
    GPS_CHECK(first >= 0 && count >= 0 && first + count <= m_n && k >= 1,
              "ExactSearch::search: queries [" << first << ", " << first + count << ") of " << m_n
                                               << ", k " << k);
    GPS_CHECK(count <= std::numeric_limits<int>::max() / kDatabaseTile,
              "ExactSearch::search: " << count << " queries in one call is too many");
    const auto heapSize = static_cast<std::size_t>(k);
    for (std::int64_t q = 0; q < count; ++q)
        faiss::maxheap_heapify(heapSize, distances + q * k, ids + q * k);
    if (count == 0)
        return;

    // Rank by ‖y‖² − 2x·y; ‖x‖² is the same for every candidate of a query and is added last.
    std::vector<float> tile(static_cast<std::size_t>(count * std::min(kDatabaseTile, m_n)));
    const float* queries = m_rows + first * m_dim;
    const int queryCount = static_cast<int>(count), dim = static_cast<int>(m_dim);
    const float one = 1.0f, zero = 0.0f;
    for (std::int64_t start = 0; start < m_n; start += kDatabaseTile) {
        const int tileRows = static_cast<int>(std::min(kDatabaseTile, m_n - start));
        // tile[q][j] = query q · row (start + j): column-major for BLAS, row-major for us.
        sgemm_("T", "N", &tileRows, &queryCount, &dim, &one, m_rows + start * m_dim, &dim, queries,
               &dim, &zero, tile.data(), &tileRows);
        const float* norms = m_norms.data() + start;
#pragma omp parallel for schedule(static)
        for (std::int64_t q = 0; q < count; ++q) {
            float* heapDistances = distances + q * k;
            std::int64_t* heapIds = ids + q * k;
            const float* products = tile.data() + q * tileRows;
            float worst = heapDistances[0];
            for (int j = 0; j < tileRows; ++j) {
                const float rank = norms[j] - 2.0f * products[j];
                // Strict: a later row at an equal distance has the larger index and loses the tie.
                if (rank < worst) {
                    faiss::maxheap_replace_top(heapSize, heapDistances, heapIds, rank, start + j);
                    worst = heapDistances[0];
                }
            }
        }
    }
#pragma omp parallel for schedule(static)
    for (std::int64_t q = 0; q < count; ++q) {
        float* heapDistances = distances + q * k;
        faiss::maxheap_reorder(heapSize, heapDistances, ids + q * k);
        const float queryNorm = m_norms[static_cast<std::size_t>(first + q)];
        for (int j = 0; j < k; ++j)
            if (ids[q * k + j] >= 0) // exact duplicates can come out a hair below 0
                heapDistances[j] = std::max(0.0f, heapDistances[j] + queryNorm);
    }
}

} // namespace gps::neighbors
