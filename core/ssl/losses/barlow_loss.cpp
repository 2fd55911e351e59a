#include "ssl/losses/barlow_loss.h"

#include "common/check.h"
#include "ssl/losses/loss_util.h"

namespace gps::ssl {

namespace {

at::Tensor standardize(const at::Tensor& z) {
    const at::Tensor x = detail::atLeastFloat(z);
    const at::Tensor centred = x - x.mean(0, true);
    const at::Tensor variance = centred.pow(2).mean(0, true);
    return centred / (variance + 1e-5).sqrt();
}

} // namespace

at::Tensor barlowTwinsLoss(const at::Tensor& z1, const at::Tensor& z2, double lambda,
                           double scale) {
    GPS_CHECK(z1.dim() == 2 && z1.sizes() == z2.sizes(), "z1 and z2 must both be B×D");
    GPS_CHECK(z1.size(0) >= 2, "Barlow Twins needs a batch of at least 2, got " << z1.size(0));
    const int64_t n = z1.size(0);
    const at::Tensor c = at::matmul(standardize(z1).t(), standardize(z2)) / double(n);
    const at::Tensor diagonal = c.diagonal();
    const at::Tensor onDiagonal = (1 - diagonal).pow(2).sum();
    const at::Tensor offDiagonal = c.pow(2).sum() - diagonal.pow(2).sum();
    return scale * (onDiagonal + lambda * offDiagonal);
}

} // namespace gps::ssl
