#include "ssl/losses/nt_xent.h"

#include "common/check.h"

#include <ATen/ATen.h>

#include <limits>

namespace gps::ssl {

at::Tensor ntXentLoss(const at::Tensor& z1, const at::Tensor& z2, double temperature) {
    GPS_CHECK(z1.dim() == 2 && z1.sizes() == z2.sizes(), "z1 and z2 must both be B×D");
    GPS_CHECK(temperature > 0, "temperature must be > 0, got " << temperature);
    const int64_t batch = z1.size(0);
    const at::Tensor z = at::cat({z1, z2}, 0);
    const at::Tensor unit = z / z.norm(2, 1, true).clamp_min(1e-12);
    at::Tensor logits = at::matmul(unit, unit.t()) / temperature;
    // A row is never its own negative.
    logits = logits.masked_fill(at::eye(2 * batch, logits.options().dtype(at::kBool)),
                                -std::numeric_limits<float>::infinity());
    const at::Tensor targets =
        at::cat({at::arange(batch, 2 * batch), at::arange(0, batch)}).to(logits.device());
    return at::cross_entropy_loss(logits, targets);
}

} // namespace gps::ssl
