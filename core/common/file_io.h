#pragma once
/// Whole-file reads (gzip-aware) and atomic writes, with errors that name the file.

#include "common/result.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gps {

/// Reads a whole file. Files whose name ends in ".gz" are decompressed; a truncated gzip stream
/// is reported as Corrupt with the file name.
Result<std::vector<std::uint8_t>> readFileBytes(const std::filesystem::path& path);

/// Writes bytes to `path` through a temporary file in the same folder and a rename, so a reader
/// never sees a half-written file and a failed write (full disk) leaves the old file intact.
Status writeFileAtomic(const std::filesystem::path& path, const void* data, std::size_t size);
Status writeFileAtomic(const std::filesystem::path& path, const std::string& text);

/// "512 bytes", "3.4 MiB", "2.0 GiB": a size for messages.
std::string humanBytes(std::size_t bytes);

/// "path (n bytes)" style short description used in messages.
std::string describeFile(const std::filesystem::path& path);

} // namespace gps
