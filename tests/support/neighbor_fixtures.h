#pragma once
/// The hand-made kNN graph the sampler and statistics tests share.

#include "neighbors/knn_graph.h"

#include <limits>
#include <memory>

namespace gps::test {

inline constexpr float kInf = std::numeric_limits<float>::infinity();

/// Five anchors, k = 4, distances chosen by hand:
///   0: ids 1 2 3 4   d 0.5 1.0 1.0 2.0   (a tie at 1.0)
///   1: ids 0 2 - -   d 0.5 3.0 inf inf   (padded: only two others listed)
///   2: ids 3 0 1 4   d 1.5 1.6 1.7 1.8
///   3: ids 2 4 0 1   d 0.1 0.2 0.3 0.4   (a dense anchor)
///   4: ids 0 1 2 3   d 5 6 7 8           (an outlier)
inline std::shared_ptr<const neighbors::KnnGraph> handGraph() {
    return std::make_shared<const neighbors::KnnGraph>(
        neighbors::KnnGraph{5,
                            4,
                            {1, 2, 3, 4, 0, 2, -1, -1, 3, 0, 1, 4, 2, 4, 0, 1, 0, 1, 2, 3},
                            {0.5f, 1.0f, 1.0f, 2.0f, 0.5f, 3.0f, kInf, kInf, 1.5f, 1.6f,
                             1.7f, 1.8f, 0.1f, 0.2f, 0.3f, 0.4f, 5,    6,    7,    8},
                            "hand-made"});
}

} // namespace gps::test
