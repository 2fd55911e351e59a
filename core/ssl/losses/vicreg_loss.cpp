#include "ssl/losses/vicreg_loss.h"

#include "common/check.h"
#include "ssl/losses/loss_util.h"

namespace gps::ssl {

namespace {

at::Tensor varianceTerm(const at::Tensor& z) {
    const at::Tensor centred = z - z.mean(0, true);
    const at::Tensor variance = centred.pow(2).sum(0) / double(z.size(0) - 1);
    const at::Tensor std = (variance + 1e-4).sqrt();
    return at::relu(1 - std).mean();
}

at::Tensor covarianceTerm(const at::Tensor& z) {
    const int64_t n = z.size(0);
    const int64_t d = z.size(1);
    const at::Tensor centred = z - z.mean(0, true);
    const at::Tensor cov = at::matmul(centred.t(), centred) / double(n - 1);
    const at::Tensor offDiagonal = cov.pow(2).sum() - cov.diagonal().pow(2).sum();
    return offDiagonal / double(d);
}

} // namespace

VicRegLoss vicRegLoss(const at::Tensor& z1In, const at::Tensor& z2In,
                      const VicRegWeights& weights) {
    GPS_CHECK(z1In.dim() == 2 && z1In.sizes() == z2In.sizes(), "z1 and z2 must both be B×D");
    GPS_CHECK(z1In.size(0) >= 2, "VICReg needs a batch of at least 2, got " << z1In.size(0));
    const at::Tensor z1 = detail::atLeastFloat(z1In);
    const at::Tensor z2 = detail::atLeastFloat(z2In);
    VicRegLoss out;
    out.invariance = (z1 - z2).pow(2).mean();
    out.variance = varianceTerm(z1) + varianceTerm(z2);
    out.covariance = covarianceTerm(z1) + covarianceTerm(z2);
    out.total = weights.invariance * out.invariance + weights.variance * out.variance +
                weights.covariance * out.covariance;
    return out;
}

} // namespace gps::ssl
