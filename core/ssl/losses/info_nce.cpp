#include "ssl/losses/info_nce.h"

#include "common/check.h"
#include "ssl/losses/loss_util.h"

namespace gps::ssl {

at::Tensor infoNceLoss(const at::Tensor& q, const at::Tensor& k, const at::Tensor& queue,
                       double temperature) {
    GPS_CHECK(q.dim() == 2 && q.sizes() == k.sizes(), "q and k must both be B×D");
    GPS_CHECK(queue.dim() == 2 && queue.size(1) == q.size(1),
              "queue must be K×" << q.size(1) << ", got " << queue.sizes());
    GPS_CHECK(temperature > 0, "temperature must be > 0, got " << temperature);
    const at::Tensor qn = detail::unitRows(q);
    const at::Tensor kn = detail::unitRows(k.detach());
    const at::Tensor negatives = detail::unitRows(queue.detach()).to(qn.scalar_type());
    const at::Tensor positive = (qn * kn).sum(1, true);
    const at::Tensor logits = at::cat({positive, at::matmul(qn, negatives.t())}, 1) / temperature;
    const at::Tensor targets = at::zeros({q.size(0)}, logits.options().dtype(at::kLong));
    return at::cross_entropy_loss(logits, targets);
}

} // namespace gps::ssl
