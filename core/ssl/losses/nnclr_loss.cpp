#include "ssl/losses/nnclr_loss.h"

#include "common/check.h"
#include "ssl/losses/loss_util.h"

namespace gps::ssl {

at::Tensor nearestNeighbours(const at::Tensor& z, const at::Tensor& support) {
    GPS_CHECK(z.dim() == 2 && support.dim() == 2 && support.size(1) == z.size(1),
              "z must be B×D and support K×D, got " << z.sizes() << " and " << support.sizes());
    GPS_CHECK(support.size(0) >= 1, "the support set is empty");
    at::NoGradGuard noGrad;
    const at::Tensor rows = detail::unitRows(support);
    const at::Tensor similarity = at::matmul(detail::unitRows(z).to(rows.scalar_type()), rows.t());
    const at::Tensor index = std::get<1>(similarity.max(1));
    return support.index_select(0, index).detach();
}

at::Tensor nnclrLoss(const at::Tensor& nn, const at::Tensor& p, double temperature) {
    GPS_CHECK(nn.dim() == 2 && nn.sizes() == p.sizes(), "nn and p must both be B×D");
    GPS_CHECK(temperature > 0, "temperature must be > 0, got " << temperature);
    const at::Tensor pn = detail::unitRows(p);
    const at::Tensor logits =
        at::matmul(detail::unitRows(nn.detach()).to(pn.scalar_type()), pn.t()) / temperature;
    const at::Tensor targets = at::arange(nn.size(0), logits.options().dtype(at::kLong));
    return at::cross_entropy_loss(logits, targets);
}

} // namespace gps::ssl
