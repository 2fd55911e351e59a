#include "session/prior_graph.h"

#include "common/check.h"
#include "priors/registry.h"
#include "project/project.h"

#include <chrono>

namespace gps::session {

namespace {

constexpr double kEmbedShare = 0.7; // of the progress; the graph takes the rest

ProgressFn scaled(const ProgressFn& progress, double from, double to) {
    return [progress, from, to](double fraction, std::string_view message) {
        return reportProgress(progress, from + (to - from) * fraction, message);
    };
}

Error prefixed(const Error& error, const std::string& step) {
    if (error.code == ErrorCode::Cancelled)
        return error;
    return Error{error.code, step + ": " + error.message};
}

// The spec as the cache and the project write it, so that " PCA:064 " and "pca:64" are one
// recipe; a spec that does not parse stays as it is (and matches nothing built).
std::string canonicalSpec(const std::string& spec) {
    auto parsed = priors::parsePriorSpec(spec);
    return parsed ? parsed->canonical : spec;
}

} // namespace

GraphRecipe graphRecipe(const project::Project& project) {
    GraphRecipe recipe;
    recipe.priorSpec = project.prior.spec;
    recipe.priorOptions = project.prior.options;
    recipe.knn.kMax = project.neighbors.kMax;
    recipe.knn.metric = project.neighbors.metric;
    return recipe;
}

bool PriorGraph::madeWith(const GraphRecipe& other) const {
    GraphRecipe wanted = other;
    wanted.priorSpec = canonicalSpec(other.priorSpec);
    return wanted == recipe;
}

bool PriorGraph::builtFrom(const std::string& fingerprint, const GraphRecipe& other) const {
    return fingerprint == datasetFingerprint && madeWith(other);
}

Result<PriorGraph> buildPriorGraph(const PriorGraphRequest& request, const ProgressFn& progress) {
    GPS_CHECK(request.dataset != nullptr, "buildPriorGraph: no dataset");
    const data::Dataset& dataset = *request.dataset;
    const data::Dataset& fitOn = request.fitOn ? *request.fitOn : dataset;
    PriorGraph out;
    out.dataset = request.dataset;
    out.recipe = request.recipe;
    auto embedding = priors::computeEmbedding(fitOn, dataset, request.recipe.priorSpec,
                                              request.recipe.priorOptions, request.cache,
                                              scaled(progress, 0.0, kEmbedShare), &out.embedReport);
    if (!embedding)
        return prefixed(embedding.error(), "embedding");
    out.recipe.priorSpec = out.embedReport.spec;
    const auto start = std::chrono::steady_clock::now();
    auto graph = neighbors::buildKnnGraph(embedding->values.data(), embedding->rows, embedding->dim,
                                          request.recipe.knn, scaled(progress, kEmbedShare, 1.0));
    if (!graph)
        return prefixed(graph.error(), "neighbour search");
    out.knnSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.datasetFingerprint = priors::datasetFingerprint(dataset);
    out.embedding = std::make_shared<const priors::Embedding>(std::move(*embedding));
    out.graph = std::make_shared<const neighbors::KnnGraph>(std::move(*graph));
    return out;
}

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

Result<std::shared_ptr<const neighbors::PositiveSampler>>
makeSampler(std::shared_ptr<const neighbors::KnnGraph> graph,
            const project::NeighborSection& section) {
    GPS_CHECK(graph != nullptr, "makeSampler: no graph");
    auto options = samplerOptionsFor(section, *graph);
    if (!options)
        return options.error();
    return std::shared_ptr<const neighbors::PositiveSampler>(
        std::make_shared<neighbors::PositiveSampler>(std::move(graph), *options));
}

} // namespace gps::session
