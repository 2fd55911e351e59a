#include "priors/registry.h"

#include "priors/autoencoder.h"
#include "priors/hog.h"
#include "priors/npy_prior.h"
#include "priors/pca.h"
#include "priors/pixels.h"
#include "priors/random_cnn.h"
#include "priors/run_backbone.h"
#include "priors/torchscript.h"
#include "priors/vae.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace gps::priors {

namespace {

constexpr const char* kExpected =
    "pixels, pca:D, hog, random-cnn, ae:D, vae:D, torchscript:PATH, npy:PATH or run:DIR";

struct KindName {
    const char* name;
    PriorKind kind;
    enum { None, Dim, Path, Dir } argument;
};

constexpr KindName kKinds[] = {
    {"pixels", PriorKind::Pixels, KindName::None},
    {"pca", PriorKind::Pca, KindName::Dim},
    {"hog", PriorKind::Hog, KindName::None},
    {"random-cnn", PriorKind::RandomCnn, KindName::None},
    {"ae", PriorKind::Autoencoder, KindName::Dim},
    {"vae", PriorKind::Vae, KindName::Dim},
    {"torchscript", PriorKind::TorchScript, KindName::Path},
    {"npy", PriorKind::Npy, KindName::Path},
    {"run", PriorKind::Run, KindName::Dir},
};

std::string trim(const std::string& text) {
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    auto begin = std::find_if_not(text.begin(), text.end(), space);
    auto end = std::find_if_not(text.rbegin(), std::string::const_reverse_iterator(begin), space);
    return std::string(begin, end.base());
}

std::string lower(std::string text) {
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

Error specError(const std::string& spec, const std::string& reason) {
    return makeError(ErrorCode::InvalidInput, "prior '" + spec + "': " + reason);
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

std::string floats(const std::vector<float>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            text += ',';
        text += number(values[i]);
    }
    return text;
}

} // namespace

Result<PriorSpec> parsePriorSpec(const std::string& text) {
    const std::string spec = trim(text);
    if (spec.empty())
        return makeError(ErrorCode::InvalidInput,
                         std::string("no prior given (expected ") + kExpected + ")");
    const auto colon = spec.find(':');
    const bool hasArgument = colon != std::string::npos;
    const std::string name = lower(spec.substr(0, colon));
    const std::string argument = hasArgument ? spec.substr(colon + 1) : std::string();
    const auto* found = std::find_if(std::begin(kKinds), std::end(kKinds),
                                     [&](const KindName& k) { return name == k.name; });
    if (found == std::end(kKinds))
        return makeError(ErrorCode::InvalidInput,
                         "unknown prior '" + spec + "' (expected " + kExpected + ")");

    PriorSpec parsed;
    parsed.kind = found->kind;
    switch (found->argument) {
    case KindName::None:
        if (hasArgument)
            return specError(spec, name + " takes no argument");
        parsed.canonical = name;
        break;
    case KindName::Dim: {
        const std::string digits = trim(argument);
        if (!hasArgument || digits.empty())
            return specError(spec, "missing D (write " + name + ":D, e.g. " + name + ":64)");
        int dim = 0;
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), dim);
        if (error != std::errc() || end != digits.data() + digits.size() || dim <= 0)
            return specError(spec, "D must be a positive integer");
        if (dim > kMaxPriorDim)
            return specError(spec, "D must be at most " + std::to_string(kMaxPriorDim));
        parsed.dim = dim;
        parsed.canonical = name + ":" + std::to_string(dim);
        break;
    }
    case KindName::Path:
    case KindName::Dir: {
        const char* what = found->argument == KindName::Path ? "PATH" : "DIR";
        if (trim(argument).empty())
            return specError(spec,
                             std::string("missing ") + what + " (write " + name + ":" + what + ")");
        parsed.path = argument;
        parsed.canonical = name + ":" + argument;
        break;
    }
    }
    return parsed;
}

Result<EmbedderPtr> makeEmbedder(const std::string& spec, const PriorOptions& options) {
    auto parsed = parsePriorSpec(spec);
    if (!parsed)
        return parsed.error();
    return makeEmbedder(*parsed, options);
}

Result<EmbedderPtr> makeEmbedder(const PriorSpec& spec, const PriorOptions& options) {
    switch (spec.kind) {
    case PriorKind::Pixels:
        return EmbedderPtr(std::make_unique<PixelsPrior>(options));
    case PriorKind::Pca:
        return EmbedderPtr(std::make_unique<PcaPrior>(spec.dim, options));
    case PriorKind::Hog:
        return EmbedderPtr(std::make_unique<HogPrior>(options));
    case PriorKind::RandomCnn:
        return EmbedderPtr(std::make_unique<RandomCnnPrior>(options));
    case PriorKind::Autoencoder:
    case PriorKind::Vae: {
        EmbedderPtr prior = spec.kind == PriorKind::Vae ? makeVaePrior(spec.dim, options)
                                                        : makeAutoencoderPrior(spec.dim, options);
        if (!prior)
            return makeError(ErrorCode::Internal, spec.canonical + ": the prior could not be made");
        return prior;
    }
    case PriorKind::TorchScript:
        return makeTorchScriptPrior(spec.path, options, spec.canonical);
    case PriorKind::Npy:
        return NpyPrior::open(spec.path, spec.canonical);
    case PriorKind::Run:
        return makeRunBackbonePrior(spec.path, options, spec.canonical);
    }
    return makeError(ErrorCode::Internal, "prior kind not handled: " + spec.canonical);
}

std::string relevantOptions(const PriorSpec& spec, const PriorOptions& options) {
    std::string seed = "seed=" + std::to_string(options.seed);
    switch (spec.kind) {
    case PriorKind::Pixels:
        return std::string("standardize=") + (options.standardize ? "1" : "0");
    case PriorKind::Pca: // the seed matters only to the randomised solver (large images)
    case PriorKind::RandomCnn:
        return seed;
    case PriorKind::Autoencoder:
    case PriorKind::Vae:
        return seed + " epochs=" + std::to_string(options.epochs) +
               " batch=" + std::to_string(options.batchSize);
    case PriorKind::TorchScript:
    case PriorKind::Run:
        return "size=" + std::to_string(options.inputSize) +
               " channels=" + std::to_string(options.inputChannels) +
               " mean=" + floats(options.mean) + " std=" + floats(options.std);
    case PriorKind::Hog:
    case PriorKind::Npy:
        return "";
    }
    return "";
}

std::vector<std::string> priorSpecHelp() {
    return {
        "pixels — raw pixels in [0, 1], flattened; option: standardize each dimension",
        "pca:D — the first D principal components of the training pixels (e.g. pca:64)",
        "hog — histogram of oriented gradients of the grey image",
        "random-cnn — features of an untrained small ConvNet, fixed by the seed (128 values)",
        "ae:D — an autoencoder trained on the training split; its D-value code",
        "vae:D — a variational autoencoder trained on the training split; its D latent means",
        "torchscript:PATH — any TorchScript image encoder (e.g. an exported CLIP or ResNet-50)",
        "npy:PATH — precomputed embeddings: a float n × d .npy, one row per image in order",
        "run:DIR — the backbone of an earlier training run (DIR/backbone.pt)",
    };
}

} // namespace gps::priors
