#pragma once
/// Exact t-SNE to two dimensions (van der Maaten and Hinton, 2008) on LibTorch, for the map of a
/// sample of an embedding (map2d.h). Exact means every pair is used: memory and time grow with
/// n², which suits the few thousand points a map shows (10,000 points hold about 1.2 GB of
/// n × n float32 matrices at once) and keeps the result free of approximation parameters.
///
/// Steps: squared L2 distances between the rows; per row, the Gaussian precision β whose
/// conditional distribution has the asked perplexity (a bisection on β per row, all rows of a
/// block at once); P symmetrised and normalised; then gradient descent on KL(P‖Q) with a
/// Student-t Q, early exaggeration of P, momentum (0.5, then 0.8) and per-coordinate gains.
/// The start is Gaussian noise with σ = 1e-4 drawn from `seed`, and every step is deterministic
/// on a given machine and thread count, so the same rows and seed give the same map.

#include "common/progress.h"
#include "common/result.h"

#include <cstdint>
#include <vector>

namespace gps::eval {

struct TsneOptions {
    /// Effective number of neighbours of each point; clamped to [1, (n − 1) / 3] for small n.
    double perplexity = 30.0;
    int iterations = 750;              ///< gradient steps, ≥ 1
    int exaggerationIterations = 250;  ///< the first steps multiply P by `exaggeration`
    double exaggeration = 12.0;        ///< > 0
    int momentumSwitchIteration = 250; ///< momentum 0.5 before, 0.8 from this step on
    /// Step size; 0 picks max(n / exaggeration / 4, 50), the usual automatic choice.
    double learningRate = 0.0;
};

/// The map of `n` rows of `dim` floats (row-major, not modified; n ≥ 2, dim ≥ 1), as n × 2
/// floats, row-major, centred on the origin. Distances are squared L2 on the rows as given
/// (normalise them first for cosine). Progress: the calibration of P maps to [0, 0.1], the
/// steps to [0.1, 1]; it is called at every step, and returning false stops with Cancelled
/// within one step. InvalidInput for options out of range or a non-finite value.
Result<std::vector<float>> tsne2d(const float* rows, std::int64_t n, std::int64_t dim,
                                  const TsneOptions& options, std::uint64_t seed,
                                  const ProgressFn& progress = {});

} // namespace gps::eval
