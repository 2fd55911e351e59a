#include "project/project_sections.h"

#include "augment/presets.h"
#include "common/check.h"
#include "priors/registry.h"

#include <algorithm>
#include <limits>

namespace gps::project::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
constexpr int kAny = std::numeric_limits<int>::max(); // "an integer ≥ lo"
constexpr int kMaxSide = 4096;
constexpr int kMaxKMax = 4096;

// A relative path made absolute against the project's folder, so a snapshot of the project in
// a run folder (another folder) still points at the same file.
std::string resolvePath(const fs::path& folder, const fs::path& path) {
    if (folder.empty() || path.is_absolute())
        return path.string();
    return (folder / path).lexically_normal().string();
}

template <class... P> Problem first(P&&... problems) {
    Problem result;
    // Left to right: the first problem in key order is reported.
    ((result = result ? result : std::forward<P>(problems)), ...);
    return result;
}
} // namespace

const std::vector<std::string>& optimizerNames() {
    static const std::vector<std::string> names{"sgd", "lars", "adamw"};
    return names;
}
const std::vector<std::string>& sourceNames() {
    static const std::vector<std::string> names{"augment", "gps", "semantic", "synthetic"};
    return names;
}
const std::vector<std::string>& deviceNames() {
    static const std::vector<std::string> names{"auto", "cpu", "cuda"};
    return names;
}

Problem readDataset(const json& root, const fs::path& folder, DatasetSection& out) {
    Fields f(nullptr, "dataset");
    if (Problem problem = Fields::section(
            root, "dataset", {"path", "split", "test_split", "limit", "test_limit", "image_size"},
            f))
        return problem;
    if (Problem problem = first(f.text("path", false, out.path), f.text("split", false, out.split),
                                f.text("test_split", true, out.testSplit),
                                f.size("limit", out.limit), f.size("test_limit", out.testLimit),
                                f.integer("image_size", 0, kMaxSide, out.imageSize)))
        return problem;
    if (out.path != kDefaultDataset)
        out.path = resolvePath(folder, out.path);
    return {};
}

Problem readPrior(const json& root, const fs::path& folder, PriorSection& out) {
    Fields f(nullptr, "prior");
    if (Problem problem = Fields::section(root, "prior",
                                          {"spec", "standardize", "epochs", "seed", "batch_size",
                                           "input_size", "input_channels", "mean", "std"},
                                          f))
        return problem;
    priors::PriorOptions& o = out.options;
    const auto any = [](double) { return true; };
    const auto above0 = [](double v) { return v > 0; };
    if (Problem problem =
            first(f.text("spec", false, out.spec), f.boolean("standardize", o.standardize),
                  f.integer("epochs", 1, kAny, o.epochs), f.seed("seed", o.seed),
                  f.integer("batch_size", 1, kAny, o.batchSize),
                  f.integer("input_size", 0, kMaxSide, o.inputSize),
                  f.integer("input_channels", 0, 3, o.inputChannels),
                  f.floats("mean", "numbers", any, o.mean),
                  f.floats("std", "numbers > 0", above0, o.std)))
        return problem;
    if (o.inputChannels == 2)
        return invalid("prior.input_channels", "must be 0, 1 or 3, got 2");
    auto spec = priors::parsePriorSpec(out.spec);
    if (!spec)
        return invalid("prior.spec", spec.error().message);
    using priors::PriorKind;
    const bool hasPath = spec->kind == PriorKind::TorchScript || spec->kind == PriorKind::Npy ||
                         spec->kind == PriorKind::Run;
    if (hasPath && spec->path.is_relative() && !folder.empty()) {
        const std::string prefix = spec->canonical.substr(0, spec->canonical.find(':'));
        spec = priors::parsePriorSpec(prefix + ":" + resolvePath(folder, spec->path));
        if (!spec)
            return invalid("prior.spec", spec.error().message);
    }
    out.spec = spec->canonical;
    return {};
}

Problem readNeighbors(const json& root, NeighborSection& out) {
    Fields f(nullptr, "neighbors");
    if (Problem problem = Fields::section(
            root, "neighbors", {"k_max", "k", "tau", "rule", "metric", "include_anchor"}, f))
        return problem;
    int rule = int(out.rule), metric = int(out.metric);
    if (Problem problem =
            first(f.integer("k_max", 1, kMaxKMax, out.kMax), f.integer("k", 1, kMaxKMax, out.k)))
        return problem;
    if (out.k > out.kMax)
        return invalid("neighbors.k", "must be ≤ neighbors.k_max (" + std::to_string(out.kMax) +
                                          "), got " + std::to_string(out.k));
    if (f.has("tau")) {
        const json& tau = f.at("tau");
        if (tau.is_null()) {
            out.tau.reset(), out.tauAuto = false;
        } else if (tau == "auto") {
            out.tau.reset(), out.tauAuto = true;
        } else if (tau.is_number() && tau.get<double>() >= 0 &&
                   tau.get<double>() <= std::numeric_limits<float>::max()) {
            out.tau = tau.get<float>(), out.tauAuto = false;
        } else {
            return invalid("neighbors.tau",
                           "must be a number ≥ 0, \"auto\" or null, got " + found(tau));
        }
    }
    if (Problem problem = first(f.choice("rule", neighbors::ruleNames(), rule),
                                f.choice("metric", neighbors::metricNames(), metric),
                                f.boolean("include_anchor", out.includeAnchor)))
        return problem;
    out.rule = neighbors::Rule(rule);
    out.metric = neighbors::Metric(metric);
    return {};
}

Problem readMethod(const json& root, MethodSection& out, const ssl::MethodInfo*& info) {
    json given = json::object();
    if (const auto it = root.find("method"); it != root.end()) {
        if (!it->is_object())
            return invalid("method", "must be an object, got " + found(*it));
        given = *it;
    }
    Fields f(&given, "method");
    if (Problem problem = f.text("name", false, out.name))
        return problem;
    info = ssl::findMethod(out.name);
    if (!info)
        return invalid("method.name",
                       "unknown '" + out.name + "' (expected " + ssl::methodNamesList() + ")");
    given.erase("name");
    auto hparams = ssl::resolveHParams(info->hparams, given, "method.");
    if (!hparams)
        return hparams.error();
    out.hparams = std::move(*hparams);
    return {};
}

Problem readPositives(const json& root, const ssl::MethodInfo& method, train::PositiveConfig& out) {
    Fields f(nullptr, "positives");
    if (Problem problem = Fields::section(
            root, "positives",
            {"source", "refresh_every", "synthetic_lambda", "synthetic_mix", "semantic_weight"}, f))
        return problem;
    // CLSP weighs its synthetic term 1.0 with SimCLR and 0.5 with MoCo.
    out.syntheticLambda = method.name == "mocov2" ? 0.5 : 1.0;
    int source = int(out.source);
    if (Problem problem = first(f.choice("source", sourceNames(), source),
                                f.integer("refresh_every", 0, kAny, out.refreshEvery),
                                f.nonNegative("synthetic_lambda", out.syntheticLambda),
                                f.numberInRange("synthetic_mix", 0, 1, out.syntheticMix),
                                f.nonNegative("semantic_weight", out.semanticWeight)))
        return problem;
    out.source = train::PositiveSource(source);
    return {};
}

Problem readAugment(const json& root, augment::AugmentSpec& out, std::string& preset) {
    const auto it = root.find("augment");
    if (it == root.end())
        return {};
    if (it->is_string()) {
        auto spec = augment::presetSpec(it->get<std::string>(), kPresetShape);
        if (!spec)
            return invalid("augment", spec.error().message);
        out = std::move(*spec);
        preset = it->get<std::string>();
        return {};
    }
    if (!it->is_object())
        return invalid("augment", "must be a preset name (" + joinChoices(augment::presetNames()) +
                                      ") or an augmentation spec object, got " + found(*it));
    auto spec = augment::parseAugmentSpec(it->dump());
    if (!spec)
        return makeError(spec.error().code, "augment." + spec.error().message);
    out = std::move(*spec);
    preset.clear();
    return {};
}

Problem readBackbone(const json& root, models::BackboneConfig& out) {
    Fields f(nullptr, "backbone");
    if (Problem problem = Fields::section(root, "backbone", {"name", "width"}, f))
        return problem;
    const std::vector<std::string> names = models::backboneNames();
    int index = -1;
    if (Problem problem =
            first(f.choice("name", names, index), f.integer("width", 0, kMaxSide, out.width)))
        return problem;
    if (index >= 0)
        out.name = names[std::size_t(index)];
    return {};
}

Problem readTrain(const json& root, const ssl::MethodInfo& method, train::TrainConfig& out) {
    Fields f(nullptr, "train");
    if (Problem problem = Fields::section(root, "train",
                                          {"epochs",
                                           "batch_size",
                                           "seed",
                                           "optimizer",
                                           "lr",
                                           "weight_decay",
                                           "momentum",
                                           "lars_eta",
                                           "lars_clip_lr",
                                           "exclude_bias_and_norm",
                                           "betas",
                                           "warmup_epochs",
                                           "min_lr_factor",
                                           "device",
                                           "mixed_precision",
                                           "checkpoint_every",
                                           "log_every",
                                           "prefetch_batches",
                                           "data_threads",
                                           "online_probe_lr"},
                                          f))
        return problem;
    train::OptimizerConfig& opt = out.optimizer;
    const auto& optimizers = optimizerNames();
    const auto recipe = std::find(optimizers.begin(), optimizers.end(), method.defaultOptimizer);
    GPS_CHECK(recipe != optimizers.end(), "method " << method.name << ": unknown default optimizer "
                                                    << method.defaultOptimizer);
    int optimizer = int(recipe - optimizers.begin());
    opt.lr = method.defaultLr;
    opt.weightDecay = method.defaultWeightDecay;
    int device = 0;
    const auto deviceIt = std::find(deviceNames().begin(), deviceNames().end(), out.device);
    if (deviceIt != deviceNames().end())
        device = int(deviceIt - deviceNames().begin());
    const auto unit = [](double v) { return v >= 0 && v < 1; };
    if (Problem problem =
            first(f.integer("epochs", 1, kAny, out.epochs),
                  f.integer("batch_size", 2, kAny, out.batchSize), f.seed("seed", out.seed),
                  f.choice("optimizer", optimizers, optimizer), f.positive("lr", opt.lr),
                  f.nonNegative("weight_decay", opt.weightDecay),
                  f.number("momentum", "in [0, 1)", unit, opt.momentum),
                  f.positive("lars_eta", opt.larsEta), f.boolean("lars_clip_lr", opt.larsClipLr),
                  f.boolean("exclude_bias_and_norm", opt.excludeBiasAndNorm)))
        return problem;
    if (f.has("betas")) {
        const json& value = f.at("betas");
        const bool good = value.is_array() && value.size() == 2 && value[0].is_number() &&
                          value[1].is_number() && unit(value[0].get<double>()) &&
                          unit(value[1].get<double>());
        if (!good)
            return invalid("train.betas",
                           "must be [b1, b2] with each in [0, 1), got " + found(value));
        opt.betas[0] = value[0].get<double>();
        opt.betas[1] = value[1].get<double>();
    }
    if (Problem problem = first(f.nonNegative("warmup_epochs", out.schedule.warmupEpochs),
                                f.numberInRange("min_lr_factor", 0, 1, out.schedule.minLrFactor),
                                f.choice("device", deviceNames(), device),
                                f.boolean("mixed_precision", out.mixedPrecision),
                                f.integer("checkpoint_every", 0, kAny, out.checkpointEvery),
                                f.integer("log_every", 0, kAny, out.logEvery),
                                f.integer("prefetch_batches", 1, 64, out.prefetchBatches),
                                f.integer("data_threads", 0, 1024, out.dataThreads),
                                f.positive("online_probe_lr", out.onlineProbeLr)))
        return problem;
    opt.kind = train::OptimizerKind(optimizer);
    out.device = deviceNames()[std::size_t(device)];
    return {};
}

Problem readEval(const json& root, EvalSection& out) {
    Fields f(nullptr, "eval");
    if (Problem problem = Fields::section(
            root, "eval", {"every", "knn_k", "knn_temperature", "probe_epochs", "prior_baseline"},
            f))
        return problem;
    return first(f.integer("every", 0, kAny, out.every), f.integer("knn_k", 1, 10000, out.knnK),
                 f.positive("knn_temperature", out.knnTemperature),
                 f.integer("probe_epochs", 1, kAny, out.probeEpochs),
                 f.boolean("prior_baseline", out.priorBaseline));
}

} // namespace gps::project::detail
