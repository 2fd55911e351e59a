#include "bridge/neighbor_job.h"

#include "common/check.h"

#include <algorithm>
#include <cmath>

namespace gps::ui {

namespace {

constexpr double kTauPercentile = 0.99;

// The slider's end: a high percentile rather than the maximum, so one far outlier does not
// squeeze every useful τ into the first few slider steps.
float percentileOfListed(const neighbors::KnnGraph& graph, double q) {
    std::vector<float> listed;
    listed.reserve(graph.distances.size());
    for (const float d : graph.distances)
        if (std::isfinite(d))
            listed.push_back(d);
    if (listed.empty())
        return 0.0f;
    const auto nth = listed.begin() + std::ptrdiff_t(q * double(listed.size() - 1));
    std::nth_element(listed.begin(), nth, listed.end());
    return *nth;
}

} // namespace

NeighborGraphPtr makeNeighborGraph(data::DatasetPtr dataset,
                                   std::shared_ptr<const neighbors::KnnGraph> graph,
                                   std::vector<int> labels, const QString& spec,
                                   const neighbors::KnnOptions& knn, session::PriorGraphPtr built) {
    GPS_CHECK(dataset && graph, "makeNeighborGraph: dataset and graph are required");
    GPS_CHECK(std::size_t(graph->rows) == dataset->size(),
              "makeNeighborGraph: the graph's rows are not the dataset's images");
    if (labels.empty() && dataset->labelled()) {
        labels.resize(dataset->size());
        for (std::size_t i = 0; i < dataset->size(); ++i)
            labels[i] = dataset->label(i);
    }
    GPS_CHECK(labels.empty() || std::int64_t(labels.size()) == graph->rows,
              "makeNeighborGraph: one label per row");
    auto result = std::make_shared<NeighborGraph>();
    result->suggestedTau = float(neighbors::suggestTau(*graph));
    float tauMax = std::max(percentileOfListed(*graph, kTauPercentile), result->suggestedTau);
    result->tauMax = tauMax > 0.0f ? tauMax : 1.0f;
    std::vector<float> taus(kCurvePoints);
    for (int i = 0; i < kCurvePoints; ++i)
        taus[std::size_t(i)] = result->tauMax * float(i) / float(kCurvePoints - 1);
    result->curves = neighbors::tauCurves(*graph, labels, taus);
    result->kCurves = neighbors::kCurves(*graph, labels);
    result->dataset = std::move(dataset);
    result->graph = std::move(graph);
    result->labels = std::move(labels);
    result->spec = spec;
    result->knn = knn;
    result->built = std::move(built);
    return result;
}

NeighborGraphPtr makeNeighborGraph(const session::PriorGraphPtr& built) {
    GPS_CHECK(built != nullptr, "makeNeighborGraph: no graph");
    return makeNeighborGraph(built->dataset, built->graph, {},
                             QString::fromStdString(built->recipe.priorSpec), built->recipe.knn,
                             built);
}

Result<PriorOutcome> computeNeighborGraph(const PriorRequest& request, const ProgressFn& progress) {
    GPS_CHECK(request.dataset != nullptr, "computeNeighborGraph: no dataset");
    auto built = session::buildPriorGraph(
        session::PriorGraphRequest{
            .dataset = request.dataset, .fitOn = nullptr, .recipe = request.recipe, .cache = {}},
        progress);
    if (!built)
        return built.error();
    auto shared = std::make_shared<const session::PriorGraph>(std::move(*built));
    PriorOutcome outcome;
    outcome.knnSeconds = shared->knnSeconds;
    outcome.cacheHit = shared->embedReport.hit;
    outcome.embedSeconds = shared->embedReport.seconds;
    outcome.indexDescription = QString::fromStdString(shared->graph->indexDescription);
    for (const std::string& warning : shared->embedReport.warnings)
        outcome.warnings.push_back(QString::fromStdString(warning));
    outcome.graph = makeNeighborGraph(shared);
    return outcome;
}

NeighborStatsResult computeStatsFor(const NeighborGraphPtr& graph,
                                    const neighbors::SamplerOptions& options) {
    GPS_CHECK(graph != nullptr, "computeStatsFor: no graph");
    const neighbors::PositiveSampler sampler(graph->graph, options);
    NeighborStatsResult result;
    result.graph = graph;
    result.options = options;
    result.stats =
        neighbors::computeNeighborStats(*graph->graph, sampler, graph->labels, kHistogramBins);
    return result;
}

} // namespace gps::ui
