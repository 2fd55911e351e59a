#include "priors/random_cnn.h"

#include "models/small_cnn.h"
#include "priors/batching.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/grad_mode.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>

namespace gps::priors {

namespace {

constexpr int kWidth = 32;

models::SmallCnn seededNetwork(int channels, std::uint64_t seed) {
    models::SmallCnn net(models::SmallCnnOptions{channels, kWidth});
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::NoGradGuard noGrad; // in-place writes to leaf parameters
    // named_parameters() lists in registration order, so the draws are reproducible.
    for (auto& item : net->named_parameters(/*recurse=*/true)) {
        at::Tensor& p = item.value();
        if (p.dim() == 4) { // conv weight: out × in × kh × kw
            const double fanIn = double(p.size(1) * p.size(2) * p.size(3));
            const double bound = 1.0 / std::sqrt(fanIn);
            p.uniform_(-bound, bound, generator);
        }
    }
    net->eval();
    return net;
}

} // namespace

RandomCnnPrior::RandomCnnPrior(const PriorOptions& options)
    : m_seed(options.seed), m_batchSize(std::max(1, options.batchSize)) {}

std::int64_t RandomCnnPrior::dim() const {
    return models::SmallCnnOptions{1, kWidth}.featureDim();
}

Result<Embedding> RandomCnnPrior::embed(const data::Dataset& dataset, const ProgressFn& progress) {
    const data::ImageShape shape = dataset.shape();
    if (dataset.size() == 0)
        return Embedding{0, dim(), {}};
    if (shape.channels != 1 && shape.channels != 3)
        return makeError(ErrorCode::Unsupported, "random-cnn: images with " +
                                                     std::to_string(shape.channels) +
                                                     " channels (expected 1 or 3)");
    models::SmallCnn net = seededNetwork(shape.channels, m_seed);
    const detail::NetInput input{shape.height, shape.width, shape.channels};
    return detail::embedInBatches(
        dataset, std::size_t(m_batchSize), dim(), spec(), progress,
        [&](std::size_t begin, std::size_t end) -> Result<at::Tensor> {
            c10::InferenceMode inference;
            const at::Tensor x = detail::imageBatch(dataset, begin, end, input).mul_(2.0).sub_(1.0);
            return net->forward(x);
        });
}

} // namespace gps::priors
