#include "ssl/losses/simsiam_loss.h"

#include "common/check.h"
#include "ssl/losses/loss_util.h"

namespace gps::ssl {

at::Tensor negativeCosineLoss(const at::Tensor& p, const at::Tensor& z) {
    GPS_CHECK(p.dim() == 2 && p.sizes() == z.sizes(), "p and z must both be B×D");
    return -(detail::unitRows(p) * detail::unitRows(z.detach())).sum(1).mean();
}

} // namespace gps::ssl
