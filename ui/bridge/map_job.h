#pragma once
/// The map of an embedding and the per-class quality of a graph as values the GUI can share:
/// what the map panel hands a worker and what comes back. Made on a worker, read on the GUI
/// thread; nothing here points into a widget.

#include "bridge/neighbor_job.h"
#include "common/progress.h"
#include "common/result.h"
#include "eval/map2d.h"
#include "neighbors/class_quality.h"
#include "priors/embedding.h"

#include <QMetaType>
#include <QString>

#include <memory>
#include <vector>

namespace gps::ui {

struct MapRequest {
    /// The rows to map: the prior's embedding of the graph on screen, or null to read `file`.
    std::shared_ptr<const priors::Embedding> embedding;
    QString file;              ///< a run's train_embeddings.npy (project::readEmbeddings)
    std::int64_t expectedRows; ///< the dataset's images: a file with other rows is refused
    std::vector<int> labels;   ///< one per dataset image, or empty
    eval::Map2dConfig config;
};

struct MapOutcome {
    eval::Map2d map;
    std::vector<int> labels; ///< per point of the map; empty without labels
    QString source;          ///< what was mapped, for the caption
    double seconds = 0.0;
};

/// Reads the file when there is one (InvalidInput when its rows are not the dataset's images),
/// then eval::computeMap2d. Its errors and Cancelled pass through.
Result<MapOutcome> computeMap(const MapRequest& request, const ProgressFn& progress);

/// Per-class quality of one option set, tagged with what it was computed for.
struct QualityOutcome {
    NeighborGraphPtr graph;
    neighbors::SamplerOptions options;
    neighbors::ClassQuality quality;
};

} // namespace gps::ui

Q_DECLARE_METATYPE(gps::ui::MapOutcome)
Q_DECLARE_METATYPE(gps::ui::QualityOutcome)
