#include "train/session_positives.h"

#include "eval/features.h"
#include "neighbors/knn_graph.h"
#include "priors/vae.h"

#include <sstream>

namespace gps::train {

namespace {

neighbors::KnnOptions knnOptions(const project::NeighborSection& section) {
    neighbors::KnnOptions options;
    options.kMax = section.kMax;
    options.metric = section.metric;
    return options;
}

std::string describeSampler(const neighbors::PositiveSampler& sampler) {
    std::ostringstream text;
    const auto& options = sampler.options();
    text << "positives: ";
    if (options.tau)
        text << "tau " << *options.tau;
    else
        text << "k " << options.k;
    text << ", " << sampler.meanCandidates() << " candidates per anchor on average, "
         << sampler.anchorsWithNone() << " anchors with none (they use themselves), "
         << sampler.truncatedCount() << " truncated at k_max";
    return text.str();
}

} // namespace

Result<neighbors::SamplerOptions> samplerOptionsFor(const project::NeighborSection& section,
                                                    const neighbors::KnnGraph& graph) {
    neighbors::SamplerOptions options;
    options.rule = section.rule;
    options.includeAnchor = section.includeAnchor;
    if (section.tauAuto)
        options.tau = static_cast<float>(neighbors::suggestTau(graph));
    else if (section.tau)
        options.tau = section.tau;
    else
        options.k = std::min(section.k, graph.k);
    if (auto checked = neighbors::checkSamplerOptions(graph, options); !checked)
        return makeError(ErrorCode::InvalidInput, "neighbors: " + checked.error().message);
    return options;
}

Result<SessionPositives> preparePositives(const project::Project& project,
                                          const data::Dataset& train,
                                          const priors::CacheOptions& cache,
                                          const ProgressFn& progress) {
    SessionPositives out;
    if (project.positives.source == PositiveSource::Augment)
        return out;
    const auto& spec = project.prior.spec;
    const bool synthetic = project.positives.source == PositiveSource::Synthetic;
    // Embedding, graph, and for synthetic the VAE's fit: one third of the bar each.
    const double embedEnd = synthetic ? 0.5 : 0.7;
    priors::EmbedReport report;
    auto embedding = priors::computeEmbedding(
        train, train, spec, project.prior.options, cache,
        [&](double f, std::string_view m) { return reportProgress(progress, f * embedEnd, m); },
        &report);
    if (!embedding)
        return embedding.error();
    out.warnings.insert(out.warnings.end(), report.warnings.begin(), report.warnings.end());
    out.messages.push_back("prior " + report.spec + ": " + std::to_string(embedding->rows) + " × " +
                           std::to_string(embedding->dim) +
                           (report.hit ? " (from the cache)" : " (computed)"));
    auto graph = neighbors::buildKnnGraph(
        embedding->values.data(), embedding->rows, embedding->dim, knnOptions(project.neighbors),
        [&](double f, std::string_view m) {
            return reportProgress(progress, embedEnd + f * (0.9 - embedEnd), m);
        });
    if (!graph)
        return graph.error();
    out.messages.push_back("kNN graph: k_max " + std::to_string(graph->k) + ", " +
                           graph->indexDescription);
    auto options = samplerOptionsFor(project.neighbors, *graph);
    if (!options)
        return options.error();
    auto sampler = std::make_shared<neighbors::PositiveSampler>(
        std::make_shared<const neighbors::KnnGraph>(std::move(*graph)), *options);
    out.messages.push_back(describeSampler(*sampler));
    out.sampler = std::move(sampler);
    out.trainEmbedding = std::make_shared<const priors::Embedding>(std::move(*embedding));

    if (synthetic) {
        auto prior = priors::fitPrior(
            train, spec, project.prior.options, cache,
            [&](double f, std::string_view m) { return reportProgress(progress, 0.9 + 0.1 * f, m); },
            &report);
        if (!prior)
            return prior.error();
        std::shared_ptr<priors::Embedder> shared(std::move(*prior));
        auto vae = std::dynamic_pointer_cast<const priors::VaePrior>(
            std::shared_ptr<const priors::Embedder>(shared));
        if (!vae)
            return makeError(ErrorCode::InvalidInput,
                             "positives.source: synthetic needs a vae:D prior, got " + spec);
        out.vae = std::move(vae);
    }
    return out;
}

decltype(TrainerInputs::refreshSampler) makeRefreshHook(const project::Project& project,
                                                        data::DatasetPtr train,
                                                        const augment::AugmentSpec& augment,
                                                        int viewSize) {
    project::NeighborSection section = project.neighbors;
    if (section.tau) {
        section.tau.reset();
        section.tauAuto = true;
    }
    return [section, train = std::move(train), normalize = augment.normalize, viewSize](
               models::BackboneImpl& backbone,
               const ProgressFn& progress) -> Result<std::shared_ptr<const neighbors::PositiveSampler>> {
        eval::FeatureOptions options;
        options.viewSize = viewSize;
        options.normalize = normalize;
        options.device = backbone.parameters().empty() ? torch::Device(torch::kCPU)
                                                       : backbone.parameters().front().device();
        auto features = eval::extractFeatures(
            backbone, *train, options,
            [&](double f, std::string_view m) { return reportProgress(progress, 0.5 * f, m); });
        if (!features)
            return features.error();
        const at::Tensor rows = features->contiguous();
        auto graph = neighbors::buildKnnGraph(
            rows.data_ptr<float>(), rows.size(0), rows.size(1), knnOptions(section),
            [&](double f, std::string_view m) { return reportProgress(progress, 0.5 + 0.5 * f, m); });
        if (!graph)
            return graph.error();
        auto options2 = samplerOptionsFor(section, *graph);
        if (!options2)
            return options2.error();
        return std::shared_ptr<const neighbors::PositiveSampler>(
            std::make_shared<neighbors::PositiveSampler>(
                std::make_shared<const neighbors::KnnGraph>(std::move(*graph)), *options2));
    };
}

} // namespace gps::train
