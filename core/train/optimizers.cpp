#include "train/optimizers.h"

#include "common/check.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <sstream>

namespace gps::train {

namespace {

constexpr double kLarsEps = 1e-8;
constexpr double kAdamEps = 1e-8;

std::string shapeText(const at::Tensor& tensor) {
    std::ostringstream out;
    out << tensor.sizes();
    return out.str();
}

} // namespace

struct Optimizer::Slot {
    std::string name;
    at::Tensor tensor;
    bool decay = true;      ///< weight decay and (LARS) trust ratio
    at::Tensor first;       ///< SGD/LARS momentum buffer; AdamW exp_avg
    at::Tensor second;      ///< AdamW exp_avg_sq; undefined otherwise
    std::int64_t steps = 0; ///< updates applied (AdamW's bias correction)
};

const char* optimizerName(OptimizerKind kind) {
    switch (kind) {
    case OptimizerKind::Sgd:
        return "sgd";
    case OptimizerKind::Lars:
        return "lars";
    case OptimizerKind::AdamW:
        return "adamw";
    }
    return "?";
}

Optimizer::Optimizer(const OptimizerConfig& config, std::vector<NamedParameter> parameters)
    : m_config(config), m_lr(config.lr) {
    std::set<std::string> names;
    m_slots.reserve(parameters.size());
    for (auto& parameter : parameters) {
        GPS_CHECK(parameter.tensor.defined() && parameter.tensor.requires_grad(),
                  "optimiser parameter '" << parameter.name << "' must require grad");
        GPS_CHECK(names.insert(parameter.name).second,
                  "optimiser parameter '" << parameter.name << "' given twice");
        Slot slot;
        slot.name = std::move(parameter.name);
        slot.tensor = parameter.tensor;
        slot.decay = !(config.excludeBiasAndNorm && slot.tensor.dim() <= 1);
        const torch::NoGradGuard noGrad;
        slot.first = torch::zeros_like(slot.tensor, at::MemoryFormat::Preserve);
        if (config.kind == OptimizerKind::AdamW)
            slot.second = torch::zeros_like(slot.tensor, at::MemoryFormat::Preserve);
        m_slots.push_back(std::move(slot));
    }
}

Optimizer::~Optimizer() = default;

std::size_t Optimizer::parameterCount() const {
    return m_slots.size();
}

void Optimizer::zeroGrad() {
    for (auto& slot : m_slots)
        slot.tensor.mutable_grad().reset();
}

bool Optimizer::decayed(const std::string& name) const {
    const auto it = std::find_if(m_slots.begin(), m_slots.end(),
                                 [&](const Slot& slot) { return slot.name == name; });
    GPS_CHECK(it != m_slots.end(), "optimiser has no parameter '" << name << "'");
    return it->decay;
}

void Optimizer::step() {
    const torch::NoGradGuard noGrad;
    for (auto& slot : m_slots) {
        if (!slot.tensor.grad().defined())
            continue;
        switch (m_config.kind) {
        case OptimizerKind::Sgd:
            stepSgd(slot, false);
            break;
        case OptimizerKind::Lars:
            stepSgd(slot, true);
            break;
        case OptimizerKind::AdamW:
            stepAdamW(slot);
            break;
        }
        ++slot.steps;
    }
}

void Optimizer::stepSgd(Slot& slot, bool lars) {
    const at::Tensor& w = slot.tensor;
    at::Tensor d = w.grad();
    const double wd = slot.decay ? m_config.weightDecay : 0.0;
    if (lars && slot.decay) {
        // Tensor arithmetic, not .item(): no device sync per parameter on a GPU.
        const at::Tensor wNorm = w.norm();
        const at::Tensor gNorm = d.norm();
        const at::Tensor adapt = wNorm.gt(0).logical_and(gNorm.gt(0));
        at::Tensor trust = wNorm.div(gNorm.add(wNorm.mul(wd)).add(kLarsEps)).mul(m_config.larsEta);
        if (m_config.larsClipLr && m_lr > 0)
            trust = trust.div(m_lr).clamp_max(1.0);
        d = at::where(adapt, d.add(w, wd).mul(trust), d);
    } else if (wd != 0.0) {
        d = d.add(w, wd);
    }
    slot.first.mul_(m_config.momentum).add_(d);
    w.add_(slot.first, -m_lr);
}

void Optimizer::stepAdamW(Slot& slot) {
    const at::Tensor& w = slot.tensor;
    const at::Tensor& g = w.grad();
    const double beta1 = m_config.betas[0], beta2 = m_config.betas[1];
    const double wd = slot.decay ? m_config.weightDecay : 0.0;
    if (wd != 0.0)
        w.mul_(1.0 - m_lr * wd);
    const auto t = static_cast<double>(slot.steps + 1);
    slot.first.mul_(beta1).add_(g, 1.0 - beta1);
    slot.second.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
    const double correction1 = 1.0 - std::pow(beta1, t);
    const double correction2 = 1.0 - std::pow(beta2, t);
    const at::Tensor denom = slot.second.sqrt().div_(std::sqrt(correction2)).add_(kAdamEps);
    w.addcdiv_(slot.first, denom, -m_lr / correction1);
}

TensorMap Optimizer::state() const {
    TensorMap out;
    for (const auto& slot : m_slots) {
        out[slot.name + ".step"] = torch::tensor(slot.steps, torch::kInt64);
        const char* firstName = m_config.kind == OptimizerKind::AdamW ? ".exp_avg" : ".momentum";
        out[slot.name + firstName] = slot.first.detach().to(torch::kCPU).clone();
        if (slot.second.defined())
            out[slot.name + ".exp_avg_sq"] = slot.second.detach().to(torch::kCPU).clone();
    }
    return out;
}

Status Optimizer::loadState(const TensorMap& state) {
    auto find = [&](const std::string& key, const at::Tensor& like) -> Result<at::Tensor> {
        const auto it = state.find(key);
        if (it == state.end())
            return makeError(ErrorCode::Corrupt, "optimiser state has no '" + key + "'");
        if (like.defined() && it->second.sizes() != like.sizes())
            return makeError(ErrorCode::Corrupt, "optimiser state '" + key + "' has shape " +
                                                     shapeText(it->second) + ", expected " +
                                                     shapeText(like));
        return it->second;
    };
    // Check everything before changing anything, so a bad state leaves this one intact.
    std::vector<std::array<at::Tensor, 3>> loaded;
    for (const auto& slot : m_slots) {
        const char* firstName = m_config.kind == OptimizerKind::AdamW ? ".exp_avg" : ".momentum";
        auto steps = find(slot.name + ".step", {});
        if (!steps)
            return steps.error();
        if (steps->numel() != 1)
            return makeError(ErrorCode::Corrupt,
                             "optimiser state '" + slot.name + ".step' is not a number");
        auto first = find(slot.name + firstName, slot.first);
        if (!first)
            return first.error();
        at::Tensor second;
        if (slot.second.defined()) {
            auto found = find(slot.name + ".exp_avg_sq", slot.second);
            if (!found)
                return found.error();
            second = *found;
        }
        loaded.push_back({*steps, *first, second});
    }
    const torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        Slot& slot = m_slots[i];
        slot.steps = loaded[i][0].to(torch::kInt64).item<std::int64_t>();
        slot.first.copy_(loaded[i][1]);
        if (slot.second.defined())
            slot.second.copy_(loaded[i][2]);
    }
    return Ok{};
}

} // namespace gps::train
