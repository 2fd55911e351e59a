#pragma once
/// Class names for formats that store them beside the data, or that store none.

#include "common/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gps::data {

/// Names "0", "1", ... for formats that store no class names.
std::vector<std::string> numberedClassNames(int count);

/// Reads a class-name file, one name per line; blank lines and trailing whitespace (including a
/// Windows '\r') are dropped. NotFound when the file cannot be read. Shared by the binary readers.
Result<std::vector<std::string>> readClassNamesFile(const std::filesystem::path& file);

} // namespace gps::data
