#pragma once
/// The contract between dataset_open (format detection) and each format's reader.

#include "common/result.h"
#include "data/dataset.h"

#include <filesystem>

namespace gps::data {

struct FormatReader {
    const char* name; ///< the format's id as `dataset info` prints it
    /// Cheap test on names and sizes only: could `path` be this format?
    bool (*detect)(const std::filesystem::path& path);
    /// Splits, sizes, classes and image shape from headers and file sizes, without pixels.
    Result<DatasetInfo> (*describe)(const std::filesystem::path& path, const OpenOptions& options);
    /// Opens options.split; NotFound with the available splits when it does not exist.
    Result<DatasetPtr> (*open)(const std::filesystem::path& path, const OpenOptions& options);
};

// One per format, each defined in its reader's .cpp.
const FormatReader& idxFormat();         // idx_reader.cpp
const FormatReader& cifar10Format();     // cifar_reader.cpp
const FormatReader& cifar100Format();    // cifar_reader.cpp
const FormatReader& stl10Format();       // stl10_reader.cpp
const FormatReader& medmnistFormat();    // npz_reader.cpp
const FormatReader& imageFolderFormat(); // image_folder.cpp

/// The `split` member of each entry of a reader's list of splits, in order.
template <class SplitList> std::vector<std::string> splitNames(const SplitList& splits) {
    std::vector<std::string> names;
    names.reserve(std::size(splits));
    for (const auto& entry : splits)
        names.push_back(entry.split);
    return names;
}

/// "split 'val' not found in PATH (available: train, test)".
Error missingSplitError(const std::filesystem::path& path, const std::string& split,
                        const std::vector<std::string>& available);

} // namespace gps::data
