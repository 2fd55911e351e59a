#include "bridge/positive_pairs.h"

#include "augment/pipeline.h"
#include "common/check.h"
#include "common/rng.h"
#include "image_convert.h"

#include <algorithm>
#include <map>
#include <string>

namespace gps::ui {

Status checkPositivePairsRequest(const PositivePairsRequest& request) {
    if (!request.graph || !request.graph->graph || !request.graph->dataset)
        return makeError(ErrorCode::InvalidInput, "positive pairs: no neighbour graph");
    const neighbors::KnnGraph& graph = *request.graph->graph;
    if (request.anchor < 0 || request.anchor >= graph.rows)
        return makeError(ErrorCode::InvalidInput, "positive pairs: anchor must be a row in [0, " +
                                                      std::to_string(graph.rows) + "), got " +
                                                      std::to_string(request.anchor));
    if (request.pairCount < 1)
        return makeError(ErrorCode::InvalidInput, "positive pairs: pair count must be >= 1, got " +
                                                      std::to_string(request.pairCount));
    if (auto ok = neighbors::checkSamplerOptions(graph, request.options); !ok)
        return ok;
    return augment::validateAugmentSpec(request.spec);
}

PositivePairs makePositivePairs(const PositivePairsRequest& request, const CancelToken& cancel) {
    const auto ok = checkPositivePairsRequest(request);
    GPS_CHECK(ok.ok(), ok.error().message);
    const NeighborGraph& source = *request.graph;
    const data::Dataset& dataset = *source.dataset;
    const std::int64_t anchor = request.anchor;

    const neighbors::PositiveSampler sampler(source.graph, request.options);
    const augment::AugmentPipeline pipeline(request.spec, dataset.shape());
    const auto candidates = sampler.candidates(anchor);
    const auto distances = source.graph->distancesOf(anchor);
    const auto labelOf = [&](std::int64_t row) {
        return source.labels.empty() ? -1 : source.labels[std::size_t(row)];
    };

    PositivePairs result;
    result.anchor = anchor;
    result.candidateCount = sampler.candidateCount(anchor);
    result.seed = request.seed;
    std::map<std::int64_t, cv::Mat> decoded; // an x' drawn twice is read once
    const auto imageOf = [&](std::int64_t row) -> const cv::Mat& {
        auto it = decoded.find(row);
        if (it == decoded.end())
            it = decoded.emplace(row, dataset.image(std::size_t(row))).first;
        return it->second;
    };
    const cv::Mat& anchorImage = imageOf(anchor);

    for (int p = 0; p < request.pairCount && !cancel.cancelled(); ++p) {
        const auto pair = std::uint64_t(p);
        Rng draw(deriveSeed(request.seed, std::uint64_t(anchor), pair, seed_stream::kPositive));
        PositivePair out;
        out.positive = sampler.sample(anchor, draw);
        if (out.positive != anchor) {
            const auto at = std::find(candidates.begin(), candidates.end(), out.positive);
            GPS_CHECK(at != candidates.end(), "makePositivePairs: the sampler drew #"
                                                  << out.positive << ", not a candidate of #"
                                                  << anchor);
            out.distance = distances[std::size_t(at - candidates.begin())];
            const int anchorLabel = labelOf(anchor);
            const int label = labelOf(out.positive);
            out.otherClass = anchorLabel >= 0 && label >= 0 && label != anchorLabel;
        }
        Rng anchorRng(
            deriveSeed(request.seed, std::uint64_t(anchor), pair, seed_stream::kFirstView));
        out.anchorView = toQImage(pipeline.view(anchorImage, anchorRng));
        Rng positiveRng(
            deriveSeed(request.seed, std::uint64_t(anchor), pair, seed_stream::kSecondView));
        out.positiveView = toQImage(pipeline.view(imageOf(out.positive), positiveRng));
        result.pairs.push_back(std::move(out));
    }
    return result;
}

} // namespace gps::ui
