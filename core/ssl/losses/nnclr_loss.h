#pragma once
/// NNCLR's nearest-neighbour positive and its contrastive loss (Dwibedi et al. 2021), pure
/// functions.

#include <ATen/core/Tensor.h>

namespace gps::ssl {

/// For every row of z (B×D), the row of `support` (K×D, K ≥ 1) with the largest cosine
/// similarity to it: B×D, no gradient (any one of tied rows).
at::Tensor nearestNeighbours(const at::Tensor& z, const at::Tensor& support);

/// nn: B×D nearest neighbours of one view's projections (constants), p: B×D predictions of the
/// other view. Rows are L2-normalised; logits_ij = nn_i·p_j / t; cross entropy with target i
/// (every other p_j is a negative), averaged over rows. NNCLR symmetrises:
/// ½·nnclrLoss(nn1, p2) + ½·nnclrLoss(nn2, p1). temperature > 0 (recipe 0.2).
at::Tensor nnclrLoss(const at::Tensor& nn, const at::Tensor& p, double temperature);

} // namespace gps::ssl
