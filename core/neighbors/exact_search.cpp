#include "neighbors/exact_search.h"

#include "common/check.h"

#include <faiss/utils/Heap.h>
#include <faiss/utils/distances.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

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

// ‖x‖² + ‖y‖² − 2x·y loses up to about dim × 6e-8 × (‖x‖² + ‖y‖²) to rounding (1e-6 typically).
// Below this share of ‖x‖² + ‖y‖², that can be a large part of the distance, so such pairs (the
// near-duplicates, a handful per dataset) are recomputed as Σ(x − y)²: an exact duplicate then
// reads 0, and duplicates tie exactly and fall back to index order.
constexpr float kRecomputeBelow = 1e-3f;

// Four float lanes through GCC/Clang vector extensions: SSE2 on x86-64, NEON on ARM.
using Float4 = float __attribute__((vector_size(16)));
using Int4 = int __attribute__((vector_size(16)));
constexpr int kLanes = 4;
constexpr int kGroup = 16; // values tested together before looking at any one of them

/// Whether any of the kGroup values norms[j] − 2·products[j] is below `worst`. Almost always
/// false: a query meets a few hundred improvements among 60,000 rows.
bool anyBelow(const float* norms, const float* products, float worst) {
    const Float4 limit = {worst, worst, worst, worst};
    Int4 below = {0, 0, 0, 0};
    for (int lane = 0; lane < kGroup; lane += kLanes) {
        Float4 norm, product;
        std::memcpy(&norm, norms + lane, sizeof norm);
        std::memcpy(&product, products + lane, sizeof product);
        below |= (norm - 2.0f * product) < limit;
    }
    return (below[0] | below[1] | below[2] | below[3]) != 0;
}

/// Offers rows [start, start + rows) of one tile line to a query's max-heap of `heapSize`.
/// Rank = ‖y‖² − 2x·y; strict comparison, so a later row at an equal rank (larger index) loses.
void selectFromTile(const float* norms, const float* products, int rows, std::int64_t start,
                    std::size_t heapSize, float* heapDistances, std::int64_t* heapIds) {
    float worst = heapDistances[0];
    const auto offer = [&](int j) {
        const float rank = norms[j] - 2.0f * products[j];
        if (rank < worst) {
            faiss::maxheap_replace_top(heapSize, heapDistances, heapIds, rank, start + j);
            worst = heapDistances[0];
        }
    };
    int j = 0;
    for (; j + kGroup <= rows; j += kGroup)
        if (anyBelow(norms + j, products + j, worst))
            for (int lane = j; lane < j + kGroup; ++lane)
                offer(lane);
    for (; j < rows; ++j)
        offer(j);
}

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
        // One thread on purpose: see the header. BLAS's own threads are still spinning here.
        for (std::int64_t q = 0; q < count; ++q)
            selectFromTile(m_norms.data() + start, tile.data() + q * tileRows, tileRows, start,
                           heapSize, distances + q * k, ids + q * k);
    }
    for (std::int64_t q = 0; q < count; ++q)
        finishQuery(first + q, k, distances + q * k, ids + q * k);
}

void ExactSearch::finishQuery(std::int64_t query, int k, float* distances,
                              std::int64_t* ids) const {
    faiss::maxheap_reorder(static_cast<std::size_t>(k), distances, ids);
    const float queryNorm = m_norms[static_cast<std::size_t>(query)];
    bool recomputed = false;
    for (int j = 0; j < k && ids[j] >= 0; ++j) {
        const float other = m_norms[static_cast<std::size_t>(ids[j])];
        distances[j] = std::max(0.0f, distances[j] + queryNorm); // duplicates can dip below 0
        if (distances[j] < kRecomputeBelow * (queryNorm + other)) {
            distances[j] = faiss::fvec_L2sqr(m_rows + query * m_dim, m_rows + ids[j] * m_dim,
                                             static_cast<std::size_t>(m_dim));
            recomputed = true;
        }
    }
    if (!recomputed)
        return;
    // Recomputed values may reorder the near-duplicates among themselves: restore (d, index).
    std::vector<std::pair<float, std::int64_t>> entries;
    for (int j = 0; j < k && ids[j] >= 0; ++j)
        entries.emplace_back(distances[j], ids[j]);
    std::sort(entries.begin(), entries.end());
    for (std::size_t j = 0; j < entries.size(); ++j)
        std::tie(distances[j], ids[j]) = entries[j];
}

} // namespace gps::neighbors
