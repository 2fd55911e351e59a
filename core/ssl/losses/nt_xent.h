#pragma once
/// NT-Xent (SimCLR's normalised temperature-scaled cross entropy), a pure function.

#include <ATen/core/Tensor.h>

namespace gps::ssl {

/// z1, z2: B×D projections of the two views (row b of each is a positive pair). Every other row
/// of both views is a negative. Returns the mean loss over the 2B rows (a scalar tensor).
/// temperature > 0 (SimCLR default 0.2 in the reference recipes).
at::Tensor ntXentLoss(const at::Tensor& z1, const at::Tensor& z2, double temperature);

} // namespace gps::ssl
