#pragma once
/// Image folders (format id "image-folder"): one sub-folder per class (labelled, class names =
/// sorted folder names) or a flat folder of images (unlabelled), optionally inside split folders
/// train/ val/ test/ (else the one split is "train"). Layout rules: data/image_folder_scan.h.
///
/// Images are decoded lazily with OpenCV: alpha dropped, 16-bit scaled to 8-bit, BGR turned to
/// RGB, converted to the dataset's channel count (1 when the first image is grey, else 3), then
/// resized so the shorter side equals the working size and centre-cropped to a square. The
/// working size is OpenOptions.imageSize, or when 0 the first image's shorter side clamped to
/// [16, 256]. Decoded images are kept in an LRU cache of OpenOptions.cacheImages entries.
///
/// At open, files that are empty, cannot be opened or do not start like a JPEG/PNG/BMP/WebP are
/// left out (they are no rows) and listed: one warning, and unreadableFiles() with the reason.
/// A file that passes that cheap check but fails to decode later (truncated, damaged, or a
/// header declaring more than kMaxImagePixels) cannot be left out any more, since rows are
/// already numbered and embeddings, neighbours and training match them by index. So no
/// stand-in is made up: image() throws UnreadableImageError, tryImage() returns the error, and
/// the file is added to warnings() and unreadableFiles() (thread-safe; decoded once, the failure
/// is remembered). Consumers that read every image either fail naming the file (embedding) or
/// build a new dataset without it (materialisation); checkImages() (data/image_check.h)
/// finds them all up front.
/// Labels are indices into the union of class folder names over all splits.

#include "common/lru_cache.h"
#include "common/result.h"
#include "data/dataset.h"
#include "data/image_decode.h"

#include <filesystem>
#include <map>
#include <mutex>

namespace gps::data {

/// A folder holding images at depth <= 2 (itself or its sub-folders), directly or inside
/// train/ val/ test/ folders. Lists folders but opens no file.
bool isImageFolder(const std::filesystem::path& path);

/// One split of an image folder, decoded on demand. Every method is safe to call from several
/// threads at once; two threads asking for the same uncached image may both decode it.
class ImageFolderDataset final : public Dataset {
public:
    struct Parts {
        /// The folder that was opened; warnings name files relative to it.
        std::filesystem::path root;
        std::vector<std::filesystem::path> files;
        std::vector<int> labels; ///< empty when unlabelled
        std::vector<std::string> classNames;
        std::string split;
        ImageShape shape; ///< working size × working size × 1 or 3
        std::vector<std::string> warnings;
        std::vector<UnreadableFile> skipped; ///< files left out at open, with the reason
        std::size_t cacheImages = 0;
    };
    explicit ImageFolderDataset(Parts parts);

    std::size_t size() const override { return m_parts.files.size(); }
    /// Decoded image i (cached); throws UnreadableImageError when it cannot be decoded.
    cv::Mat image(std::size_t i) const override;
    /// Image i, or the error (Corrupt, or Io) naming the file, which is then recorded.
    Result<cv::Mat> tryImage(std::size_t i) const override;
    int label(std::size_t i) const override;
    bool labelled() const override { return !m_parts.labels.empty(); }
    const std::vector<std::string>& classNames() const override { return m_parts.classNames; }
    ImageShape shape() const override { return m_parts.shape; }
    const std::string& split() const override { return m_parts.split; }
    const std::string& format() const override;
    std::vector<std::string> warnings() const override;
    std::vector<UnreadableFile> unreadableFiles() const override;
    /// The file behind image i.
    const std::filesystem::path& file(std::size_t i) const;
    /// Images held in the cache now (at most OpenOptions.cacheImages).
    std::size_t cachedImages() const { return m_cache.size(); }

private:
    Parts m_parts;
    mutable LruCache<std::size_t, cv::Mat> m_cache;
    mutable std::mutex m_mutex;                        // guards the two members below
    mutable std::map<std::size_t, Error> m_failures;   // image -> the error tryImage returns
    mutable std::vector<UnreadableFile> m_undecodable; // in the order found
};

/// Splits, file counts (after OpenOptions.limit) and classes from listing the folders; decodes
/// only the first image (for the shape). No magic-byte check, so sizes may exceed what open keeps.
Result<DatasetInfo> describeImageFolder(const std::filesystem::path& path,
                                        const OpenOptions& options);

/// Opens options.split: lists and checks the files, decodes the first image. NotFound naming the
/// folder and the extensions when it holds no image.
Result<std::shared_ptr<const ImageFolderDataset>> openImageFolder(const std::filesystem::path& path,
                                                                  const OpenOptions& options);

} // namespace gps::data
