#include "data/image_folder.h"

#include "common/check.h"
#include "data/format_reader.h"
#include "data/image_folder_scan.h"

#include <algorithm>

namespace gps::data {
namespace fs = std::filesystem;

namespace {

const std::string kFormatName = "image-folder";
constexpr int kMinAutoSide = 16, kMaxAutoSide = 256; // working size taken from the first image
constexpr std::size_t kListedProblems = 10;
constexpr std::size_t kProbeAttempts = 64; // undecodable files tried before giving up at open

// "skipped 2 unreadable files: a (why), b (why), and 3 more".
std::string listProblems(const std::string& what, const std::vector<std::string>& problems) {
    std::string text = what + ": ";
    for (std::size_t i = 0; i < problems.size() && i < kListedProblems; ++i)
        text += (i ? ", " : "") + problems[i];
    if (problems.size() > kListedProblems)
        text += ", and " + std::to_string(problems.size() - kListedProblems) + " more";
    return text;
}

struct FirstImage {
    int channels = 0;
    int shorterSide = 0;
};

// Channel count and natural size of the first decodable file, from the file as stored.
Result<FirstImage> probeFirstImage(const std::vector<fs::path>& files, const fs::path& root) {
    const std::size_t attempts = std::min(files.size(), kProbeAttempts);
    for (std::size_t i = 0; i < attempts; ++i) {
        // A file that fails here fails again, and is recorded, when the dataset reads it.
        if (auto image = readImageUnchanged(files[i]))
            return FirstImage{image->channels() <= 2 ? 1 : 3, std::min(image->rows, image->cols)};
    }
    return makeError(ErrorCode::Corrupt,
                     root.string() + ": none of the first " + std::to_string(attempts) +
                         " images can be decoded (first: " + relativeName(files.front(), root) +
                         ")");
}

std::size_t limited(std::size_t count, const OpenOptions& options) {
    return options.limit > 0 ? std::min(count, options.limit) : count;
}

Error noImagesError(const fs::path& dir) {
    return makeError(ErrorCode::NotFound, dir.string() + ": no images found (looked for " +
                                              kImageExtensionList +
                                              " files, in class folders or "
                                              "directly inside)");
}

Result<FolderLayout> scanFolder(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        return makeError(ErrorCode::NotFound, path.string() + ": not a folder");
    return scanImageFolder(path);
}

} // namespace

bool isImageFolder(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        return false;
    if (containsImages(path, 2))
        return true;
    return std::any_of(std::begin(kSplitFolderNames), std::end(kSplitFolderNames),
                       [&](const char* split) { return containsImages(path / split, 2); });
}

ImageFolderDataset::ImageFolderDataset(Parts parts)
    : m_parts(std::move(parts)), m_cache(m_parts.cacheImages) {
    GPS_CHECK(m_parts.labels.empty() || m_parts.labels.size() == m_parts.files.size(),
              m_parts.labels.size() << " labels for " << m_parts.files.size() << " files");
    GPS_CHECK(m_parts.shape.height > 0 && m_parts.shape.height == m_parts.shape.width &&
                  (m_parts.shape.channels == 1 || m_parts.shape.channels == 3),
              "image folder shape " << m_parts.shape.height << "x" << m_parts.shape.width << "x"
                                    << m_parts.shape.channels);
}

cv::Mat ImageFolderDataset::image(std::size_t i) const {
    auto decoded = tryImage(i);
    if (!decoded)
        throw UnreadableImageError(decoded.error().message);
    return std::move(*decoded);
}

Result<cv::Mat> ImageFolderDataset::tryImage(std::size_t i) const {
    GPS_CHECK(i < size(), "image " << i << " of " << size());
    if (auto cached = m_cache.get(i))
        return *cached;
    {
        std::lock_guard lock(m_mutex); // a file that failed once is not decoded again
        if (auto failed = m_failures.find(i); failed != m_failures.end())
            return failed->second;
    }
    const ImageShape s = m_parts.shape;
    auto decoded = decodeImageFile(m_parts.files[i], s.channels, s.height);
    if (decoded) {
        m_cache.put(i, *decoded);
        return decoded;
    }
    const std::string name = relativeName(m_parts.files[i], m_parts.root);
    const Error error{decoded.error().code, name + ": " + decoded.error().message};
    std::lock_guard lock(m_mutex);
    if (m_failures.emplace(i, error).second) // two threads may both have decoded it
        m_undecodable.push_back({name, decoded.error().message, i});
    return error;
}

int ImageFolderDataset::label(std::size_t i) const {
    GPS_CHECK(i < size(), "label " << i << " of " << size());
    return m_parts.labels.empty() ? kNoLabel : m_parts.labels[i];
}

const std::string& ImageFolderDataset::format() const {
    return kFormatName;
}

std::vector<std::string> ImageFolderDataset::warnings() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> all = m_parts.warnings;
    for (const auto& failed : m_undecodable)
        all.push_back(failed.file + " (image " + std::to_string(failed.row) +
                      "): " + failed.reason);
    return all;
}

std::vector<UnreadableFile> ImageFolderDataset::unreadableFiles() const {
    std::lock_guard lock(m_mutex);
    std::vector<UnreadableFile> all = m_parts.skipped;
    all.insert(all.end(), m_undecodable.begin(), m_undecodable.end());
    return all;
}

const fs::path& ImageFolderDataset::file(std::size_t i) const {
    GPS_CHECK(i < size(), "file " << i << " of " << size());
    return m_parts.files[i];
}

Result<DatasetInfo> describeImageFolder(const fs::path& path, const OpenOptions& options) {
    auto layout = scanFolder(path);
    if (!layout)
        return layout.error();
    DatasetInfo info;
    info.format = kFormatName;
    info.path = path.string();
    info.classNames = layout->classNames;
    info.labelled = !layout->classNames.empty();
    const FolderSplit* shapeSource = nullptr;
    for (const auto& split : layout->splits) {
        info.splits.push_back({split.name, limited(split.files.size(), options)});
        info.warnings.insert(info.warnings.end(), split.warnings.begin(), split.warnings.end());
        if (!split.files.empty() && (!shapeSource || split.name == options.split))
            shapeSource = &split;
    }
    if (!shapeSource)
        return noImagesError(path);
    auto first = probeFirstImage(shapeSource->files, path);
    if (!first)
        return first.error();
    const int side = options.imageSize > 0
                         ? options.imageSize
                         : std::clamp(first->shorterSide, kMinAutoSide, kMaxAutoSide);
    info.shape = ImageShape{side, side, first->channels};
    return info;
}

Result<std::shared_ptr<const ImageFolderDataset>> openImageFolder(const fs::path& path,
                                                                  const OpenOptions& options) {
    if (options.imageSize < 0)
        return makeError(ErrorCode::InvalidInput, "image size " +
                                                      std::to_string(options.imageSize) +
                                                      " (expected > 0, or 0 for automatic)");
    auto layout = scanFolder(path);
    if (!layout)
        return layout.error();
    auto split = std::find_if(layout->splits.begin(), layout->splits.end(),
                              [&](const FolderSplit& s) { return s.name == options.split; });
    if (split == layout->splits.end()) {
        std::vector<std::string> available;
        for (const auto& s : layout->splits)
            available.push_back(s.name);
        return missingSplitError(path, options.split, available);
    }
    if (split->files.empty())
        return noImagesError(split->dir);

    ImageFolderDataset::Parts parts;
    parts.root = path;
    parts.split = split->name;
    parts.warnings = split->warnings;
    parts.cacheImages = options.cacheImages;
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < split->files.size(); ++i) {
        if (options.limit > 0 && parts.files.size() == options.limit)
            break;
        const std::string reason = checkImageFile(split->files[i]);
        if (!reason.empty()) {
            const std::string name = relativeName(split->files[i], path);
            problems.push_back(name + " (" + reason + ")");
            parts.skipped.push_back({name, reason, kNoRow});
            continue;
        }
        parts.files.push_back(split->files[i]);
        if (!split->labels.empty())
            parts.labels.push_back(split->labels[i]);
    }
    if (parts.files.empty())
        return makeError(ErrorCode::Corrupt,
                         listProblems(split->dir.string() + ": no readable image among " +
                                          std::to_string(problems.size()) + " files",
                                      problems));
    if (!problems.empty())
        parts.warnings.push_back(listProblems("skipped " + std::to_string(problems.size()) +
                                                  " unreadable file" +
                                                  (problems.size() > 1 ? "s" : ""),
                                              problems));
    if (!parts.labels.empty())
        parts.classNames = layout->classNames;

    auto first = probeFirstImage(parts.files, path);
    if (!first)
        return first.error();
    const int side = options.imageSize > 0
                         ? options.imageSize
                         : std::clamp(first->shorterSide, kMinAutoSide, kMaxAutoSide);
    parts.shape = ImageShape{side, side, first->channels};
    return std::make_shared<const ImageFolderDataset>(std::move(parts));
}

const FormatReader& imageFolderFormat() {
    static const FormatReader reader{
        "image-folder", isImageFolder, describeImageFolder,
        [](const fs::path& path, const OpenOptions& options) -> Result<DatasetPtr> {
            auto dataset = openImageFolder(path, options);
            if (!dataset)
                return dataset.error();
            return DatasetPtr(std::move(*dataset));
        }};
    return reader;
}

} // namespace gps::data
