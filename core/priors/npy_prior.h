#pragma once
/// The `npy:PATH` prior: embeddings computed elsewhere (e.g. by a Python script), one row per
/// image in dataset order, read from a 2-D float32 or float64 .npy file (float64 is converted to
/// float32). The header is checked when the prior is made, the row count when it embeds.

#include "priors/embedder.h"

namespace gps::priors {

class NpyPrior final : public Embedder {
public:
    /// Reads and checks the header of `path`: NotFound when there is no such file, InvalidInput
    /// when the array is not 2-D or not float32/float64, Corrupt/Unsupported for a bad .npy.
    /// `spec` is what the user wrote ("npy:emb.npy"); errors name the file as given.
    static Result<EmbedderPtr> open(const std::filesystem::path& path, std::string spec);

    std::string spec() const override { return m_spec; }
    /// Columns of the file.
    std::int64_t dim() const override { return m_dim; }
    /// The file's rows; InvalidInput when their count is not dataset.size()
    /// ("emb.npy has 999 rows, the dataset has 1000 images").
    Result<Embedding> embed(const data::Dataset& dataset, const ProgressFn& progress) override;

private:
    NpyPrior(std::filesystem::path path, std::string spec, std::int64_t dim)
        : m_path(std::move(path)), m_spec(std::move(spec)), m_dim(dim) {}

    std::filesystem::path m_path;
    std::string m_spec;
    std::int64_t m_dim = 0;
};

} // namespace gps::priors
