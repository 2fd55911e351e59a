#include "data/idx_reader.h"

#include "common/file_io.h"
#include "data/format_reader.h"
#include "data/in_memory_dataset.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <span>
#include <sstream>

namespace gps::data {
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kImageMagic = 0x00000803; // uint8 data, 3 dimensions
constexpr std::uint32_t kLabelMagic = 0x00000801; // uint8 data, 1 dimension
constexpr std::size_t kImageHeaderBytes = 16;
constexpr std::size_t kLabelHeaderBytes = 8;
constexpr std::uint32_t kMaxSide = 32768; // keeps count × rows × cols far from overflow

struct SplitName {
    const char* split;
    const char* prefix;
};
constexpr std::array<SplitName, 2> kSplitNames{{{"train", "train"}, {"test", "t10k"}}};

struct SplitFiles {
    std::string split;
    std::string prefix;
    fs::path images;
    std::optional<fs::path> labels;
};

struct ImageHeader {
    std::size_t count = 0;
    int rows = 0;
    int cols = 0;
    std::size_t expectedBytes() const { return kImageHeaderBytes + count * rows * cols; }
};

struct ClassNames {
    std::vector<std::string> names;
    std::string source; // where the names came from, for error messages
};

// "train-images-idx3-ubyte", "train-images.idx3-ubyte", each raw first, then gzipped.
std::vector<std::string> candidateNames(const std::string& prefix, const char* kind, int rank) {
    std::vector<std::string> names;
    for (const char* ext : {"", ".gz"})
        for (const char* separator : {"-", "."})
            names.push_back(prefix + "-" + kind + separator + "idx" + std::to_string(rank) +
                            "-ubyte" + ext);
    return names;
}

std::optional<fs::path> findFirst(const fs::path& dir, const std::vector<std::string>& names) {
    std::error_code ec;
    for (const auto& name : names)
        if (fs::is_regular_file(dir / name, ec))
            return dir / name;
    return std::nullopt;
}

fs::path datasetFolder(const fs::path& path) {
    std::error_code ec;
    return fs::is_directory(path, ec) ? path : path.parent_path();
}

std::vector<SplitFiles> findSplits(const fs::path& dir) {
    std::vector<SplitFiles> splits;
    for (const auto& [split, prefix] : kSplitNames) {
        auto images = findFirst(dir, candidateNames(prefix, "images", 3));
        if (images)
            splits.push_back(
                {split, prefix, *images, findFirst(dir, candidateNames(prefix, "labels", 1))});
    }
    return splits;
}

std::uint32_t bigEndian32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

std::string hex32(std::uint32_t value) {
    char text[11];
    std::snprintf(text, sizeof text, "0x%08X", value);
    return text;
}

// Corrupt, "FILE: " followed by the parts streamed in turn.
template <class... Parts> Error corrupt(const fs::path& file, const Parts&... parts) {
    std::ostringstream message;
    message << file.string() << ": ";
    (message << ... << parts);
    return makeError(ErrorCode::Corrupt, message.str());
}

Status checkMagic(const std::uint8_t* bytes, std::size_t available, std::size_t headerBytes,
                  std::uint32_t expected, const fs::path& file) {
    const char* kind = expected == kImageMagic ? "image" : "label";
    if (available < headerBytes)
        return corrupt(file, "too short for an IDX ", kind, " header (expected ", headerBytes,
                       " bytes, found ", available, ")");
    const std::uint32_t magic = bigEndian32(bytes);
    if (magic != expected)
        return corrupt(file, "not an IDX ", kind, " file (expected magic ", hex32(expected),
                       ", found ", hex32(magic), ")");
    return Ok{};
}

Result<ImageHeader> parseImageHeader(const std::uint8_t* bytes, std::size_t available,
                                     const fs::path& file) {
    if (auto magic = checkMagic(bytes, available, kImageHeaderBytes, kImageMagic, file); !magic)
        return magic.error();
    const std::uint32_t rows = bigEndian32(bytes + 8), cols = bigEndian32(bytes + 12);
    if (rows == 0 || cols == 0 || rows > kMaxSide || cols > kMaxSide)
        return corrupt(file, "implausible image size ", rows, "x", cols, " (expected 1 to ",
                       kMaxSide, " pixels a side)");
    return ImageHeader{bigEndian32(bytes + 4), int(rows), int(cols)};
}

Status checkImageBytes(const ImageHeader& header, std::size_t found, const fs::path& file) {
    const std::size_t expected = header.expectedBytes();
    if (found == expected)
        return Ok{};
    return corrupt(file, "expected 16 + ", header.count, " x ", header.rows, " x ", header.cols,
                   " = ", expected, " bytes for ", header.count, " images of ", header.rows, "x",
                   header.cols, ", found ", found,
                   found < expected ? " (truncated)" : " (trailing bytes)");
}

// The first `count` bytes of a file, decompressed when gzipped (gzread passes raw files through).
Result<std::vector<std::uint8_t>> readPrefix(const fs::path& file, std::size_t count) {
    gzFile gz = gzopen(file.c_str(), "rb");
    if (!gz)
        return makeError(ErrorCode::NotFound, file.string() + ": cannot open for reading");
    std::vector<std::uint8_t> bytes(count);
    const int got = gzread(gz, bytes.data(), unsigned(count));
    gzclose(gz);
    if (got < 0)
        return corrupt(file, "not a valid gzip stream");
    bytes.resize(std::size_t(got));
    return bytes;
}

// The label payload (header stripped) after checking magic, size and the image count.
Result<std::vector<std::uint8_t>> loadLabels(const SplitFiles& split, std::size_t imageCount) {
    if (!split.labels)
        return makeError(ErrorCode::NotFound, split.images.string() +
                                                  ": no label file beside it for split '" +
                                                  split.split + "' (expected " + split.prefix +
                                                  "-labels-idx1-ubyte[.gz] or " + split.prefix +
                                                  "-labels.idx1-ubyte[.gz])");
    const fs::path& file = *split.labels;
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    if (auto magic = checkMagic(bytes->data(), bytes->size(), kLabelHeaderBytes, kLabelMagic, file);
        !magic)
        return magic.error();
    const std::size_t count = bigEndian32(bytes->data() + 4);
    const std::size_t found = bytes->size() - kLabelHeaderBytes;
    if (found != count)
        return corrupt(file, "expected 8 + ", count, " = ", kLabelHeaderBytes + count,
                       " bytes for ", count, " labels, found ", bytes->size(),
                       found < count ? " (truncated)" : " (trailing bytes)");
    if (count != imageCount)
        return corrupt(file, "holds ", count, " labels but ", split.images.string(), " holds ",
                       imageCount, " images (expected one label per image)");
    bytes->erase(bytes->begin(), bytes->begin() + kLabelHeaderBytes);
    return std::move(*bytes);
}

bool pathMentionsFashion(const fs::path& dir) {
    std::error_code ec;
    std::string text = fs::absolute(dir, ec).string();
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text.find("fashion") != std::string::npos;
}

// `maxLabel` gives the largest label over every split; it is called only for numbered names.
Result<ClassNames> resolveClassNames(const fs::path& dir, const std::function<int()>& maxLabel) {
    const fs::path file = dir / "classes.txt";
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) {
        auto names = readClassNamesFile(file);
        if (!names)
            return names.error();
        return ClassNames{std::move(*names), file.string()};
    }
    if (pathMentionsFashion(dir))
        return ClassNames{fashionMnistClassNames(), "the Fashion-MNIST class names"};
    return ClassNames{numberedClassNames(maxLabel() + 1), "numbered classes"};
}

int maxOf(std::span<const std::uint8_t> labels) {
    return labels.empty() ? -1 : int(*std::max_element(labels.begin(), labels.end()));
}

// Largest label of the splits other than `skip`; unreadable ones are reported when opened.
int maxLabelOfOtherSplits(const std::vector<SplitFiles>& splits, const std::string& skip) {
    int result = -1;
    for (const auto& split : splits) {
        if (split.split == skip || !split.labels)
            continue;
        if (auto labels = readFileBytes(*split.labels);
            labels && labels->size() > kLabelHeaderBytes)
            result = std::max(result, maxOf(std::span(*labels).subspan(kLabelHeaderBytes)));
    }
    return result;
}

Status checkLabelRange(const std::vector<std::uint8_t>& labels, const ClassNames& classes,
                       const fs::path& file) {
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= classes.names.size())
            return corrupt(file, "label ", int(labels[i]), " of image ", i, " is outside the ",
                           classes.names.size(), " classes of ", classes.source, " (expected 0 to ",
                           int(classes.names.size()) - 1, ")");
    return Ok{};
}

} // namespace

const std::vector<std::string>& fashionMnistClassNames() {
    static const std::vector<std::string> names = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

bool isIdxDataset(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return !findSplits(path).empty();
    const std::string name = path.filename().string();
    for (const auto& [split, prefix] : kSplitNames) {
        const auto names = candidateNames(prefix, "images", 3);
        if (std::find(names.begin(), names.end(), name) != names.end())
            return fs::is_regular_file(path, ec);
    }
    return false;
}

Result<DatasetInfo> describeIdx(const fs::path& path, const OpenOptions&) {
    const fs::path dir = datasetFolder(path);
    const auto splits = findSplits(dir);
    if (splits.empty())
        return makeError(ErrorCode::NotFound,
                         dir.string() + ": no IDX image files (expected " +
                             "train-images-idx3-ubyte[.gz] or t10k-images-idx3-ubyte[.gz])");
    DatasetInfo info;
    info.format = "idx";
    info.path = dir.string();
    info.labelled = true;
    int maxLabel = -1;
    for (const auto& split : splits) {
        auto prefix = readPrefix(split.images, kImageHeaderBytes);
        if (!prefix)
            return prefix.error();
        auto header = parseImageHeader(prefix->data(), prefix->size(), split.images);
        if (!header)
            return header.error();
        // A raw file's size is known without reading it; a gzipped one is checked on open.
        std::error_code ec;
        if (split.images.extension() != ".gz")
            if (auto size = checkImageBytes(*header, fs::file_size(split.images, ec), split.images);
                !size)
                return size.error();
        auto labels = loadLabels(split, header->count);
        if (!labels)
            return labels.error();
        maxLabel = std::max(maxLabel, maxOf(*labels));
        const ImageShape shape{header->rows, header->cols, 1};
        if (info.splits.empty())
            info.shape = shape;
        else if (shape != info.shape)
            info.warnings.push_back(
                split.images.string() + ": images are " + std::to_string(shape.height) + "x" +
                std::to_string(shape.width) + ", unlike the first split's " +
                std::to_string(info.shape.height) + "x" + std::to_string(info.shape.width));
        info.splits.push_back({split.split, header->count});
    }
    auto classes = resolveClassNames(dir, [&] { return maxLabel; });
    if (!classes)
        return classes.error();
    info.classNames = std::move(classes->names);
    return info;
}

Result<DatasetPtr> openIdx(const fs::path& path, const OpenOptions& options) {
    const fs::path dir = datasetFolder(path);
    const auto splits = findSplits(dir);
    const auto found = std::find_if(splits.begin(), splits.end(), [&](const SplitFiles& s) {
        return s.split == options.split || s.prefix == options.split;
    });
    if (found == splits.end())
        return missingSplitError(dir, options.split, splitNames(splits));
    const SplitFiles& split = *found;

    auto bytes = readFileBytes(split.images);
    if (!bytes)
        return bytes.error();
    auto header = parseImageHeader(bytes->data(), bytes->size(), split.images);
    if (!header)
        return header.error();
    if (auto size = checkImageBytes(*header, bytes->size(), split.images); !size)
        return size.error();
    auto labels = loadLabels(split, header->count);
    if (!labels)
        return labels.error();
    auto classes = resolveClassNames(
        dir, [&] { return std::max(maxOf(*labels), maxLabelOfOtherSplits(splits, split.split)); });
    if (!classes)
        return classes.error();
    if (auto range = checkLabelRange(*labels, *classes, *split.labels); !range)
        return range.error();

    const std::size_t count =
        options.limit > 0 ? std::min(options.limit, header->count) : header->count;
    InMemoryParts parts;
    parts.images = ImageBlock(count, ImageShape{header->rows, header->cols, 1});
    if (count > 0)
        std::memcpy(parts.images.data(), bytes->data() + kImageHeaderBytes, parts.images.bytes());
    parts.labels.assign(labels->begin(), labels->begin() + std::ptrdiff_t(count));
    parts.classNames = std::move(classes->names);
    parts.split = split.split;
    parts.format = "idx";
    return DatasetPtr(std::make_shared<InMemoryDataset>(std::move(parts)));
}

const FormatReader& idxFormat() {
    static const FormatReader reader{"idx", isIdxDataset, describeIdx, openIdx};
    return reader;
}

} // namespace gps::data
