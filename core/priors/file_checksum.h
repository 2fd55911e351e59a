#pragma once
/// Internal to core/priors: checksums of the embedding cache's files, so that a file whose bytes
/// changed while its size did not (a bad sector, a bit flip, a stray edit) is recomputed instead
/// of served. ContentHash (128 bits, not cryptographic) over the bytes in 1 MiB pieces, so a file
/// is checked without holding it whole; both functions give the same text for the same bytes.

#include "common/result.h"

#include <cstddef>
#include <filesystem>
#include <string>

namespace gps::priors::detail {

/// 32 lower-case hex digits for `size` bytes held in memory.
std::string bytesChecksum(const void* data, std::size_t size);

/// The checksum of a file's bytes, as bytesChecksum of its contents. Io error naming the file when
/// it cannot be read.
Result<std::string> fileChecksum(const std::filesystem::path& file);

} // namespace gps::priors::detail
