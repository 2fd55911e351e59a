#pragma once
/// Internal to core/priors: reading .npy files piecewise, for files too large to hold twice (a
/// cached 60,000 × 2,048 embedding is 490 MB): the header alone, or float32 rows read straight
/// into an Embedding without intermediate copies.

#include "common/npy.h"
#include "priors/embedding.h"

#include <filesystem>

namespace gps::priors::detail {

/// Parses the header of `file` reading only its first bytes. Errors name the file.
Result<NpyHeader> readNpyFileHeader(const std::filesystem::path& file);

/// Reads a C-ordered "<f4" array of shape exactly (rows, dim) into an Embedding. Corrupt when
/// the header says anything else or the data are short.
Result<Embedding> readFloat32Rows(const std::filesystem::path& file, std::int64_t rows,
                                  std::int64_t dim);

} // namespace gps::priors::detail
