#include "priors/npy_prior.h"

#include "common/npy.h"
#include "priors/batching.h"
#include "priors/npy_file.h"

#include <cmath>
#include <cstring>

namespace gps::priors {

namespace {

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            text += ", ";
        text += std::to_string(shape[i]);
    }
    return text + (shape.size() == 1 ? ",)" : ")");
}

// The checks shared by open() (header only) and embed() (the file may have changed since).
Status checkLayout(const std::string& file, const std::string& dtype,
                   const std::vector<std::int64_t>& shape) {
    if (dtype != "<f4" && dtype != "<f8")
        return makeError(ErrorCode::InvalidInput,
                         file + ": dtype " + dtype +
                             " is not a float (expected float32 or float64 embeddings)");
    if (shape.size() != 2)
        return makeError(ErrorCode::InvalidInput,
                         file + ": expected a 2-D array (images × dimensions), found shape " +
                             shapeText(shape));
    if (shape[1] == 0)
        return makeError(ErrorCode::InvalidInput, file + ": rows have 0 values");
    return Ok{};
}

} // namespace

Result<EmbedderPtr> NpyPrior::open(const std::filesystem::path& path, std::string spec) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return makeError(ErrorCode::NotFound, spec + ": " + path.string() + ": no such file");
    auto header = detail::readNpyFileHeader(path);
    if (!header)
        return header.error();
    if (auto layout = checkLayout(path.string(), header->dtype, header->shape); !layout)
        return layout.error();
    return EmbedderPtr(new NpyPrior(path, std::move(spec), header->shape[1]));
}

Result<Embedding> NpyPrior::embed(const data::Dataset& dataset, const ProgressFn& progress) {
    const std::string name = m_path.string();
    if (!reportProgress(progress, 0.0, "npy: reading " + name))
        return detail::cancelled(m_spec);
    auto array = readNpy(m_path);
    if (!array)
        return array.error();
    if (auto layout = checkLayout(name, array->dtype, array->shape); !layout)
        return layout.error();
    const std::int64_t rows = array->shape[0];
    if (rows != std::int64_t(dataset.size()))
        return makeError(ErrorCode::InvalidInput, name + " has " + std::to_string(rows) +
                                                      " rows, the dataset has " +
                                                      std::to_string(dataset.size()) + " images");
    m_dim = array->shape[1];
    Embedding embedding{rows, m_dim, std::vector<float>(array->count())};
    if (array->dtype == "<f4") {
        std::memcpy(embedding.values.data(), array->bytes.data(), array->bytes.size());
    } else {
        const auto* source = reinterpret_cast<const std::uint8_t*>(array->bytes.data());
        for (std::size_t i = 0; i < embedding.values.size(); ++i) {
            double value;
            std::memcpy(&value, source + i * sizeof(double), sizeof(double));
            embedding.values[i] = float(value);
        }
    }
    // A NaN would silently poison every distance, and so every neighbour list.
    for (std::size_t i = 0; i < embedding.values.size(); ++i)
        if (!std::isfinite(embedding.values[i]))
            return makeError(ErrorCode::InvalidInput, name + ": row " +
                                                          std::to_string(i / std::size_t(m_dim)) +
                                                          " holds a NaN or infinite value");
    if (!reportProgress(progress, 1.0, "npy: read " + name))
        return detail::cancelled(m_spec);
    return embedding;
}

} // namespace gps::priors
