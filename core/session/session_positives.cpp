#include "session/session_positives.h"

#include "eval/features.h"
#include "neighbors/knn_graph.h"
#include "priors/vae.h"

#include <sstream>

namespace gps::session {

namespace {

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

// Why a graph handed to the run does not fit it, for the log; "" when it fits.
std::string mismatch(const PriorGraph& given, const std::string& fingerprint,
                     const data::Dataset& train, const GraphRecipe& recipe) {
    if (given.builtFrom(fingerprint, recipe))
        return {};
    if (given.datasetFingerprint != fingerprint)
        return "it was built on " + std::to_string(given.dataset->size()) + " images of " +
               given.dataset->split() + ", this run trains on " + std::to_string(train.size()) +
               " images of " + train.split() +
               (given.dataset->size() == train.size() ? " with other pixels or labels" : "");
    if (given.recipe.priorSpec != recipe.priorSpec && given.recipe.knn == recipe.knn)
        return "it was built with the prior " + given.recipe.priorSpec + ", this run uses " +
               recipe.priorSpec;
    if (given.recipe.knn != recipe.knn)
        return "it was built with k_max " + std::to_string(given.recipe.knn.kMax) + " (" +
               neighbors::metricName(given.recipe.knn.metric) + "), this run asks for k_max " +
               std::to_string(recipe.knn.kMax) + " (" + neighbors::metricName(recipe.knn.metric) +
               ")";
    return "it was built with other prior options";
}

} // namespace

Result<SessionPositives> preparePositives(const project::Project& project,
                                          const data::DatasetPtr& train,
                                          const priors::CacheOptions& cache,
                                          const PriorGraphPtr& given, const ProgressFn& progress) {
    SessionPositives out;
    if (project.positives.source == train::PositiveSource::Augment)
        return out;
    const bool synthetic = project.positives.source == train::PositiveSource::Synthetic;
    const GraphRecipe recipe = graphRecipe(project);
    PriorGraphPtr graph;
    if (given) {
        const std::string fingerprint = priors::datasetFingerprint(*train);
        if (const std::string why = mismatch(*given, fingerprint, *train, recipe); why.empty()) {
            graph = given;
            out.messages.push_back("kNN graph: the one given to the run (" +
                                   std::to_string(graph->graph->rows) + " rows, prior " +
                                   graph->recipe.priorSpec + "), not built again");
        } else {
            out.messages.push_back("kNN graph: building a new one; the graph given to the run "
                                   "does not fit: " +
                                   why);
        }
    }
    if (!graph) {
        // The graph takes 90 % of the bar with the synthetic source's VAE fit after it.
        auto built = buildPriorGraph(
            PriorGraphRequest{.dataset = train, .fitOn = nullptr, .recipe = recipe, .cache = cache},
            [&](double f, std::string_view m) { return reportProgress(progress, f * 0.9, m); });
        if (!built)
            return built.error();
        graph = std::make_shared<const PriorGraph>(std::move(*built));
        const auto& report = graph->embedReport;
        out.warnings.insert(out.warnings.end(), report.warnings.begin(), report.warnings.end());
        out.messages.push_back("prior " + report.spec + ": " +
                               std::to_string(graph->embedding->rows) + " × " +
                               std::to_string(graph->embedding->dim) +
                               (report.hit ? " (from the cache)" : " (computed)"));
        out.messages.push_back("kNN graph: k_max " + std::to_string(graph->graph->k) + ", " +
                               graph->graph->indexDescription);
    }
    auto sampler = makeSampler(graph->graph, project.neighbors);
    if (!sampler)
        return sampler.error();
    out.messages.push_back(describeSampler(**sampler));
    out.sampler = std::move(*sampler);
    out.trainEmbedding = graph->embedding;
    out.graph = graph;

    if (synthetic) {
        priors::EmbedReport report;
        auto prior = priors::fitPrior(
            *train, project.prior.spec, project.prior.options, cache,
            [&](double f, std::string_view m) {
                return reportProgress(progress, 0.9 + 0.1 * f, m);
            },
            &report);
        if (!prior)
            return prior.error();
        std::shared_ptr<priors::Embedder> shared(std::move(*prior));
        auto vae = std::dynamic_pointer_cast<const priors::VaePrior>(
            std::shared_ptr<const priors::Embedder>(shared));
        if (!vae)
            return makeError(ErrorCode::InvalidInput, "positives.source: synthetic needs a vae:D "
                                                      "prior, got " +
                                                          project.prior.spec);
        out.vae = std::move(vae);
    }
    return out;
}

decltype(train::TrainerInputs::refreshSampler) makeRefreshHook(const project::Project& project,
                                                               data::DatasetPtr train,
                                                               const augment::AugmentSpec& augment,
                                                               int viewSize) {
    project::NeighborSection section = project.neighbors;
    if (section.tau) {
        section.tau.reset();
        section.tauAuto = true;
    }
    return [section, knn = graphRecipe(project).knn, train = std::move(train),
            normalize = augment.normalize,
            viewSize](models::BackboneImpl& backbone, const ProgressFn& progress)
               -> Result<std::shared_ptr<const neighbors::PositiveSampler>> {
        eval::FeatureOptions options;
        options.viewSize = viewSize;
        options.normalize = normalize;
        options.device = backbone.parameters().empty() ? torch::Device(torch::kCPU)
                                                       : backbone.parameters().front().device();
        auto features =
            eval::extractFeatures(backbone, *train, options, [&](double f, std::string_view m) {
                return reportProgress(progress, 0.5 * f, m);
            });
        if (!features)
            return features.error();
        const at::Tensor rows = features->contiguous();
        auto graph = neighbors::buildKnnGraph(rows.data_ptr<float>(), rows.size(0), rows.size(1),
                                              knn, [&](double f, std::string_view m) {
                                                  return reportProgress(progress, 0.5 + 0.5 * f, m);
                                              });
        if (!graph)
            return graph.error();
        return makeSampler(std::make_shared<const neighbors::KnnGraph>(std::move(*graph)), section);
    };
}

} // namespace gps::session
