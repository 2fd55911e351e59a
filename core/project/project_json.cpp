#include "project/project.h"

#include "common/file_io.h"
#include "project/project_sections.h"

#include <cmath>

namespace gps::project {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;
using namespace detail;

namespace {

ojson floatsForJson(const std::vector<float>& values) {
    ojson array = ojson::array();
    for (float v : values)
        array.push_back(floatForJson(v));
    return array;
}

ojson methodToJson(const MethodSection& method) {
    ojson out{{"name", method.name}};
    const ssl::MethodInfo* info = ssl::findMethod(method.name);
    for (const auto& [name, value] : method.hparams) {
        const ssl::HParamSpec* spec = nullptr;
        if (info)
            for (const ssl::HParamSpec& s : info->hparams)
                if (s.name == name)
                    spec = &s;
        if (spec && spec->type == ssl::HParamType::Int)
            out[name] = static_cast<std::int64_t>(std::llround(value));
        else if (spec && spec->type == ssl::HParamType::Bool)
            out[name] = value != 0;
        else
            out[name] = value;
    }
    return out;
}

ojson trainToJson(const train::TrainConfig& t) {
    const train::OptimizerConfig& o = t.optimizer;
    return ojson{{"epochs", t.epochs},
                 {"batch_size", t.batchSize},
                 {"seed", t.seed},
                 {"optimizer", optimizerNames().at(std::size_t(o.kind))},
                 {"lr", o.lr},
                 {"weight_decay", o.weightDecay},
                 {"momentum", o.momentum},
                 {"lars_eta", o.larsEta},
                 {"lars_clip_lr", o.larsClipLr},
                 {"exclude_bias_and_norm", o.excludeBiasAndNorm},
                 {"betas", {o.betas[0], o.betas[1]}},
                 {"warmup_epochs", t.schedule.warmupEpochs},
                 {"min_lr_factor", t.schedule.minLrFactor},
                 {"device", t.device},
                 {"mixed_precision", t.mixedPrecision},
                 {"checkpoint_every", t.checkpointEvery},
                 {"log_every", t.logEvery},
                 {"prefetch_batches", t.prefetchBatches},
                 {"data_threads", t.dataThreads},
                 {"online_probe_lr", t.onlineProbeLr}};
}

// In the key order of project.h's comment, for files people read.
ojson orderedDocument(const Project& p) {
    const priors::PriorOptions& po = p.prior.options;
    const NeighborSection& n = p.neighbors;
    ojson tau = nullptr;
    if (n.tauAuto)
        tau = "auto";
    else if (n.tau)
        tau = floatForJson(*n.tau);
    ojson root;
    root["version"] = p.version;
    root["name"] = p.name;
    root["description"] = p.description;
    root["dataset"] = {{"path", p.dataset.path},
                       {"split", p.dataset.split},
                       {"test_split", p.dataset.testSplit},
                       {"limit", p.dataset.limit},
                       {"test_limit", p.dataset.testLimit},
                       {"image_size", p.dataset.imageSize}};
    root["prior"] = {{"spec", p.prior.spec},
                     {"standardize", po.standardize},
                     {"epochs", po.epochs},
                     {"seed", po.seed},
                     {"batch_size", po.batchSize},
                     {"input_size", po.inputSize},
                     {"input_channels", po.inputChannels},
                     {"mean", floatsForJson(po.mean)},
                     {"std", floatsForJson(po.std)}};
    root["neighbors"] = {{"k_max", n.kMax},
                         {"k", n.k},
                         {"tau", tau},
                         {"rule", neighbors::ruleName(n.rule)},
                         {"metric", neighbors::metricName(n.metric)},
                         {"include_anchor", n.includeAnchor}};
    root["positives"] = {{"source", sourceNames().at(std::size_t(p.positives.source))},
                         {"refresh_every", p.positives.refreshEvery},
                         {"synthetic_lambda", p.positives.syntheticLambda},
                         {"synthetic_mix", p.positives.syntheticMix},
                         {"semantic_weight", p.positives.semanticWeight}};
    root["augment"] = p.augmentPreset.empty() ? ojson::parse(augment::augmentSpecToJson(p.augment))
                                              : ojson(p.augmentPreset);
    root["backbone"] = {{"name", p.backbone.name}, {"width", p.backbone.width}};
    root["method"] = methodToJson(p.method);
    root["train"] = trainToJson(p.train);
    root["eval"] = {{"every", p.eval.every},
                    {"knn_k", p.eval.knnK},
                    {"knn_temperature", p.eval.knnTemperature},
                    {"probe_epochs", p.eval.probeEpochs},
                    {"prior_baseline", p.eval.priorBaseline}};
    return root;
}

} // namespace

nlohmann::json projectToJson(const Project& project) {
    // Doubles print as their shortest round-trip text, so this conversion loses nothing.
    return nlohmann::json::parse(orderedDocument(project).dump());
}

Status saveProject(const Project& project, const fs::path& file) {
    ojson document = orderedDocument(project);
    std::error_code ec;
    const fs::path folder = fs::absolute(file, ec).lexically_normal().parent_path();
    const fs::path dataset(project.dataset.path);
    if (!ec && dataset.is_absolute()) {
        const fs::path relative = dataset.lexically_relative(folder);
        // A folder named like the embedded dataset stays absolute, or it would read as the name.
        if (!relative.empty() && *relative.begin() != ".." && relative != kDefaultDataset)
            document["dataset"]["path"] = relative.generic_string();
    }
    return writeFileAtomic(file, document.dump(2) + "\n");
}

} // namespace gps::project
