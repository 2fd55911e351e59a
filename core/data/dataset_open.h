#pragma once
/// Opening a dataset from a path (format detected) or from the name of the embedded default.

#include "common/result.h"
#include "data/dataset.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gps::data {

/// The embedded default dataset's name and where the setup step installs it.
inline constexpr const char* kDefaultDatasetName = "fashion-mnist";
std::filesystem::path fashionMnistDir();

/// "fashion-mnist" -> the installed package folder; anything else is taken as a path.
std::filesystem::path resolveDatasetPath(const std::string& nameOrPath);

/// The format id of `path` (idx, cifar10, cifar100, stl10, medmnist, image-folder), or an error
/// that says what was found and which layouts were expected.
Result<std::string> detectFormat(const std::filesystem::path& path);

Result<DatasetInfo> describeDataset(const std::string& nameOrPath, const OpenOptions& options = {});
Result<DatasetPtr> openDataset(const std::string& nameOrPath, const OpenOptions& options = {});

/// Every format id, in detection order.
std::vector<std::string> knownFormats();

} // namespace gps::data
