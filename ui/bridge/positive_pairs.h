#pragma once
/// GPS positive pairs of one anchor as the training loop makes them (docs/design.md §1): x' drawn
/// by a PositiveSampler under the inspector's options, then (DA(anchor), DA(x')) through the
/// augmentation panel's pipeline with independent draws. Values only, made on any thread.
///
/// Seeds (the trainer's scheme, with the anchor in place of the step and the pair in place of
/// the batch row): for pair p of `anchor` under `seed`,
///   x'         = sampler.sample(anchor, Rng(deriveSeed(seed, anchor, p, 2)))
///   DA(anchor) = pipeline.view(image(anchor), Rng(deriveSeed(seed, anchor, p, 0)))
///   DA(x')     = pipeline.view(image(x'),     Rng(deriveSeed(seed, anchor, p, 1)))
/// so the same seed gives the same pairs, and a new seed new draws of both x' and the views.

#include "augment/spec.h"
#include "bridge/neighbor_job.h"
#include "common/progress.h"

#include <QImage>
#include <QList>
#include <QMetaType>

#include <cstdint>
#include <optional>

namespace gps::ui {

struct PositivePairsRequest {
    NeighborGraphPtr graph;  ///< its dataset supplies the images, its labels the red marks
    std::int64_t anchor = 0; ///< a row of the graph
    neighbors::SamplerOptions options;
    augment::AugmentSpec spec; ///< DA, for images of graph->dataset->shape()
    std::uint64_t seed = 1;
    int pairCount = 6;
};

struct PositivePair {
    std::int64_t positive = 0;     ///< x': a candidate of the anchor, or the anchor itself
    std::optional<float> distance; ///< d(anchor, x') from the graph row; none when x' is the anchor
    bool otherClass = false;       ///< both labelled and x' has another label
    QImage anchorView;             ///< DA(anchor), uint8 grey or RGB
    QImage positiveView;           ///< DA(x')
};

struct PositivePairs {
    std::int64_t anchor = -1;
    std::int64_t candidateCount = 0; ///< candidates under the options (PositiveSampler's count)
    std::uint64_t seed = 0;
    QList<PositivePair> pairs; ///< pair p drawn with the seeds above
};

/// Checks that a request can be made: a graph, an anchor among its rows, options the graph
/// accepts (checkSamplerOptions), a valid spec (validateAugmentSpec) and 1 ≤ pairCount.
/// InvalidInput naming what is wrong.
Status checkPositivePairsRequest(const PositivePairsRequest& request);

/// Draws the pairs. Decodes the anchor once and each distinct x' once; safe on any thread (the
/// graph, dataset and pipeline are only read). Recounting the sampler costs a binary search
/// per graph row (milliseconds for 60,000). Throws CheckFailure for a request that
/// checkPositivePairsRequest rejects or a spec that does not fit the images (channels); returns
/// fewer pairs when `cancel` is set.
PositivePairs makePositivePairs(const PositivePairsRequest& request,
                                const CancelToken& cancel = CancelToken());

} // namespace gps::ui

Q_DECLARE_METATYPE(gps::ui::PositivePairs)
