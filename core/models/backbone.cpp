#include "models/backbone.h"

#include "common/check.h"
#include "models/resnet.h"
#include "models/small_cnn.h"

#include <ATen/core/grad_mode.h>

#include <functional>

namespace gps::models {

namespace {

struct Registration {
    const char* name;
    int defaultWidth;
    int minWidth, maxWidth;
    int minImageSize; ///< smallest side the net reduces to ≥ 1×1 before the global pool
    std::function<Backbone(const BackboneConfig&)> make;
};

const std::vector<Registration>& registry() {
    static const std::vector<Registration> kRegistry = {
        {"small_cnn", SmallCnnImpl::kDefaultWidth, 4, 256, 4,
         [](const BackboneConfig& c) -> Backbone { return std::make_shared<SmallCnnImpl>(c); }},
        {"resnet18_cifar", ResNetImpl::kDefaultWidth, 8, 128, 8,
         [](const BackboneConfig& c) -> Backbone { return std::make_shared<ResNetImpl>(c); }},
        {"resnet18", ResNetImpl::kDefaultWidth, 8, 128, 32,
         [](const BackboneConfig& c) -> Backbone { return std::make_shared<ResNetImpl>(c); }},
        {"resnet50", ResNetImpl::kDefaultWidth, 8, 128, 32,
         [](const BackboneConfig& c) -> Backbone { return std::make_shared<ResNetImpl>(c); }},
    };
    return kRegistry;
}

std::string namesText() {
    std::string text;
    for (const auto& name : backboneNames())
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

Error invalid(const std::string& message) {
    return makeError(ErrorCode::InvalidInput, message);
}

} // namespace

std::vector<std::string> backboneNames() {
    std::vector<std::string> names;
    for (const auto& r : registry())
        names.emplace_back(r.name);
    return names;
}

Result<Backbone> makeBackbone(const BackboneConfig& config) {
    const Registration* found = nullptr;
    for (const auto& r : registry())
        if (config.name == r.name)
            found = &r;
    if (!found)
        return invalid("backbone.name: unknown '" + config.name + "' (expected " + namesText() +
                       ")");
    if (config.inChannels != 1 && config.inChannels != 3)
        return invalid("backbone: images with " + std::to_string(config.inChannels) +
                       " channels (expected 1 or 3)");
    BackboneConfig resolved = config;
    if (resolved.width == 0)
        resolved.width = found->defaultWidth;
    if (resolved.width < found->minWidth || resolved.width > found->maxWidth)
        return invalid("backbone.width: " + std::to_string(config.width) + " for " + config.name +
                       " (expected 0 for the default or " + std::to_string(found->minWidth) + "–" +
                       std::to_string(found->maxWidth) + ")");
    if (resolved.imageSize < found->minImageSize)
        return invalid(
            "backbone: " + config.name + " needs images of at least " +
            std::to_string(found->minImageSize) + " px, found " + std::to_string(config.imageSize) +
            " px" +
            (found->minImageSize >= 32 ? " (resnet18_cifar and small_cnn take smaller)" : ""));
    return found->make(resolved);
}

Backbone cloneBackbone(const BackboneImpl& source) {
    auto made = makeBackbone(source.config());
    GPS_CHECK(made.ok(), "cloneBackbone: " << made.error().message);
    Backbone clone = std::move(made).value();
    const auto params = source.named_parameters(/*recurse=*/true);
    const auto buffers = source.named_buffers(/*recurse=*/true);
    if (!params.is_empty())
        clone->to(params.begin()->value().device());
    at::NoGradGuard noGrad;
    auto copyAll = [](const auto& from, auto to) {
        GPS_CHECK(from.size() == to.size(), "cloneBackbone: layouts differ");
        for (const auto& item : from)
            to[item.key()].copy_(item.value());
    };
    copyAll(params, clone->named_parameters(/*recurse=*/true));
    copyAll(buffers, clone->named_buffers(/*recurse=*/true));
    clone->train(source.is_training());
    return clone;
}

} // namespace gps::models
