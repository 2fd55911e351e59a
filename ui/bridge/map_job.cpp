#include "bridge/map_job.h"

#include "project/run_dir.h"

#include <chrono>
#include <filesystem>

namespace gps::ui {

Result<MapOutcome> computeMap(const MapRequest& request, const ProgressFn& progress) {
    const auto start = std::chrono::steady_clock::now();
    MapOutcome outcome;
    std::shared_ptr<const priors::Embedding> embedding = request.embedding;
    if (!embedding) {
        const std::filesystem::path path(request.file.toStdString());
        auto read = project::readEmbeddings(path);
        if (!read)
            return read.error();
        if (read->rows != request.expectedRows)
            return makeError(ErrorCode::InvalidInput,
                             path.filename().string() + " has " + std::to_string(read->rows) +
                                 " rows, the dataset " + std::to_string(request.expectedRows) +
                                 " images: it is the embedding of another split");
        embedding = std::make_shared<const priors::Embedding>(std::move(*read));
        outcome.source = request.file;
    }
    auto map = eval::computeMap2d(*embedding, request.labels, request.config, progress);
    if (!map)
        return map.error();
    outcome.map = std::move(*map);
    if (!request.labels.empty())
        for (const std::int64_t row : outcome.map.rows)
            outcome.labels.push_back(request.labels[std::size_t(row)]);
    outcome.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

} // namespace gps::ui
