// gps-studio-cli neighbors: embed a split with a prior, build the kNN graph, turn τ (or k) into
// positives and report how good they are; optionally export the graph and draw one anchor.
#include "cli/command.h"
#include "cli/contact_sheet.h"
#include "cli/dataset_options.h"
#include "cli/prior_options.h"
#include "common/file_io.h"
#include "neighbors/knn_graph.h"
#include "neighbors/neighbor_stats.h"
#include "neighbors/positive_sampler.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace gps::cli {

namespace {

using neighbors::Metric;
using neighbors::Rule;

// The index in `names` of OPTION's value (the first name when it is absent): "--rule: expected
// uniform or farthest, got 'far'" otherwise.
Result<int> nameIndex(const Args& args, const std::string& option,
                      const std::vector<std::string>& names) {
    const std::string value = args.optionOr(option, names.front());
    const auto found = std::find(names.begin(), names.end(), value);
    if (found != names.end())
        return int(found - names.begin());
    std::string expected;
    for (std::size_t i = 0; i < names.size(); ++i)
        expected += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return makeError(ErrorCode::InvalidInput,
                     option + ": expected " + expected + ", got '" + value + "'");
}

Result<neighbors::KnnOptions> knnOptions(const Args& args) {
    neighbors::KnnOptions options;
    const auto kMax = args.integer("--k-max", options.kMax, 1, 4096);
    if (!kMax)
        return kMax.error();
    options.kMax = static_cast<int>(*kMax);
    const auto metric = nameIndex(args, "--metric", neighbors::metricNames());
    if (!metric)
        return metric.error();
    options.metric = Metric(*metric);
    const std::string index = args.optionOr("--index", "auto");
    static const std::map<std::string, neighbors::IndexKind> kinds = {
        {"auto", neighbors::IndexKind::Auto},
        {"flat", neighbors::IndexKind::Flat},
        {"ivf", neighbors::IndexKind::Ivf},
        {"hnsw", neighbors::IndexKind::Hnsw}};
    if (!kinds.count(index))
        return makeError(ErrorCode::InvalidInput,
                         "--index: expected auto, flat, ivf or hnsw, got '" + index + "'");
    options.index = kinds.at(index);
    return options;
}

/// --k K or --tau T|auto (not both; neither = k-mode with k 1), --rule, --include-anchor.
Result<neighbors::SamplerOptions> samplerOptions(const Args& args, const neighbors::KnnGraph& graph,
                                                 double& suggestedTau) {
    neighbors::SamplerOptions options;
    suggestedTau = neighbors::suggestTau(graph);
    if (args.has("--k") && args.has("--tau"))
        return makeError(ErrorCode::InvalidInput, "give --k K or --tau T, not both");
    if (const auto tau = args.option("--tau")) {
        if (*tau == "auto") {
            options.tau = static_cast<float>(suggestedTau);
        } else {
            const auto value = args.number("--tau", 0, 0, 1e30);
            if (!value)
                return value.error();
            options.tau = static_cast<float>(*value);
        }
    }
    const auto k = args.integer("--k", 1, 1, graph.k);
    if (!k)
        return k.error();
    options.k = static_cast<int>(*k);
    const auto rule = nameIndex(args, "--rule", neighbors::ruleNames());
    if (!rule)
        return rule.error();
    options.rule = Rule(*rule);
    options.includeAnchor = args.flag("--include-anchor");
    const auto valid = neighbors::checkSamplerOptions(graph, options);
    if (!valid)
        return valid.error();
    return options;
}

std::vector<int> labelsOf(const data::Dataset& dataset) {
    std::vector<int> labels;
    if (dataset.labelled())
        for (std::size_t i = 0; i < dataset.size(); ++i)
            labels.push_back(dataset.label(i));
    return labels;
}

/// The anchor, then its candidates (at most 23) captioned with their distance; a candidate of
/// another class is marked.
Status drawAnchor(const data::Dataset& dataset, const neighbors::PositiveSampler& sampler,
                  std::int64_t anchor, const std::string& out) {
    std::vector<SheetCell> cells;
    cells.push_back({dataset.image(static_cast<std::size_t>(anchor)),
                     imageCaption(dataset, static_cast<std::size_t>(anchor)), false});
    const auto candidates = sampler.candidates(anchor);
    const auto distances = sampler.graph().distancesOf(anchor);
    for (std::size_t j = 0; j < candidates.size() && j < 23; ++j) {
        char caption[64];
        std::snprintf(caption, sizeof caption, "d=%.4g", static_cast<double>(distances[j]));
        const bool otherClass =
            dataset.labelled() && dataset.label(static_cast<std::size_t>(candidates[j])) !=
                                      dataset.label(static_cast<std::size_t>(anchor));
        cells.push_back(
            {dataset.image(static_cast<std::size_t>(candidates[j])), caption, otherClass});
    }
    return writePng(out, renderContactSheet(cells, {96, 8}));
}

nlohmann::json optionalNumber(const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace

CommandResult neighborsCommand(const Words& words) {
    auto optionNames = kDatasetOptions;
    optionNames.insert(kPriorOptions.begin(), kPriorOptions.end());
    optionNames.insert({"--k-max", "--k", "--tau", "--rule", "--metric", "--index", "--save-knn",
                        "--show", "--out"});
    auto flags = kPriorFlags;
    flags.insert({"--json", "--include-anchor"});
    const auto args = Args::parse(words, {"neighbors", optionNames, flags, {}});
    if (!args)
        return args.error();
    const auto datasetName = datasetArgument(*args, "neighbors");
    const auto openOptions = datasetOptions(*args);
    const auto knn = knnOptions(*args);
    if (!datasetName)
        return datasetName.error();
    if (!openOptions)
        return openOptions.error();
    if (!knn)
        return knn.error();
    if (args->has("--show") != args->has("--out"))
        return makeError(ErrorCode::InvalidInput, "--show I and --out FILE.png go together");
    if (const auto out = args->option("--out"))
        if (auto target = resolveWriteTarget(*out); !target)
            return target.error();

    auto inputs = priorInputsFromArgs(*args, *datasetName, *openOptions);
    if (!inputs)
        return inputs.error();
    inputs->request.recipe.knn = *knn;
    const std::string label = "embed " + inputs->request.recipe.priorSpec + ", knn graph";
    auto built =
        session::buildPriorGraph(inputs->request, [&label](double fraction, std::string_view) {
            printProgress(label, fraction);
            return true;
        });
    if (!built)
        return withCheckHint(built.error(), inputs->request, *datasetName);
    const data::Dataset& dataset = *built->dataset;
    const auto& graph = built->graph;
    std::vector<std::string> warnings = inputs->warnings;
    warnings.insert(warnings.end(), built->embedReport.warnings.begin(),
                    built->embedReport.warnings.end());

    double suggestedTau = 0;
    const auto sampling = samplerOptions(*args, *graph, suggestedTau);
    if (!sampling)
        return sampling.error();
    const neighbors::PositiveSampler sampler(graph, *sampling);
    const auto labels = labelsOf(dataset);
    const auto stats = neighbors::computeNeighborStats(*graph, sampler, labels);

    if (const auto prefix = args->option("--save-knn")) {
        const auto saved = neighbors::saveKnnGraph(*graph, *prefix);
        if (!saved)
            return saved.error();
    }
    if (const auto show = args->option("--show")) {
        const auto anchor = args->integer("--show", 0, 0, graph->rows - 1);
        if (!anchor)
            return anchor.error();
        const auto drawn = drawAnchor(dataset, sampler, *anchor, *args->option("--out"));
        if (!drawn)
            return drawn.error();
    }

    const auto& options = sampler.options();
    nlohmann::json json = {
        {"n", graph->rows},
        {"dim", built->embedding->dim},
        {"prior", built->recipe.priorSpec},
        {"split", dataset.split()},
        {"k_max", graph->k},
        {"k", options.tau ? nlohmann::json(nullptr) : nlohmann::json(options.k)},
        {"tau", options.tau ? nlohmann::json(*options.tau) : nlohmann::json(nullptr)},
        {"tau_suggested", suggestedTau},
        {"rule", neighbors::ruleName(options.rule)},
        {"metric", neighbors::metricName(knn->metric)},
        {"include_anchor", options.includeAnchor},
        {"index", graph->indexDescription},
        {"purity_at_1", optionalNumber(stats.purityAtOne)},
        {"candidates_mean", stats.meanCandidates},
        {"candidates_purity", optionalNumber(stats.candidatePurity)},
        {"no_candidate_fraction", stats.shareWithNone},
        {"truncated_fraction", stats.shareTruncated},
        {"seconds_embed", built->embedReport.seconds},
        {"embed_cache_hit", built->embedReport.hit},
        {"seconds_knn", built->knnSeconds},
        {"warnings", warnings}};
    if (args->flag("--json")) {
        printJson(json);
        return kExitOk;
    }
    std::cout << "neighbours of " << graph->rows << " images (" << dataset.split() << ") in "
              << json["prior"].get<std::string>() << " (" << built->embedding->dim << "-d, "
              << json["metric"].get<std::string>() << "), " << graph->indexDescription << "\n";
    for (const char* key : {"k_max", "k", "tau", "tau_suggested", "rule", "purity_at_1",
                            "candidates_mean", "candidates_purity", "no_candidate_fraction",
                            "truncated_fraction", "seconds_embed", "seconds_knn"})
        std::cout << "  " << key << ": " << json[key].dump() << '\n';
    for (const auto& warning : warnings)
        std::cout << "warning: " << warning << '\n';
    return kExitOk;
}

} // namespace gps::cli
