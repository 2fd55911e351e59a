#include "data/npz_reader.h"

#include "common/file_io.h"
#include "common/npy.h"
#include "data/format_reader.h"
#include "data/in_memory_dataset.h"
#include "data/label_pattern.h"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace gps::data {
namespace fs = std::filesystem;

namespace {

const char* const kSplits[] = {"train", "val", "test"};
constexpr std::int64_t kMaxClasses = 100000; // a larger label is a corrupt file, not a dataset
constexpr std::size_t kLabelChunk = 1 << 16; // labels decoded per read

struct ZipCloser {
    void operator()(zip_t* zip) const { zip_discard(zip); } // read-only: nothing to write back
};
struct ZipFileCloser {
    void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileCloser>;

std::string zipErrorText(int code) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    return text;
}

Result<ZipPtr> openArchive(const fs::path& path) {
    int code = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &code);
    if (zip)
        return ZipPtr(zip);
    if (code == ZIP_ER_NOENT)
        return makeError(ErrorCode::NotFound, path.string() + ": no such file");
    if (code == ZIP_ER_OPEN || code == ZIP_ER_READ)
        return makeError(ErrorCode::Io,
                         path.string() + ": cannot read (" + zipErrorText(code) + ")");
    return makeError(ErrorCode::Corrupt, path.string() + ": not a zip archive (" +
                                             zipErrorText(code) + "); expected a MedMNIST .npz");
}

bool hasEntry(zip_t* zip, const std::string& name) {
    return zip_name_locate(zip, name.c_str(), 0) >= 0;
}

// Reads up to `size` bytes; fewer only at the end of the entry.
Result<std::size_t> readEntry(zip_file_t* file, void* out, std::size_t size,
                              const std::string& source) {
    std::size_t done = 0;
    while (done < size) {
        const zip_int64_t got =
            zip_fread(file, static_cast<std::uint8_t*>(out) + done, size - done);
        if (got < 0)
            return makeError(ErrorCode::Corrupt, source + ": cannot decompress (" +
                                                     zip_error_strerror(zip_file_get_error(file)) +
                                                     ")");
        if (got == 0)
            break;
        done += std::size_t(got);
    }
    return done;
}

// Reads exactly `size` data bytes. When `wholeEntry`, also reads past the end, since libzip
// checks the CRC only then.
Status readData(zip_file_t* file, void* out, std::size_t size, const std::string& source,
                bool wholeEntry) {
    auto got = readEntry(file, out, size, source);
    if (!got)
        return got.error();
    if (*got < size)
        return makeError(ErrorCode::Corrupt, source + ": truncated entry (expected " +
                                                 std::to_string(size) + " bytes of data, found " +
                                                 std::to_string(*got) + ")");
    std::uint8_t extra = 0;
    if (wholeEntry && zip_fread(file, &extra, 1) < 0)
        return makeError(ErrorCode::Corrupt, source + ": damaged entry (" +
                                                 zip_error_strerror(zip_file_get_error(file)) +
                                                 ")");
    return Ok{};
}

// An entry opened and read up to its first data byte.
struct NpyEntry {
    std::string source; // "file.npz:entry.npy"
    NpyHeader header;
    ZipFilePtr stream;
};

Result<NpyEntry> openNpyEntry(zip_t* zip, const fs::path& path, const std::string& name) {
    NpyEntry entry{path.string() + ":" + name, {}, nullptr};
    const zip_int64_t index = zip_name_locate(zip, name.c_str(), 0);
    zip_stat_t stat;
    if (index < 0 || zip_stat_index(zip, zip_uint64_t(index), 0, &stat) != 0 ||
        !(stat.valid & ZIP_STAT_SIZE))
        return makeError(ErrorCode::Corrupt, entry.source + ": entry missing or unreadable");
    entry.stream.reset(zip_fopen_index(zip, zip_uint64_t(index), 0));
    if (!entry.stream)
        return makeError(ErrorCode::Corrupt, entry.source + ": cannot open entry (" +
                                                 zip_error_strerror(zip_get_error(zip)) + ")");
    std::vector<std::uint8_t> head(12);
    auto got = readEntry(entry.stream.get(), head.data(), head.size(), entry.source);
    if (!got)
        return got.error();
    head.resize(*got);
    auto headerBytes = npyHeaderBytes(head, entry.source);
    if (!headerBytes)
        return headerBytes.error();
    if (*headerBytes > stat.size) // checked before allocating: a corrupt length can be huge
        return makeError(ErrorCode::Corrupt, entry.source + ": header truncated (expected " +
                                                 std::to_string(*headerBytes) + " bytes, found " +
                                                 std::to_string(stat.size) + ")");
    if (*headerBytes > head.size()) {
        const std::size_t have = head.size();
        head.resize(*headerBytes);
        got = readEntry(entry.stream.get(), head.data() + have, head.size() - have, entry.source);
        if (!got)
            return got.error();
        head.resize(have + *got);
    }
    auto header = parseNpyHeader(head, entry.source);
    if (!header)
        return header.error();
    entry.header = std::move(*header);
    // The sizes in the zip directory reveal a truncated array without reading it.
    const std::uint64_t found =
        stat.size - std::min<std::uint64_t>(stat.size, entry.header.dataOffset);
    if (found < entry.header.dataBytes())
        return makeError(ErrorCode::Corrupt, entry.source + ": truncated entry (expected " +
                                                 std::to_string(entry.header.dataBytes()) +
                                                 " bytes of data, found " + std::to_string(found) +
                                                 ")");
    return entry;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + ")";
}

// One split's headers and labels, checked against each other.
struct SplitContents {
    std::string name;
    NpyEntry images;
    std::size_t count = 0; // in the file, before any limit
    ImageShape shape;
    std::vector<int> labels;          // empty when unlabelled
    std::vector<std::size_t> dropped; // sorted rows left out: their label is out of pattern
    std::vector<std::string> warnings;
};

Result<std::vector<int>> readLabels(zip_t* zip, const fs::path& path, const std::string& name,
                                    std::size_t imageCount, std::vector<std::string>& warnings) {
    auto entry = openNpyEntry(zip, path, name);
    if (!entry)
        return entry.error();
    const NpyHeader& h = entry->header;
    const char kind = h.dtype[1];
    if (kind != 'i' && kind != 'u')
        return makeError(ErrorCode::Unsupported,
                         entry->source + ": labels are " + h.dtype + ", expected an integer dtype");
    if (h.shape.empty() || h.shape.size() > 2)
        return makeError(ErrorCode::Corrupt, entry->source + ": labels shaped " +
                                                 shapeText(h.shape) + ", expected (N,) or (N, 1)");
    if (std::size_t(h.shape[0]) != imageCount)
        return makeError(ErrorCode::Corrupt, entry->source + ": " + std::to_string(h.shape[0]) +
                                                 " labels for " + std::to_string(imageCount) +
                                                 " images");
    if (h.shape.size() == 2 && h.shape[1] != 1) {
        warnings.push_back(entry->source + ": multi-label (" + std::to_string(h.shape[1]) +
                           " labels per image); opened unlabelled");
        return std::vector<int>{};
    }
    // Read in chunks: the sizes in the zip directory are claims, so memory must follow the bytes
    // that really decompress (a 500-byte file claiming 2^40 labels is truncated, not bad_alloc).
    const std::size_t item = h.itemSize();
    const int unusedBits = int(64 - 8 * item);
    const std::size_t chunkLabels = std::min(imageCount, kLabelChunk);
    std::vector<std::uint8_t> bytes(chunkLabels * item);
    std::vector<int> labels;
    labels.reserve(chunkLabels);
    for (std::size_t first = 0; first < imageCount; first += chunkLabels) {
        const std::size_t count = std::min(chunkLabels, imageCount - first);
        auto got = readEntry(entry->stream.get(), bytes.data(), count * item, entry->source);
        if (!got)
            return got.error();
        if (*got < count * item)
            return makeError(ErrorCode::Corrupt, entry->source + ": truncated entry (expected " +
                                                     std::to_string(h.dataBytes()) +
                                                     " bytes of data, found " +
                                                     std::to_string(first * item + *got) + ")");
        for (std::size_t k = 0; k < count; ++k) {
            std::uint64_t raw = 0;
            std::memcpy(&raw, bytes.data() + k * item, item); // little-endian host: the low bytes
            const std::int64_t value = kind == 'u'
                                           ? std::int64_t(std::min<std::uint64_t>(raw, kMaxClasses))
                                           : std::int64_t(raw << unusedBits) >> unusedBits;
            const auto at = [&] { return " at index " + std::to_string(first + k); }; // on error
            if (value < 0)
                return makeError(ErrorCode::Corrupt, entry->source + ": negative label " +
                                                         std::to_string(value) + at());
            if (value >= kMaxClasses)
                return makeError(ErrorCode::Corrupt, entry->source + ": label " +
                                                         std::to_string(raw) + at() +
                                                         " is implausibly large");
            labels.push_back(int(value));
        }
    }
    // libzip checks the CRC only once the whole entry has been read.
    if (auto rest = readData(entry->stream.get(), bytes.data(), 0, entry->source, true); !rest)
        return rest.error();
    return labels;
}

Result<SplitContents> readSplit(zip_t* zip, const fs::path& path, const std::string& split) {
    auto images = openNpyEntry(zip, path, split + "_images.npy");
    if (!images)
        return images.error();
    const NpyHeader& h = images->header;
    if (h.dtype[1] != 'u' || h.itemSize() != 1)
        return makeError(ErrorCode::Unsupported,
                         images->source + ": images are " + h.dtype + ", expected uint8 (|u1)");
    const auto& d = h.shape;
    const bool shapeOk = (d.size() == 3 || (d.size() == 4 && (d[3] == 1 || d[3] == 3))) &&
                         d[1] > 0 && d[2] > 0 && d[1] <= 65536 && d[2] <= 65536;
    if (!shapeOk)
        return makeError(ErrorCode::Corrupt,
                         images->source + ": images shaped " + shapeText(d) +
                             ", expected (N, H, W), (N, H, W, 1) or (N, H, W, 3)");
    if (h.fortranOrder)
        return makeError(ErrorCode::Unsupported, images->source +
                                                     ": Fortran-ordered images are not "
                                                     "supported (expected C order)");
    // Read the shape before moving the entry (d refers into it).
    const std::size_t count = std::size_t(d[0]);
    const ImageShape shape{int(d[1]), int(d[2]), d.size() == 4 ? int(d[3]) : 1};
    SplitContents contents{split, std::move(*images), count, shape, {}, {}, {}};
    const std::string labelsName = split + "_labels.npy";
    if (!hasEntry(zip, labelsName)) {
        contents.warnings.push_back(path.string() + ": no " + labelsName + "; " + split +
                                    " opened unlabelled");
        return contents;
    }
    auto labels = readLabels(zip, path, labelsName, contents.count, contents.warnings);
    if (!labels)
        return labels.error();
    contents.labels = std::move(*labels);
    return contents;
}

// Every split's headers and labels; pixels stay in the archive.
struct ArchiveContents {
    ZipPtr zip;
    std::vector<SplitContents> splits;
    int classCount = 0;                // inferred from the labels of every split
    std::vector<std::string> warnings; // about the file as a whole
};

// A MedMNIST file declares no class count, so a stray label (250 among 0..9) would otherwise
// invent 241 empty classes. Its images are left out instead, with a warning naming the entry,
// the labels and how many images carry each: every class the split reports then holds images.
// Refusing the file would lose all its good images for a few bad labels.
void leaveOutStrayLabels(SplitContents& split, int classCount, const fs::path& path) {
    std::map<int, std::size_t> found;
    for (std::size_t i = 0; i < split.labels.size(); ++i)
        if (split.labels[i] >= classCount) {
            split.dropped.push_back(i);
            ++found[split.labels[i]];
        }
    if (found.empty())
        return;
    std::string values;
    for (const auto& [label, images] : found)
        values += (values.empty() ? "" : ", ") + std::to_string(label) + " (" +
                  std::to_string(images) + (images == 1 ? " image)" : " images)");
    const std::size_t count = split.dropped.size();
    split.warnings.push_back(path.string() + ":" + split.name + "_labels.npy: labels " + values +
                             " lie outside the classes 0 to " + std::to_string(classCount - 1) +
                             " that the file's other labels follow; " + std::to_string(count) +
                             (count == 1 ? " image" : " images") + " left out of the " +
                             split.name + " split");
}

// Rows among the first `count` of the file that the split keeps.
std::size_t keptWithin(const SplitContents& split, std::size_t count) {
    const auto dropped = std::lower_bound(split.dropped.begin(), split.dropped.end(), count);
    return count - std::size_t(dropped - split.dropped.begin());
}

void inferClasses(ArchiveContents& contents, const fs::path& path) {
    std::map<int, std::size_t> imagesPerLabel;
    for (const auto& split : contents.splits)
        for (int label : split.labels)
            ++imagesPerLabel[label];
    const LabelPattern pattern = inferLabelPattern(imagesPerLabel);
    contents.classCount = pattern.classCount;
    if (!pattern.outliers.empty()) {
        for (auto& split : contents.splits)
            leaveOutStrayLabels(split, pattern.classCount, path);
    } else if (pattern.classCount - pattern.usedLabels > pattern.usedLabels) {
        contents.warnings.push_back(path.string() + ": labels use only " +
                                    std::to_string(pattern.usedLabels) + " of the classes 0 to " +
                                    std::to_string(pattern.maxLabel) +
                                    "; the others have no image");
    }
}

Result<ArchiveContents> inspectArchive(const fs::path& path) {
    auto zip = openArchive(path);
    if (!zip)
        return zip.error();
    ArchiveContents contents{std::move(*zip), {}, 0, {}};
    for (const char* split : kSplits) {
        const std::string imagesName = std::string(split) + "_images.npy";
        const std::string labelsName = std::string(split) + "_labels.npy";
        if (!hasEntry(contents.zip.get(), imagesName)) {
            if (hasEntry(contents.zip.get(), labelsName))
                return makeError(ErrorCode::Corrupt, path.string() + ":" + imagesName +
                                                         ": entry missing (" + labelsName +
                                                         " is present)");
            continue;
        }
        auto splitContents = readSplit(contents.zip.get(), path, split);
        if (!splitContents)
            return splitContents.error();
        contents.splits.push_back(std::move(*splitContents));
    }
    if (contents.splits.empty())
        return makeError(ErrorCode::Corrupt,
                         path.string() + ": no train_images.npy, val_images.npy or test_images.npy "
                                         "entry (expected a MedMNIST .npz)");
    inferClasses(contents, path);
    return contents;
}

std::size_t limited(std::size_t count, const OpenOptions& options) {
    return options.limit > 0 ? std::min(count, options.limit) : count;
}

} // namespace

bool isNpzFile(const fs::path& path) {
    std::error_code ec;
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return extension == ".npz" && fs::is_regular_file(path, ec);
}

Result<DatasetInfo> describeMedMnist(const fs::path& path, const OpenOptions& options) {
    auto contents = inspectArchive(path);
    if (!contents)
        return contents.error();
    DatasetInfo info;
    info.format = "medmnist";
    info.path = path.string();
    info.shape = contents->splits.front().shape;
    info.warnings = contents->warnings;
    for (const auto& split : contents->splits) {
        info.splits.push_back({split.name, keptWithin(split, limited(split.count, options))});
        info.labelled = info.labelled || !split.labels.empty();
        if (split.name == options.split)
            info.shape = split.shape;
        info.warnings.insert(info.warnings.end(), split.warnings.begin(), split.warnings.end());
    }
    if (info.labelled)
        info.classNames = numberedClassNames(contents->classCount);
    return info;
}

Result<DatasetPtr> openMedMnist(const fs::path& path, const OpenOptions& options) {
    auto contents = inspectArchive(path);
    if (!contents)
        return contents.error();
    auto split = std::find_if(contents->splits.begin(), contents->splits.end(),
                              [&](const SplitContents& s) { return s.name == options.split; });
    if (split == contents->splits.end()) {
        std::vector<std::string> available;
        for (const auto& s : contents->splits)
            available.push_back(s.name);
        return missingSplitError(path, options.split, available);
    }
    const std::size_t count = limited(split->count, options);
    const std::size_t kept = keptWithin(*split, count);
    if (kept == 0 && count > 0)
        return makeError(ErrorCode::Corrupt, split->images.source + ": every image read has a "
                                                                    "label outside the file's "
                                                                    "classes (see the labels "
                                                                    "entry)");
    if (count * split->shape.pixels() > options.memoryBudgetBytes)
        return makeError(
            ErrorCode::Unsupported,
            split->images.source + ": " + std::to_string(count) + " images need " +
                humanBytes(count * split->shape.pixels()) + ", above the memory budget of " +
                humanBytes(options.memoryBudgetBytes) + "; open fewer images with a limit");

    InMemoryParts parts;
    parts.images = ImageBlock(count, split->shape);
    auto read = readData(split->images.stream.get(), parts.images.data(), parts.images.bytes(),
                         split->images.source, count == split->count);
    if (!read)
        return read.error();
    if (kept < count) {
        std::vector<bool> keep(count, true);
        for (std::size_t row : split->dropped)
            if (row < count)
                keep[row] = false;
        parts.images.keepOnly(keep);
    }
    if (!split->labels.empty()) {
        for (std::size_t i = 0; i < count; ++i)
            if (split->labels[i] < contents->classCount)
                parts.labels.push_back(split->labels[i]);
        parts.classNames = numberedClassNames(contents->classCount);
    }
    parts.split = split->name;
    parts.format = "medmnist";
    parts.warnings = contents->warnings;
    parts.warnings.insert(parts.warnings.end(), split->warnings.begin(), split->warnings.end());
    return DatasetPtr(std::make_shared<InMemoryDataset>(std::move(parts)));
}

const FormatReader& medmnistFormat() {
    static const FormatReader reader{"medmnist", isNpzFile, describeMedMnist, openMedMnist};
    return reader;
}

} // namespace gps::data
