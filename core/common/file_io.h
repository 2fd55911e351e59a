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

/// Where a write to `path` lands: `path` itself, or the file its symbolic links lead to.
/// InvalidInput when that exists and is not a regular file (a FIFO, a device, a folder): such a
/// path is never replaced. NotFound when its folder does not exist. Commands call this before
/// long work so a bad `--out` is refused at once.
Result<std::filesystem::path> resolveWriteTarget(const std::filesystem::path& path);

/// Writes bytes to `path` through a temporary file in the same folder, fsync, a rename and an
/// fsync of the folder, so a reader never sees a half-written file, a failed write (full disk)
/// leaves the old file intact, and a crash after success cannot lose the new one. A symlink is
/// written through (resolveWriteTarget); an existing file keeps its permissions.
Status writeFileAtomic(const std::filesystem::path& path, const void* data, std::size_t size);
Status writeFileAtomic(const std::filesystem::path& path, const std::string& text);

/// Makes the entries of `folder` (a rename, a new file) durable.
Status syncFolder(const std::filesystem::path& folder);

/// "512 bytes", "3.4 MiB", "2.0 GiB": a size for messages.
std::string humanBytes(std::size_t bytes);

/// "path (n bytes)" style short description used in messages.
std::string describeFile(const std::filesystem::path& path);

} // namespace gps
