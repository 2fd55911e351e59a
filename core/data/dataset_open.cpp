#include "data/dataset_open.h"

#include "data/format_reader.h"

#include <array>
#include <functional>

namespace gps::data {
namespace fs = std::filesystem;

namespace {

// Detection order matters: the image folder accepts almost any folder, so it goes last.
const std::array<std::reference_wrapper<const FormatReader>, 6>& readers() {
    static const std::array<std::reference_wrapper<const FormatReader>, 6> all = {
        idxFormat(),   cifar10Format(),  cifar100Format(),
        stl10Format(), medmnistFormat(), imageFolderFormat()};
    return all;
}

Result<const FormatReader*> findReader(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return makeError(ErrorCode::NotFound, path.string() + ": no such file or folder");
    for (const FormatReader& reader : readers())
        if (reader.detect(path))
            return &reader;
    return makeError(
        ErrorCode::Unsupported,
        path.string() +
            ": not a known dataset layout (expected IDX files such as "
            "train-images-idx3-ubyte[.gz], "
            "CIFAR data_batch_*.bin or train.bin/test.bin, STL-10 train_X.bin, a MedMNIST .npz, "
            "or a folder of images)");
}

} // namespace

fs::path fashionMnistDir() {
    return GPS_FASHION_MNIST_DIR;
}

fs::path resolveDatasetPath(const std::string& nameOrPath) {
    if (nameOrPath == kDefaultDatasetName)
        return fashionMnistDir();
    return fs::path(nameOrPath);
}

Result<std::string> detectFormat(const fs::path& path) {
    auto reader = findReader(path);
    if (!reader)
        return reader.error();
    return std::string((*reader)->name);
}

namespace {

struct Located {
    fs::path path;
    const FormatReader* reader = nullptr;
};

/// The resolved path and its reader, or why there is none.
Result<Located> locate(const std::string& nameOrPath) {
    const fs::path path = resolveDatasetPath(nameOrPath);
    if (nameOrPath == kDefaultDatasetName && !fs::exists(path))
        return makeError(ErrorCode::NotFound,
                         "fashion-mnist is not installed at " + path.string() +
                             " (install the Debian package dataset-fashion-mnist)");
    auto reader = findReader(path);
    if (!reader)
        return reader.error();
    return Located{path, *reader};
}

} // namespace

Result<DatasetInfo> describeDataset(const std::string& nameOrPath, const OpenOptions& options) {
    const auto located = locate(nameOrPath);
    if (!located)
        return located.error();
    auto info = located->reader->describe(located->path, options);
    if (info)
        info->path = located->path.string();
    return info;
}

Result<DatasetPtr> openDataset(const std::string& nameOrPath, const OpenOptions& options) {
    const auto located = locate(nameOrPath);
    if (!located)
        return located.error();
    return located->reader->open(located->path, options);
}

std::vector<std::string> knownFormats() {
    std::vector<std::string> names;
    for (const FormatReader& reader : readers())
        names.emplace_back(reader.name);
    return names;
}

Error missingSplitError(const fs::path& path, const std::string& split,
                        const std::vector<std::string>& available) {
    std::string list;
    for (const auto& name : available)
        list += (list.empty() ? "" : ", ") + name;
    return makeError(ErrorCode::NotFound, "split '" + split + "' not found in " + path.string() +
                                              " (available: " + list + ")");
}

} // namespace gps::data
