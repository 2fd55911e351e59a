#include "data/cifar_reader.h"

#include "data/class_names.h"
#include "data/format_reader.h"
#include "data/in_memory_dataset.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace gps::data {
namespace fs = std::filesystem;

namespace {

constexpr int kSide = 32;
constexpr std::size_t kPlaneBytes = kSide * kSide;
constexpr std::size_t kPixelBytes = 3 * kPlaneBytes;
constexpr int kTrainBatches = 5;

// What tells the two CIFAR variants apart; the record decoding is shared.
struct Layout {
    const char* format;
    std::size_t labelBytes; // bytes before the pixels of each record
    std::size_t labelIndex; // which of those bytes is the label served
    int classes;
    const char* namesFile;
    const char* labelSet; // shown in messages: "", "fine" or "coarse"
    std::size_t recordBytes() const { return labelBytes + kPixelBytes; }
};

constexpr Layout kCifar10{"cifar10", 1, 0, 10, "batches.meta.txt", ""};
constexpr Layout kCifar100Fine{"cifar100", 2, 1, 100, "fine_label_names.txt", "fine"};
constexpr Layout kCifar100Coarse{"cifar100", 2, 0, 20, "coarse_label_names.txt", "coarse"};

struct SplitFiles {
    std::string split;
    std::vector<fs::path> files; // read in this order
};

bool isFile(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

fs::path batchName(int k) {
    return "data_batch_" + std::to_string(k) + ".bin";
}

// data_batch_1..5 must be contiguous from 1: a hole would silently drop 10000 images.
Result<std::vector<SplitFiles>> cifar10Splits(const fs::path& dir) {
    std::vector<SplitFiles> splits;
    SplitFiles train{"train", {}};
    for (int k = 1; k <= kTrainBatches; ++k) {
        if (isFile(dir / batchName(k)) && train.files.size() + 1 != std::size_t(k))
            return makeError(ErrorCode::NotFound,
                             (dir / batchName(int(train.files.size()) + 1)).string() +
                                 ": missing, but " + batchName(k).string() +
                                 " exists (expected data_batch_1.bin to data_batch_5.bin in turn)");
        if (isFile(dir / batchName(k)))
            train.files.push_back(dir / batchName(k));
    }
    if (!train.files.empty())
        splits.push_back(std::move(train));
    if (isFile(dir / "test_batch.bin"))
        splits.push_back({"test", {dir / "test_batch.bin"}});
    return splits;
}

std::vector<SplitFiles> cifar100Splits(const fs::path& dir) {
    std::vector<SplitFiles> splits;
    for (const char* split : {"train", "test"})
        if (isFile(dir / (std::string(split) + ".bin")))
            splits.push_back({split, {dir / (std::string(split) + ".bin")}});
    return splits;
}

Result<Layout> cifar100Layout(const fs::path& dir, const std::string& labelSet) {
    if (labelSet == "fine")
        return kCifar100Fine;
    if (labelSet == "coarse")
        return kCifar100Coarse;
    return makeError(ErrorCode::InvalidInput,
                     dir.string() + ": label set '" + labelSet +
                         "' is not one of CIFAR-100's (expected fine or coarse)");
}

Result<std::size_t> recordCount(const fs::path& file, const Layout& layout) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec)
        return makeError(ErrorCode::Io, file.string() + ": cannot read size: " + ec.message());
    const std::size_t record = layout.recordBytes();
    if (size % record != 0)
        return makeError(ErrorCode::Corrupt,
                         file.string() + ": expected a multiple of " + std::to_string(record) +
                             " bytes (" + std::to_string(layout.labelBytes) +
                             " label byte(s) + 3072 pixels per image), found " +
                             std::to_string(size) + " = " + std::to_string(size / record) +
                             " records + " + std::to_string(size % record) + " bytes (truncated?)");
    return std::size_t(size / record);
}

Result<std::vector<std::string>> resolveClassNames(const fs::path& dir, const Layout& layout,
                                                   std::vector<std::string>& warnings) {
    const fs::path file = dir / layout.namesFile;
    if (!isFile(file))
        return numberedClassNames(layout.classes);
    auto names = readClassNamesFile(file);
    if (names && int(names->size()) != layout.classes)
        warnings.push_back(file.string() + ": lists " + std::to_string(names->size()) +
                           " names, expected " + std::to_string(layout.classes));
    return names;
}

// The first `bytes` bytes of a file (the whole file is not needed when a limit is set).
Result<std::vector<std::uint8_t>> readHead(const fs::path& file, std::size_t bytes) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::uint8_t> data(bytes);
    if (!in || !in.read(reinterpret_cast<char*>(data.data()), std::streamsize(bytes)))
        return makeError(ErrorCode::Io,
                         file.string() + ": cannot read " + std::to_string(bytes) + " bytes");
    return data;
}

// Decodes `count` records of `file` into images [first, first + count) of parts.
Status decodeRecords(const fs::path& file, const Layout& layout, std::size_t count,
                     std::size_t first, InMemoryParts& parts) {
    auto data = readHead(file, count * layout.recordBytes());
    if (!data)
        return data.error();
    const int classes = int(parts.classNames.size());
    for (std::size_t r = 0; r < count; ++r) {
        const std::uint8_t* record = data->data() + r * layout.recordBytes();
        const int label = record[layout.labelIndex];
        if (label >= classes)
            return makeError(ErrorCode::Corrupt,
                             file.string() + ": " + layout.labelSet +
                                 (*layout.labelSet ? " " : "") + "label " + std::to_string(label) +
                                 " of record " + std::to_string(r) + " is outside the " +
                                 std::to_string(classes) + " classes (expected 0 to " +
                                 std::to_string(classes - 1) + ")");
        parts.labels[first + r] = label;
        // Planes R, G, B of 32×32 each -> interleaved HWC.
        const std::uint8_t* planes = record + layout.labelBytes;
        std::uint8_t* out = parts.images.imageData(first + r);
        for (std::size_t p = 0; p < kPlaneBytes; ++p)
            for (std::size_t c = 0; c < 3; ++c)
                out[p * 3 + c] = planes[c * kPlaneBytes + p];
    }
    return Ok{};
}

Result<DatasetInfo> describeCifar(const fs::path& dir, const Layout& layout,
                                  const std::vector<SplitFiles>& splits) {
    DatasetInfo info;
    info.format = layout.format;
    info.path = dir.string();
    info.shape = ImageShape{kSide, kSide, 3};
    info.labelled = true;
    for (const auto& split : splits) {
        std::size_t total = 0;
        for (const auto& file : split.files) {
            auto count = recordCount(file, layout);
            if (!count)
                return count.error();
            total += *count;
        }
        info.splits.push_back({split.split, total});
    }
    auto names = resolveClassNames(dir, layout, info.warnings);
    if (!names)
        return names.error();
    info.classNames = std::move(*names);
    return info;
}

Result<DatasetPtr> openCifar(const fs::path& dir, const Layout& layout,
                             const std::vector<SplitFiles>& splits, const OpenOptions& options) {
    const auto found = std::find_if(splits.begin(), splits.end(),
                                    [&](const SplitFiles& s) { return s.split == options.split; });
    if (found == splits.end())
        return missingSplitError(dir, options.split, splitNames(splits));
    std::vector<std::size_t> counts;
    std::size_t total = 0;
    for (const auto& file : found->files) {
        auto count = recordCount(file, layout);
        if (!count)
            return count.error();
        counts.push_back(*count);
        total += *count;
    }
    const std::size_t wanted = options.limit > 0 ? std::min(options.limit, total) : total;

    InMemoryParts parts;
    auto names = resolveClassNames(dir, layout, parts.warnings);
    if (!names)
        return names.error();
    parts.classNames = std::move(*names);
    parts.images = ImageBlock(wanted, ImageShape{kSide, kSide, 3});
    parts.labels.resize(wanted);
    std::size_t done = 0;
    for (std::size_t f = 0; f < found->files.size() && done < wanted; ++f) {
        const std::size_t take = std::min(counts[f], wanted - done);
        if (auto decoded = decodeRecords(found->files[f], layout, take, done, parts); !decoded)
            return decoded.error();
        done += take;
    }
    parts.split = found->split;
    parts.format = layout.format;
    return DatasetPtr(std::make_shared<InMemoryDataset>(std::move(parts)));
}

} // namespace

bool isCifar10Dataset(const fs::path& folder) {
    return isFile(folder / "data_batch_1.bin") || isFile(folder / "test_batch.bin");
}

bool isCifar100Dataset(const fs::path& folder) {
    if (isFile(folder / "data_batch_1.bin"))
        return false;
    for (const char* name : {"train.bin", "test.bin"}) {
        std::error_code ec;
        const std::uintmax_t size = fs::file_size(folder / name, ec);
        if (!ec && size > 0 && size % kCifar100Fine.recordBytes() == 0)
            return true;
    }
    return false;
}

Result<DatasetInfo> describeCifar10(const fs::path& folder, const OpenOptions&) {
    auto splits = cifar10Splits(folder);
    if (!splits)
        return splits.error();
    return describeCifar(folder, kCifar10, *splits);
}

Result<DatasetInfo> describeCifar100(const fs::path& folder, const OpenOptions& options) {
    auto layout = cifar100Layout(folder, options.labelSet);
    if (!layout)
        return layout.error();
    return describeCifar(folder, *layout, cifar100Splits(folder));
}

Result<DatasetPtr> openCifar10(const fs::path& folder, const OpenOptions& options) {
    auto splits = cifar10Splits(folder);
    if (!splits)
        return splits.error();
    return openCifar(folder, kCifar10, *splits, options);
}

Result<DatasetPtr> openCifar100(const fs::path& folder, const OpenOptions& options) {
    auto layout = cifar100Layout(folder, options.labelSet);
    if (!layout)
        return layout.error();
    return openCifar(folder, *layout, cifar100Splits(folder), options);
}

const FormatReader& cifar10Format() {
    static const FormatReader reader{"cifar10", isCifar10Dataset, describeCifar10, openCifar10};
    return reader;
}

const FormatReader& cifar100Format() {
    static const FormatReader reader{"cifar100", isCifar100Dataset, describeCifar100, openCifar100};
    return reader;
}

} // namespace gps::data
