#pragma once
/// A 2-D map of an embedding for the eye: a sample of its rows, placed in the plane by PCA or
/// t-SNE, so that a user sees the prior space the positives are drawn from (classes as clouds,
/// an anchor among its candidates). Labels only choose the sample and colour the points; they
/// never move one.
///
/// The sample is deterministic: the same rows, labels, required rows and seed give the same
/// sample, and (PCA exactly, t-SNE on a given machine and thread count) the same coordinates.

#include "common/progress.h"
#include "common/result.h"
#include "eval/tsne.h"
#include "neighbors/knn_graph.h"
#include "priors/embedding.h"

#include <cstdint>
#include <span>
#include <vector>

namespace gps::eval {

inline constexpr std::int64_t kDefaultMapRows = 3000;
/// t-SNE here is exact (n² memory and time): 10,000 points already hold about 1.2 GB.
inline constexpr std::int64_t kMaxMapRows = 10000;

enum class MapMethod {
    Pca,  ///< the first two principal components of the sample: fast, linear, global layout
    Tsne, ///< exact t-SNE of the sample: local neighbourhoods kept, distances between clouds not
};

/// The rows of a map's sample, ascending: every row of `required` (deduplicated), then up to
/// `maxRows` in all, drawn without replacement from the rest. With labels (one per row, or
/// empty) the draw is stratified: each class (rows with a negative label form one more group)
/// gets a share of the free places proportional to its size (largest remainders), and within
/// it rows are drawn uniformly from `seed`. All rows when there are no more than `maxRows`.
/// More required rows than `maxRows` are all kept. GPS_CHECK: maxRows ≥ 1, labels empty or one
/// per row, required rows in [0, n).
std::vector<std::int64_t> sampleMapRows(std::int64_t n, std::span<const int> labels,
                                        std::int64_t maxRows,
                                        std::span<const std::int64_t> required, std::uint64_t seed);

struct Map2dConfig {
    MapMethod method = MapMethod::Pca;
    std::int64_t maxRows = kDefaultMapRows; ///< sample size, in [2, kMaxMapRows]
    std::vector<std::int64_t> required;     ///< rows always in the sample (anchor, candidates)
    neighbors::Metric metric = neighbors::Metric::L2; ///< cosine: rows L2-normalised first
    std::uint64_t seed = 0; ///< the sample, the randomised PCA, t-SNE's start
    TsneOptions tsne;
};

struct Map2d {
    MapMethod method = MapMethod::Pca;
    std::vector<std::int64_t> rows; ///< the sample's rows of the embedding, ascending
    std::vector<float> xy;          ///< rows.size() × 2, row-major: point i is row rows[i]
};

/// Samples `embedding` (sampleMapRows with `labels`: empty or one per row) and maps the sample
/// to 2-D with the config's method, in the geometry of the graph's metric. PCA of an embedding
/// with one column puts every point on the x axis. Errors: InvalidInput for fewer than 2 rows,
/// a sample size outside [2, kMaxMapRows], required rows outside the embedding, labels that are
/// not one per row, a non-finite value; t-SNE's option errors; Cancelled when `progress`
/// returns false (t-SNE asks at every step).
Result<Map2d> computeMap2d(const priors::Embedding& embedding, std::span<const int> labels,
                           const Map2dConfig& config, const ProgressFn& progress = {});

} // namespace gps::eval
