// Saving, loading and checking kNN graphs. The files are plain .npy tables so that a user can
// open them in NumPy next to the embeddings they came from.
#include "common/npy.h"
#include "neighbors/knn_graph.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace gps::neighbors {

namespace {

constexpr const char* kIndexDtype = "<i8";
constexpr const char* kDistanceDtype = "<f4";

std::string indicesPath(const std::string& prefix) {
    return prefix + "_indices.npy";
}
std::string distancesPath(const std::string& prefix) {
    return prefix + "_distances.npy";
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + (shape.size() == 1 ? ",)" : ")");
}

/// Checks one table's dtype and rank; the message names the file.
Status checkTable(const NpyArray& table, const std::string& path, const char* dtype) {
    if (table.dtype != dtype)
        return makeError(ErrorCode::Corrupt,
                         path + ": expected dtype " + dtype + ", found " + table.dtype);
    if (table.shape.size() != 2 || table.shape[1] < 1)
        return makeError(ErrorCode::Corrupt, path +
                                                 ": expected a rows × k table (k >= 1), found "
                                                 "shape " +
                                                 shapeText(table.shape));
    return Ok{};
}

Error badRow(const std::string& source, std::int64_t row, const std::string& what) {
    return makeError(ErrorCode::Corrupt, source + ": row " + std::to_string(row) + " " + what);
}

} // namespace

Status validateKnnGraph(const KnnGraph& graph, const std::string& source) {
    const auto cells = static_cast<std::size_t>(graph.rows) * static_cast<std::size_t>(graph.k);
    if (graph.rows < 0 || graph.k < 1 || graph.indices.size() != cells ||
        graph.distances.size() != cells)
        return makeError(ErrorCode::Corrupt,
                         source + ": tables do not hold rows × k = " + std::to_string(graph.rows) +
                             " × " + std::to_string(graph.k) + " entries");
    for (std::int64_t row = 0; row < graph.rows; ++row) {
        const auto ids = graph.neighborsOf(row);
        const auto distances = graph.distancesOf(row);
        bool padding = false;
        for (int j = 0; j < graph.k; ++j) {
            if (ids[j] == -1) {
                if (!std::isinf(distances[j]) || distances[j] < 0)
                    return badRow(source, row, "has padding (-1) without distance +inf");
                padding = true;
                continue;
            }
            if (padding)
                return badRow(source, row, "lists a neighbour after its padding");
            if (ids[j] < 0 || ids[j] >= graph.rows)
                return badRow(source, row,
                              "lists index " + std::to_string(ids[j]) + ", outside [0, " +
                                  std::to_string(graph.rows) + ")");
            if (ids[j] == row)
                return badRow(source, row, "lists itself as a neighbour");
            if (!std::isfinite(distances[j]) || distances[j] < 0)
                return badRow(source, row, "has a distance that is negative or not finite");
            if (j > 0 && distances[j] < distances[j - 1])
                return badRow(source, row, "has distances that are not sorted ascending");
        }
    }
    return Ok{};
}

Status saveKnnGraph(const KnnGraph& graph, const std::string& prefix) {
    if (auto valid = validateKnnGraph(graph, "kNN graph " + prefix); !valid)
        return valid.error();
    const std::vector<std::int64_t> shape = {graph.rows, graph.k};
    if (auto written = writeNpy(indicesPath(prefix), kIndexDtype, shape, graph.indices.data());
        !written)
        return written.error();
    return writeNpy(distancesPath(prefix), kDistanceDtype, shape, graph.distances.data());
}

Result<KnnGraph> loadKnnGraph(const std::string& prefix) {
    const std::string idsFile = indicesPath(prefix);
    const std::string distancesFile = distancesPath(prefix);
    auto ids = readNpy(idsFile);
    if (!ids)
        return ids.error();
    auto distances = readNpy(distancesFile);
    if (!distances)
        return distances.error();
    if (auto checked = checkTable(*ids, idsFile, kIndexDtype); !checked)
        return checked.error();
    if (auto checked = checkTable(*distances, distancesFile, kDistanceDtype); !checked)
        return checked.error();
    if (ids->shape != distances->shape)
        return makeError(ErrorCode::Corrupt, idsFile + " has shape " + shapeText(ids->shape) +
                                                 " but " + distancesFile + " has shape " +
                                                 shapeText(distances->shape));
    if (ids->shape[1] > std::numeric_limits<int>::max())
        return makeError(ErrorCode::Corrupt,
                         idsFile + ": k = " + std::to_string(ids->shape[1]) + " is too large");

    KnnGraph graph;
    graph.rows = ids->shape[0];
    graph.k = static_cast<int>(ids->shape[1]);
    graph.indices.resize(ids->count());
    graph.distances.resize(distances->count());
    // .npy data is little-endian, as is every machine the studio builds on.
    std::memcpy(graph.indices.data(), ids->bytes.data(), ids->bytes.size());
    std::memcpy(graph.distances.data(), distances->bytes.data(), distances->bytes.size());
    graph.indexDescription = "loaded from " + prefix;
    if (auto valid = validateKnnGraph(graph, prefix); !valid)
        return valid.error();
    return graph;
}

} // namespace gps::neighbors
