#pragma once
/// MoCo's InfoNCE against a queue of negatives, a pure function.

#include <ATen/core/Tensor.h>

namespace gps::ssl {

/// q: B×D queries (online projections), k: B×D keys (momentum projections of the positive,
/// treated as constants), queue: K×D negatives (K ≥ 0, treated as constants). Rows of all three
/// are L2-normalised here. For row b the logits are [q_b·k_b, q_b·queue_1, …, q_b·queue_K] / t
/// and the loss is the cross entropy with target 0, averaged over b. With K = 0 the loss is 0.
/// temperature > 0 (MoCo-v2: 0.2).
at::Tensor infoNceLoss(const at::Tensor& q, const at::Tensor& k, const at::Tensor& queue,
                       double temperature);

} // namespace gps::ssl
