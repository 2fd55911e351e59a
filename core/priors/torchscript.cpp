#include "priors/torchscript.h"

#include "priors/batching.h"

#include <torch/script.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace gps::priors {

namespace {

// The line of a LibTorch error a user can act on. C++ errors put it first and a backtrace after;
// the TorchScript interpreter puts a generic line first, the script's traceback, and the Python
// exception ("RuntimeError: mat1 and mat2 shapes cannot be multiplied …") last.
std::string errorLine(const std::exception& e) {
    const auto* c10error = dynamic_cast<const c10::Error*>(&e);
    const std::string text = c10error ? c10error->what_without_backtrace() : e.what();
    std::vector<std::string> lines;
    for (std::size_t begin = 0; begin <= text.size();) {
        const auto end = std::min(text.find('\n', begin), text.size());
        if (end > begin)
            lines.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    if (lines.empty())
        return "unknown error";
    for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
        const auto colon = line->find("Error: ");
        if (colon != std::string::npos && line->find(' ') > colon)
            return *line;
    }
    return lines.front();
}

std::string sizesText(at::IntArrayRef sizes) {
    std::string text;
    for (const auto size : sizes)
        text += (text.empty() ? "" : "×") + std::to_string(size);
    return text.empty() ? "a single number" : text;
}

std::string shapeText(const detail::NetInput& in, std::int64_t n) {
    return std::to_string(n) + "×" + std::to_string(in.channels) + "×" + std::to_string(in.height) +
           "×" + std::to_string(in.width);
}

// The embedding tensor in a forward's result: a tensor, or the first tensor of a tuple or list.
Result<at::Tensor> outputTensor(const c10::IValue& output) {
    if (output.isTensor())
        return output.toTensor();
    if (output.isTuple())
        for (const auto& item : output.toTupleRef().elements())
            if (item.isTensor())
                return item.toTensor();
    if (output.isTensorList() && !output.toTensorList().empty())
        return output.toTensorList().get(0);
    if (output.isList())
        for (const auto& item : output.toListRef())
            if (item.isTensor())
                return item.toTensor();
    return makeError(ErrorCode::InvalidInput,
                     "forward returned " + output.tagKind() + ", expected a tensor");
}

Status checkNormalisation(const std::vector<float>& values, const char* name, int channels) {
    const auto count = int(values.size());
    if (count != 0 && count != 1 && channels != 0 && count != channels)
        return makeError(ErrorCode::InvalidInput,
                         std::string("torchscript: ") + name + " has " + std::to_string(count) +
                             " values for " + std::to_string(channels) +
                             " input channels (expected 1 or one per channel)");
    return Ok{};
}

class TorchScriptPrior final : public Embedder {
public:
    TorchScriptPrior(const torch::jit::Module& module, std::filesystem::path file,
                     const PriorOptions& options, std::string spec)
        : m_module(module), m_file(std::move(file)), m_options(options), m_spec(std::move(spec)) {
        m_module.eval();
    }

    std::string spec() const override { return m_spec; }
    std::int64_t dim() const override { return m_dim; }

    detail::NetInput inputFor(const data::ImageShape& shape) const {
        const int side = m_options.inputSize;
        return {side > 0 ? side : shape.height, side > 0 ? side : shape.width,
                m_options.inputChannels > 0 ? m_options.inputChannels : shape.channels};
    }

    // x (N × C × H × W in [0, 1]) → N × d, with normalisation and output reduction. `what` names
    // the input in messages ("images 0–255").
    // NOLINTNEXTLINE(performance-unnecessary-value-param): x is normalised in place
    Result<at::Tensor> forward(at::Tensor x, const std::string& what) {
        const auto n = x.size(0);
        const auto c = x.size(1);
        if (!m_options.mean.empty())
            x.sub_(torch::tensor(m_options.mean).expand({c}).view({1, c, 1, 1}));
        if (!m_options.std.empty())
            x.div_(torch::tensor(m_options.std).expand({c}).view({1, c, 1, 1}));
        auto out = outputTensor(m_module.forward({x}));
        if (!out)
            return out.error();
        at::Tensor y = out->to(at::kFloat);
        if (y.dim() == 4)
            y = y.mean({2, 3});
        // Rows are found by splitting the output evenly among the images, so an output that is
        // not one row per image would silently mix images or change width from batch to batch.
        const std::string output = "the model's output for " + what;
        if (y.dim() == 0 || (y.dim() >= 2 && y.size(0) != n))
            return makeError(ErrorCode::InvalidInput, output + " is " + sizesText(y.sizes()) +
                                                          ", not one row per image (" +
                                                          std::to_string(n) + " × d)");
        if (y.numel() == 0)
            return makeError(ErrorCode::InvalidInput, output + " is " + sizesText(y.sizes()) +
                                                          ": it gives 0 features per image");
        if (y.numel() % n != 0)
            return makeError(ErrorCode::InvalidInput, output + " has " + std::to_string(y.numel()) +
                                                          " values, not a whole number per image");
        return y.reshape({n, -1});
    }

    // Runs one all-zero image so that a module that cannot take `input` fails with a message
    // that says what it was given, before any real work. NaN is not refused here: a model that
    // normalises its output may well give NaN for an all-zero image and not for a real one.
    Status probe(const detail::NetInput& input) {
        if (auto check = checkNormalisation(m_options.mean, "mean", input.channels); !check)
            return check;
        if (auto check = checkNormalisation(m_options.std, "std", input.channels); !check)
            return check;
        const std::string shape = shapeText(input, 1);
        try {
            c10::InferenceMode inference;
            auto y = forward(at::zeros({1, input.channels, input.height, input.width}),
                             "a " + shape + " input");
            if (!y)
                return makeError(ErrorCode::InvalidInput,
                                 m_spec + ": " + m_file.string() + ": " + y.error().message);
            m_dim = y->size(1);
        } catch (const std::exception& e) {
            return makeError(ErrorCode::InvalidInput,
                             m_spec + ": " + m_file.string() + ": forward failed on a " + shape +
                                 " float input (N×C×H×W): " + errorLine(e));
        }
        m_probed = input;
        return Ok{};
    }

    Result<Embedding> embed(const data::Dataset& dataset, const ProgressFn& progress) override {
        const detail::NetInput input = inputFor(dataset.shape());
        if (input.channels != 1 && input.channels != 3)
            return makeError(ErrorCode::Unsupported, m_spec + ": images with " +
                                                         std::to_string(input.channels) +
                                                         " channels (expected 1 or 3)");
        if (!m_probed || m_probed->height != input.height || m_probed->width != input.width ||
            m_probed->channels != input.channels)
            if (auto probed = probe(input); !probed)
                return probed.error();
        const auto batch = std::size_t(std::max(1, m_options.batchSize));
        return detail::embedInBatches(
            dataset, batch, m_dim, m_spec, progress,
            [&](std::size_t begin, std::size_t end) -> Result<at::Tensor> {
                const std::string images =
                    "images " + std::to_string(begin) + "–" + std::to_string(end - 1);
                try {
                    c10::InferenceMode inference;
                    auto rows = forward(detail::imageBatch(dataset, begin, end, input), images);
                    if (!rows)
                        return makeError(rows.error().code, m_spec + ": " + rows.error().message);
                    return rows;
                } catch (const std::exception& e) {
                    return makeError(ErrorCode::InvalidInput,
                                     m_spec + ": forward failed on " + images + " (" +
                                         shapeText(input, std::int64_t(end - begin)) +
                                         "): " + errorLine(e));
                }
            });
    }

private:
    torch::jit::Module m_module;
    std::filesystem::path m_file;
    PriorOptions m_options;
    std::string m_spec;
    std::int64_t m_dim = 0;
    std::optional<detail::NetInput> m_probed;
};

} // namespace

Result<EmbedderPtr> makeTorchScriptPrior(const std::filesystem::path& file,
                                         const PriorOptions& options, const std::string& spec) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        return makeError(ErrorCode::NotFound, spec + ": " + file.string() + ": no such file");
    if (options.inputChannels != 0 && options.inputChannels != 1 && options.inputChannels != 3)
        return makeError(ErrorCode::InvalidInput, spec + ": input channels must be 1 or 3, not " +
                                                      std::to_string(options.inputChannels));
    if (options.inputSize < 0)
        return makeError(ErrorCode::InvalidInput, spec + ": input size must be ≥ 0");
    if (std::any_of(options.std.begin(), options.std.end(), [](float s) { return !(s > 0); }))
        return makeError(ErrorCode::InvalidInput, spec + ": every std value must be > 0");
    torch::jit::Module module;
    try {
        module = torch::jit::load(file.string(), torch::Device(torch::kCPU));
    } catch (const std::exception& e) {
        return makeError(ErrorCode::InvalidInput,
                         spec + ": " + file.string() +
                             ": not a TorchScript module (save the encoder with "
                             "torch.jit.save(torch.jit.script(model)) or torch.jit.trace; "
                             "it must take N×C×H×W float images): " +
                             errorLine(e));
    }
    auto prior = std::make_unique<TorchScriptPrior>(std::move(module), file, options, spec);
    if (options.inputSize > 0 && options.inputChannels > 0) {
        const detail::NetInput input{options.inputSize, options.inputSize, options.inputChannels};
        if (auto probed = prior->probe(input); !probed)
            return probed.error();
    }
    return EmbedderPtr(std::move(prior));
}

} // namespace gps::priors
