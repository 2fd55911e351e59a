#include "data/stl10_reader.h"

#include "common/check.h"
#include "common/file_io.h"
#include "data/class_names.h"
#include "data/format_reader.h"
#include "data/in_memory_dataset.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <optional>

namespace gps::data {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kPlaneBytes = std::size_t(kStl10Side) * kStl10Side;
constexpr int kClasses = 10;
constexpr std::size_t kChunkImages = 256; // in-memory loads read this many images per pread
constexpr std::size_t kMaxReadWarnings = 20;

struct SplitFiles {
    std::string split;
    fs::path images;
    std::optional<fs::path> labels; // expected path; nullopt for the unlabelled split
};

bool isFile(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

std::vector<SplitFiles> findSplits(const fs::path& dir) {
    std::vector<SplitFiles> splits;
    for (const char* split : {"train", "test"})
        if (isFile(dir / (std::string(split) + "_X.bin")))
            splits.push_back({split, dir / (std::string(split) + "_X.bin"),
                              dir / (std::string(split) + "_y.bin")});
    if (isFile(dir / "unlabeled_X.bin"))
        splits.push_back({"unlabeled", dir / "unlabeled_X.bin", std::nullopt});
    return splits;
}

// A read-only POSIX descriptor. pread keeps no file offset, so one descriptor serves all threads.
class ReadOnlyFile {
public:
    explicit ReadOnlyFile(const fs::path& path)
        : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~ReadOnlyFile() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    ReadOnlyFile(const ReadOnlyFile&) = delete;
    ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

    bool isOpen() const { return m_fd >= 0; }
    /// Reads exactly `bytes` at `offset`; false on an error or an early end of file.
    bool readAt(std::uint64_t offset, std::uint8_t* out, std::size_t bytes) const {
        while (bytes > 0) {
            const ssize_t got = ::pread(m_fd, out, bytes, off_t(offset));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                return false;
            out += got;
            offset += std::uint64_t(got);
            bytes -= std::size_t(got);
        }
        return true;
    }

private:
    int m_fd;
};

// Plane-by-plane, column-major (MATLAB) -> interleaved row-major HWC.
void decodeImage(const std::uint8_t* stored, std::uint8_t* hwc) {
    for (int c = 0; c < 3; ++c)
        for (int x = 0; x < kStl10Side; ++x)
            for (int y = 0; y < kStl10Side; ++y)
                hwc[(std::size_t(y) * kStl10Side + x) * 3 + c] =
                    stored[c * kPlaneBytes + std::size_t(x) * kStl10Side + y];
}

Result<std::size_t> imageCount(const fs::path& file) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec)
        return makeError(ErrorCode::Io, file.string() + ": cannot read size: " + ec.message());
    if (size % kStl10ImageBytes != 0)
        return makeError(
            ErrorCode::Corrupt,
            file.string() + ": expected a multiple of 27648 bytes (96x96x3 per image), found " +
                std::to_string(size) + " = " + std::to_string(size / kStl10ImageBytes) +
                " images + " + std::to_string(size % kStl10ImageBytes) + " bytes (truncated?)");
    return std::size_t(size / kStl10ImageBytes);
}

Status checkLabelFile(const SplitFiles& split, std::size_t images) {
    if (!isFile(*split.labels))
        return makeError(ErrorCode::NotFound, split.labels->string() + ": label file missing (" +
                                                  split.images.filename().string() +
                                                  " has no labels beside it)");
    std::error_code ec;
    const std::uintmax_t labels = fs::file_size(*split.labels, ec);
    if (labels != images)
        return makeError(ErrorCode::Corrupt, split.labels->string() + ": holds " +
                                                 std::to_string(labels) + " labels but " +
                                                 split.images.string() + " holds " +
                                                 std::to_string(images) +
                                                 " images (expected one label byte per image)");
    return Ok{};
}

// 1-based labels on disk, 0-based in memory.
Result<std::vector<int>> loadLabels(const fs::path& file, int classes) {
    auto bytes = readFileBytes(file);
    if (!bytes)
        return bytes.error();
    std::vector<int> labels(bytes->size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int stored = (*bytes)[i];
        if (stored < 1 || stored > classes)
            return makeError(ErrorCode::Corrupt,
                             file.string() + ": label " + std::to_string(stored) + " of image " +
                                 std::to_string(i) + " is outside 1 to " + std::to_string(classes) +
                                 " (STL-10 labels are 1-based)");
        labels[i] = stored - 1;
    }
    return labels;
}

Result<std::vector<std::string>> resolveClassNames(const fs::path& dir) {
    const fs::path file = dir / "class_names.txt";
    return isFile(file) ? readClassNamesFile(file) : numberedClassNames(kClasses);
}

class LazyStl10Dataset final : public Dataset {
public:
    LazyStl10Dataset(std::unique_ptr<ReadOnlyFile> file, fs::path path, std::size_t count,
                     InMemoryParts meta)
        : m_file(std::move(file)), m_path(std::move(path)), m_count(count),
          m_meta(std::move(meta)) {}

    std::size_t size() const override { return m_count; }
    cv::Mat image(std::size_t i) const override {
        GPS_CHECK(i < m_count, "image " << i << " of " << m_count);
        std::vector<std::uint8_t> stored(kStl10ImageBytes);
        cv::Mat out(kStl10Side, kStl10Side, CV_8UC3);
        if (m_file->readAt(std::uint64_t(i) * kStl10ImageBytes, stored.data(), stored.size())) {
            decodeImage(stored.data(), out.data);
        } else {
            // The file changed since it was opened: serve black and say so rather than throw.
            out.setTo(0);
            std::lock_guard lock(m_mutex);
            if (m_warnings.size() < kMaxReadWarnings)
                m_warnings.push_back(m_path.string() + ": cannot read image " + std::to_string(i) +
                                     " (file shrunk or unreadable); served as black");
        }
        return out;
    }
    int label(std::size_t i) const override {
        GPS_CHECK(i < m_count, "label " << i << " of " << m_count);
        return m_meta.labels.empty() ? kNoLabel : m_meta.labels[i];
    }
    bool labelled() const override { return !m_meta.labels.empty(); }
    const std::vector<std::string>& classNames() const override { return m_meta.classNames; }
    ImageShape shape() const override { return {kStl10Side, kStl10Side, 3}; }
    const std::string& split() const override { return m_meta.split; }
    const std::string& format() const override { return m_meta.format; }
    std::vector<std::string> warnings() const override {
        std::lock_guard lock(m_mutex);
        return m_warnings;
    }

private:
    std::unique_ptr<ReadOnlyFile> m_file;
    fs::path m_path;
    std::size_t m_count;
    InMemoryParts m_meta; // labels, names, split, format; no pixels
    mutable std::mutex m_mutex;
    mutable std::vector<std::string> m_warnings;
};

Status readAllImages(const ReadOnlyFile& file, const fs::path& path, ImageBlock& block) {
    std::vector<std::uint8_t> chunk(std::min(block.count(), kChunkImages) * kStl10ImageBytes);
    for (std::size_t first = 0; first < block.count(); first += kChunkImages) {
        const std::size_t n = std::min(kChunkImages, block.count() - first);
        if (!file.readAt(std::uint64_t(first) * kStl10ImageBytes, chunk.data(),
                         n * kStl10ImageBytes))
            return makeError(ErrorCode::Io,
                             path.string() + ": read failed at image " + std::to_string(first));
        for (std::size_t k = 0; k < n; ++k)
            decodeImage(chunk.data() + k * kStl10ImageBytes, block.imageData(first + k));
    }
    return Ok{};
}

} // namespace

bool isStl10Dataset(const fs::path& folder) {
    return isFile(folder / "train_X.bin") || isFile(folder / "test_X.bin") ||
           isFile(folder / "unlabeled_X.bin");
}

Result<DatasetInfo> describeStl10(const fs::path& folder, const OpenOptions&) {
    DatasetInfo info;
    info.format = "stl10";
    info.path = folder.string();
    info.shape = ImageShape{kStl10Side, kStl10Side, 3};
    for (const auto& split : findSplits(folder)) {
        auto count = imageCount(split.images);
        if (!count)
            return count.error();
        if (split.labels) {
            if (auto labels = checkLabelFile(split, *count); !labels)
                return labels.error();
            info.labelled = true;
        }
        info.splits.push_back({split.split, *count});
    }
    if (info.labelled) {
        auto names = resolveClassNames(folder);
        if (!names)
            return names.error();
        info.classNames = std::move(*names);
    }
    return info;
}

Result<DatasetPtr> openStl10(const fs::path& folder, const OpenOptions& options) {
    const auto splits = findSplits(folder);
    const std::string wanted = options.split == "unlabelled" ? "unlabeled" : options.split;
    const auto found = std::find_if(splits.begin(), splits.end(),
                                    [&](const SplitFiles& s) { return s.split == wanted; });
    if (found == splits.end())
        return missingSplitError(folder, options.split, splitNames(splits));
    auto total = imageCount(found->images);
    if (!total)
        return total.error();
    const std::size_t count = options.limit > 0 ? std::min(options.limit, *total) : *total;

    InMemoryParts parts;
    parts.split = found->split;
    parts.format = "stl10";
    if (found->labels) {
        if (auto checked = checkLabelFile(*found, *total); !checked)
            return checked.error();
        auto names = resolveClassNames(folder);
        if (!names)
            return names.error();
        auto labels = loadLabels(*found->labels, int(names->size()));
        if (!labels)
            return labels.error();
        labels->resize(count);
        parts.labels = std::move(*labels);
        parts.classNames = std::move(*names);
    }

    auto file = std::make_unique<ReadOnlyFile>(found->images);
    if (!file->isOpen())
        return makeError(ErrorCode::Io, found->images.string() + ": cannot open for reading");
    if (count * kStl10ImageBytes > options.memoryBudgetBytes)
        return DatasetPtr(std::make_shared<LazyStl10Dataset>(std::move(file), found->images, count,
                                                             std::move(parts)));
    parts.images = ImageBlock(count, ImageShape{kStl10Side, kStl10Side, 3});
    if (auto read = readAllImages(*file, found->images, parts.images); !read)
        return read.error();
    return DatasetPtr(std::make_shared<InMemoryDataset>(std::move(parts)));
}

const FormatReader& stl10Format() {
    static const FormatReader reader{"stl10", isStl10Dataset, describeStl10, openStl10};
    return reader;
}

} // namespace gps::data
