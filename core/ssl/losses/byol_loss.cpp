#include "ssl/losses/byol_loss.h"

#include "common/check.h"
#include "ssl/losses/loss_util.h"

namespace gps::ssl {

at::Tensor normalizedMseLoss(const at::Tensor& a, const at::Tensor& b) {
    GPS_CHECK(a.dim() == 2 && a.sizes() == b.sizes(), "a and b must both be B×D");
    const at::Tensor cosine = (detail::unitRows(a) * detail::unitRows(b)).sum(1);
    return 2 - 2 * cosine.mean();
}

at::Tensor byolLoss(const at::Tensor& p, const at::Tensor& z) {
    return normalizedMseLoss(p, z.detach());
}

} // namespace gps::ssl
