#include "eval/online_probe.h"

#include "common/check.h"

#include <ATen/ATen.h>
#include <torch/serialize/archive.h>

namespace gps::eval {

namespace {

constexpr double kMomentum = 0.9;

// The labelled rows of a batch, as float32 features and int64 labels on `device`.
struct Labelled {
    at::Tensor features;
    at::Tensor labels;
};

Labelled labelledRows(const at::Tensor& features, const at::Tensor& labels, std::int64_t dim,
                      std::int64_t classes, const c10::Device& device) {
    GPS_CHECK(features.defined() && features.dim() == 2 && features.size(1) == dim,
              "online probe: features must be B×"
                  << dim << ", got "
                  << (features.defined() ? features.sizes() : at::IntArrayRef{}));
    GPS_CHECK(labels.defined() && labels.dim() == 1 && labels.size(0) == features.size(0),
              "online probe: " << features.size(0) << " feature rows but labels of shape "
                               << (labels.defined() ? labels.sizes() : at::IntArrayRef{}));
    at::Tensor x = features.detach().to(device, at::kFloat);
    at::Tensor y = labels.detach().to(device, at::kLong);
    const at::Tensor keep = y.ge(0);
    if (!keep.all().item<bool>()) {
        const at::Tensor rows = keep.nonzero().view({-1});
        x = x.index_select(0, rows);
        y = y.index_select(0, rows);
    }
    if (y.numel() > 0)
        GPS_CHECK(y.max().item<std::int64_t>() < classes,
                  "online probe: label " << y.max().item<std::int64_t>() << " but only " << classes
                                         << " classes");
    return {x, y};
}

} // namespace

struct OnlineProbe::State {
    std::int64_t featureDim = 0;
    std::int64_t classes = 0;
    double lr = 0;
    c10::Device device = c10::kCPU;
    at::Tensor weight;         // classes × featureDim
    at::Tensor bias;           // classes
    at::Tensor weightMomentum; // SGD momentum buffers, zero before the first step
    at::Tensor biasMomentum;
    std::int64_t epochCorrect = 0;
    std::int64_t epochSeen = 0;
};

OnlineProbe::OnlineProbe(int featureDim, int classes, double lr, c10::Device device)
    : m_state(std::make_unique<State>()) {
    GPS_CHECK(featureDim >= 1, "online probe: feature dim " << featureDim << " must be ≥ 1");
    GPS_CHECK(classes >= 2, "online probe: " << classes << " classes, need ≥ 2");
    GPS_CHECK(lr > 0, "online probe: lr " << lr << " must be > 0");
    State& s = *m_state;
    s.featureDim = featureDim;
    s.classes = classes;
    s.lr = lr;
    s.device = device;
    const auto options = at::TensorOptions().dtype(at::kFloat).device(device);
    s.weight = at::zeros({classes, featureDim}, options);
    s.bias = at::zeros({classes}, options);
    s.weightMomentum = at::zeros_like(s.weight);
    s.biasMomentum = at::zeros_like(s.bias);
}

OnlineProbe::~OnlineProbe() = default;
OnlineProbe::OnlineProbe(OnlineProbe&&) noexcept = default;
OnlineProbe& OnlineProbe::operator=(OnlineProbe&&) noexcept = default;

double OnlineProbe::step(const at::Tensor& features, const at::Tensor& labels) {
    State& s = *m_state;
    // Plain tensors updated in place: no autograd, whatever mode the training loop is in.
    const at::NoGradGuard noGrad;
    const auto [x, y] = labelledRows(features, labels, s.featureDim, s.classes, s.device);
    const std::int64_t rows = y.size(0);
    if (rows == 0)
        return 0.0;
    at::Tensor grad = at::addmm(s.bias, x, s.weight.t());
    const std::int64_t correct = grad.argmax(1).eq(y).sum().item<std::int64_t>();
    // d(mean cross-entropy)/d(logits) = (softmax − one-hot) / rows.
    grad = grad.softmax(1);
    grad.scatter_add_(1, y.unsqueeze(1), at::full({rows, 1}, -1.0f, grad.options()));
    grad.div_(double(rows));
    s.weightMomentum.mul_(kMomentum).add_(grad.t().mm(x));
    s.biasMomentum.mul_(kMomentum).add_(grad.sum(0));
    s.weight.sub_(s.weightMomentum, s.lr);
    s.bias.sub_(s.biasMomentum, s.lr);
    s.epochCorrect += correct;
    s.epochSeen += rows;
    return double(correct) / double(rows);
}

double OnlineProbe::accuracy(const at::Tensor& features, const at::Tensor& labels) {
    const State& s = *m_state;
    const at::NoGradGuard noGrad;
    const auto [x, y] = labelledRows(features, labels, s.featureDim, s.classes, s.device);
    if (y.numel() == 0)
        return 0.0;
    const at::Tensor predicted = at::addmm(s.bias, x, s.weight.t()).argmax(1);
    return predicted.eq(y).sum().item<double>() / double(y.numel());
}

double OnlineProbe::epochAccuracy() const {
    return m_state->epochSeen > 0 ? double(m_state->epochCorrect) / double(m_state->epochSeen)
                                  : 0.0;
}

void OnlineProbe::resetEpoch() {
    m_state->epochCorrect = 0;
    m_state->epochSeen = 0;
}

void OnlineProbe::save(const std::string& prefix, torch::serialize::OutputArchive& archive) const {
    const State& s = *m_state;
    archive.write(prefix + "weight", s.weight.cpu());
    archive.write(prefix + "bias", s.bias.cpu());
    archive.write(prefix + "weight_momentum", s.weightMomentum.cpu());
    archive.write(prefix + "bias_momentum", s.biasMomentum.cpu());
    archive.write(prefix + "epoch_correct", at::scalar_tensor(s.epochCorrect, at::kLong));
    archive.write(prefix + "epoch_seen", at::scalar_tensor(s.epochSeen, at::kLong));
}

void OnlineProbe::load(const std::string& prefix, torch::serialize::InputArchive& archive) {
    State& s = *m_state;
    const at::NoGradGuard noGrad;
    // Read everything before changing anything, so a bad archive leaves the probe as it was.
    const auto read = [&](const char* key, const at::Tensor& like) {
        at::Tensor value;
        archive.read(prefix + key, value);
        GPS_CHECK(value.sizes() == like.sizes(), "online probe: checkpoint key '"
                                                     << prefix << key << "' has shape "
                                                     << value.sizes() << ", expected "
                                                     << like.sizes());
        return value.to(like.device(), like.scalar_type());
    };
    const at::Tensor weight = read("weight", s.weight);
    const at::Tensor bias = read("bias", s.bias);
    const at::Tensor weightMomentum = read("weight_momentum", s.weightMomentum);
    const at::Tensor biasMomentum = read("bias_momentum", s.biasMomentum);
    const at::Tensor counts = at::zeros({}, at::kLong);
    const at::Tensor correct = read("epoch_correct", counts);
    const at::Tensor seen = read("epoch_seen", counts);
    s.weight.copy_(weight);
    s.bias.copy_(bias);
    s.weightMomentum.copy_(weightMomentum);
    s.biasMomentum.copy_(biasMomentum);
    s.epochCorrect = correct.item<std::int64_t>();
    s.epochSeen = seen.item<std::int64_t>();
}

} // namespace gps::eval
