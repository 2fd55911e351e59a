#include "models/torchscript_export.h"

#include "common/check.h"
#include "common/file_io.h"
#include "models/backbone.h"

#include <torch/nn/modules/activation.h>
#include <torch/script.h>

#include <set>
#include <sstream>
#include <system_error>

namespace gps::models {

namespace {

template <class Array> std::string intList(const Array& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values->size(); ++i) {
        if (i > 0)
            text += ", ";
        text += std::to_string((*values)[i]);
    }
    return text + "]";
}

// TorchScript float literal that round-trips a double (1e-05, 0.1).
std::string floatLiteral(double value) {
    std::ostringstream out;
    out.precision(17);
    out << value;
    std::string text = out.str();
    if (text.find_first_of(".e") == std::string::npos)
        text += ".0";
    return text;
}

std::string convPadding(const torch::nn::detail::ConvNdOptions<2>& options) {
    // C++20 ADL finds c10::get_if (LibTorch 1.x) or std::get_if (2.x) for the padding variant.
    const auto* explicitPadding = get_if<torch::ExpandingArray<2>>(&options.padding());
    GPS_CHECK(explicitPadding, "ScriptEmitter: only explicit conv padding is exported");
    return intList(*explicitPadding);
}

// Attribute names are identifiers: "layer1.0.conv1.weight" → "layer1_0_conv1_weight".
std::string attributeName(const std::string& path) {
    std::string name = path;
    for (char& c : name)
        if (c == '.')
            c = '_';
    return name;
}

} // namespace

ScriptEmitter::ScriptEmitter(std::map<const void*, std::string> attributes)
    : m_attributes(std::move(attributes)) {}

std::string ScriptEmitter::emit(const std::string& expression) {
    // Appending (not "h" + std::string&&) sidesteps GCC 12's false -Wrestrict (PR 105329).
    std::string name = "h";
    name += std::to_string(m_next++);
    m_body += "    " + name + " = " + expression + "\n";
    return name;
}

std::string ScriptEmitter::attribute(const torch::Tensor& tensor) const {
    GPS_CHECK(tensor.defined(), "ScriptEmitter: undefined tensor");
    const auto found = m_attributes.find(tensor.unsafeGetTensorImpl());
    GPS_CHECK(found != m_attributes.end(), "ScriptEmitter: tensor is not a registered attribute");
    return "self." + found->second;
}

std::string ScriptEmitter::optionalAttribute(const torch::Tensor& tensor) const {
    return tensor.defined() ? attribute(tensor) : "None";
}

std::string ScriptEmitter::conv2d(const std::string& x, const torch::nn::Conv2dImpl& conv) {
    const auto& o = conv.options;
    GPS_CHECK(get_if<torch::enumtype::kZeros>(&o.padding_mode()),
              "ScriptEmitter: only zero-padded convolutions are exported");
    return emit("torch.conv2d(" + x + ", " + attribute(conv.weight) + ", " +
                optionalAttribute(conv.bias) + ", " + intList(o.stride()) + ", " + convPadding(o) +
                ", " + intList(o.dilation()) + ", " + std::to_string(o.groups()) + ")");
}

std::string ScriptEmitter::batchNorm2d(const std::string& x,
                                       const torch::nn::BatchNorm2dImpl& norm) {
    const auto& o = norm.options;
    GPS_CHECK(o.track_running_stats(), "ScriptEmitter: batch norm without running statistics");
    return emit("torch.batch_norm(" + x + ", " + optionalAttribute(norm.weight) + ", " +
                optionalAttribute(norm.bias) + ", " + attribute(norm.running_mean) + ", " +
                attribute(norm.running_var) + ", False, 0.0, " + floatLiteral(o.eps()) + ", True)");
}

std::string ScriptEmitter::relu(const std::string& x) {
    return emit("torch.relu(" + x + ")");
}

std::string ScriptEmitter::maxPool2d(const std::string& x, const torch::nn::MaxPool2dImpl& pool) {
    const auto& o = pool.options;
    return emit("torch.max_pool2d(" + x + ", " + intList(o.kernel_size()) + ", " +
                intList(o.stride()) + ", " + intList(o.padding()) + ", " + intList(o.dilation()) +
                ", " + (o.ceil_mode() ? "True" : "False") + ")");
}

std::string ScriptEmitter::adaptiveAvgPool2d(const std::string& x,
                                             const torch::nn::AdaptiveAvgPool2dImpl& pool) {
    const auto& size = *pool.options.output_size();
    GPS_CHECK(size[0] && size[1], "ScriptEmitter: adaptive pool sizes must be given");
    return emit("torch.adaptive_avg_pool2d(" + x + ", [" + std::to_string(*size[0]) + ", " +
                std::to_string(*size[1]) + "])");
}

std::string ScriptEmitter::flatten(const std::string& x, const torch::nn::FlattenImpl& flatten) {
    return emit("torch.flatten(" + x + ", " + std::to_string(flatten.options.start_dim()) + ", " +
                std::to_string(flatten.options.end_dim()) + ")");
}

std::string ScriptEmitter::globalAvgPool(const std::string& x) {
    return emit("torch.flatten(torch.adaptive_avg_pool2d(" + x + ", [1, 1]), 1)");
}

std::string ScriptEmitter::add(const std::string& a, const std::string& b) {
    return emit(a + " + " + b);
}

std::string ScriptEmitter::layer(const std::string& x, const torch::nn::Module& module) {
    if (const auto* conv = dynamic_cast<const torch::nn::Conv2dImpl*>(&module))
        return conv2d(x, *conv);
    if (const auto* norm = dynamic_cast<const torch::nn::BatchNorm2dImpl*>(&module))
        return batchNorm2d(x, *norm);
    if (dynamic_cast<const torch::nn::ReLUImpl*>(&module))
        return relu(x);
    if (const auto* pool = dynamic_cast<const torch::nn::MaxPool2dImpl*>(&module))
        return maxPool2d(x, *pool);
    if (const auto* pool = dynamic_cast<const torch::nn::AdaptiveAvgPool2dImpl*>(&module))
        return adaptiveAvgPool2d(x, *pool);
    if (const auto* flat = dynamic_cast<const torch::nn::FlattenImpl*>(&module))
        return flatten(x, *flat);
    if (const auto* seq = dynamic_cast<const torch::nn::SequentialImpl*>(&module))
        return sequential(x, *seq);
    GPS_CHECK(false, "ScriptEmitter: no emitter for layer " << module.name());
}

std::string ScriptEmitter::sequential(const std::string& x,
                                      const torch::nn::SequentialImpl& sequential) {
    std::string value = x;
    for (const auto& child : sequential.children())
        value = layer(value, *child);
    return value;
}

std::string ScriptEmitter::forwardSource(const std::string& input,
                                         const std::string& result) const {
    return "def forward(self, " + input + ": Tensor) -> Tensor:\n" + m_body + "    return " +
           result + "\n";
}

Status exportBackboneTorchScript(const BackboneImpl& backbone, const std::filesystem::path& file) {
    std::error_code error;
    const auto folder =
        file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    if (!std::filesystem::is_directory(folder, error))
        return makeError(ErrorCode::Io, "backbone export: cannot write " + file.string() +
                                            ": folder " + folder.string() + " does not exist");

    // The module holds detached CPU copies, so the export neither syncs with nor aliases the
    // live (possibly CUDA, possibly training) network.
    torch::jit::Module module("__torch__.gps.Backbone");
    // Scripted modules carry `training`; Python's eval()/train() and is_training() need it.
    module.register_attribute("training", c10::BoolType::get(), false);
    std::map<const void*, std::string> attributes;
    std::set<std::string> used;
    auto add = [&](const std::string& path, const torch::Tensor& tensor, bool isBuffer) {
        const std::string name = attributeName(path);
        GPS_CHECK(used.insert(name).second, "backbone export: duplicate attribute " << name);
        attributes.emplace(tensor.unsafeGetTensorImpl(), name);
        const torch::Tensor copy = tensor.detach().to(torch::kCPU).clone();
        if (isBuffer)
            module.register_buffer(name, copy);
        else
            module.register_parameter(name, copy, /*is_buffer=*/false);
    };
    for (const auto& item : backbone.named_parameters(/*recurse=*/true))
        add(item.key(), item.value(), false);
    for (const auto& item : backbone.named_buffers(/*recurse=*/true))
        add(item.key(), item.value(), true);

    ScriptEmitter emitter(std::move(attributes));
    const std::string result = backbone.emitTorchScript(emitter, "x");
    module.define(emitter.forwardSource("x", result));
    module.eval();

    std::ostringstream bytes;
    module.save(bytes);
    const std::string archive = bytes.str();
    if (auto written = writeFileAtomic(file, archive); !written)
        return makeError(ErrorCode::Io, "backbone export: " + written.error().message);
    return Ok{};
}

} // namespace gps::models
