#pragma once
/// The one interface every dataset reader returns, and the options and summary shared by them.
///
/// Images are uint8, height × width × channels (1 = grey, 3 = RGB in that order, not OpenCV's
/// BGR). Labels are 0-based class indices, or kNoLabel for unlabelled data.

#include "data/image_block.h"

#include <opencv2/core/mat.hpp>

#include "common/result.h"

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gps::data {

inline constexpr int kNoLabel = -1;
/// UnreadableFile::row of a file left out when the split was opened (it is no image of it).
inline constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);

/// A file a split cannot use, and why.
struct UnreadableFile {
    std::string file;         ///< as warnings name it (image folders: relative to the folder)
    std::string reason;       ///< "empty file", "cannot be decoded (truncated or damaged)", ...
    std::size_t row = kNoRow; ///< the image index it stands for, or kNoRow when skipped at open
    bool operator==(const UnreadableFile&) const = default;
};

/// What image() throws for an image that cannot be decoded. Only datasets that decode lazily
/// (image folders) throw it, and only for a file that looked like an image when the split was
/// opened. Callers that must go on past a bad file use tryImage() instead.
class UnreadableImageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// How to open a dataset path. Defaults suit every format.
struct OpenOptions {
    std::string split = "train";    ///< train, test, val, unlabeled (format dependent)
    std::string labelSet = "fine";  ///< CIFAR-100 only: fine (100) or coarse (20)
    int imageSize = 0;              ///< image folders: working side in px; 0 = from first image
    std::size_t limit = 0;          ///< keep only the first `limit` images (0 = all)
    std::size_t cacheImages = 4096; ///< image folders: decoded images kept in memory
    std::size_t memoryBudgetBytes = std::size_t(2) << 30; ///< larger splits are read lazily
};

struct SplitInfo {
    std::string name;
    std::size_t size = 0;
};

/// What `dataset info` prints: cheap to compute (headers and file sizes, not pixels).
struct DatasetInfo {
    std::string format; ///< idx, cifar10, cifar100, stl10, medmnist, image-folder
    std::string path;   ///< the resolved path that was read
    std::vector<SplitInfo> splits;
    std::vector<std::string> classNames; ///< empty when unlabelled
    ImageShape shape;
    bool labelled = false;
    std::vector<std::string> warnings;
};

/// One split of a dataset. Implementations are immutable after opening except for caches, and
/// every method is safe to call from several threads at once.
class Dataset {
public:
    virtual ~Dataset() = default;

    virtual std::size_t size() const = 0;
    /// Image i (i < size()). The Mat may share memory with the dataset: clone before writing.
    /// Throws UnreadableImageError when image i cannot be decoded: a made-up image is never
    /// served, since rows are matched with embeddings and neighbours by index.
    virtual cv::Mat image(std::size_t i) const = 0;
    /// Image i, or an error (Corrupt, or Io when the file cannot be read) whose message names
    /// the file and says why. The default asks image() and turns UnreadableImageError into
    /// Corrupt.
    virtual Result<cv::Mat> tryImage(std::size_t i) const;
    /// Class of image i, or kNoLabel.
    virtual int label(std::size_t i) const = 0;
    virtual bool labelled() const = 0;
    virtual const std::vector<std::string>& classNames() const = 0;
    /// Shape every image() has (folders resize to their working size).
    virtual ImageShape shape() const = 0;
    virtual const std::string& split() const = 0;
    virtual const std::string& format() const = 0;
    /// Data-quality problems found so far (skipped files, undecodable images).
    virtual std::vector<std::string> warnings() const = 0;
    /// Files found unusable so far: those skipped when the split was opened (row kNoRow), then
    /// images whose decoding failed, in the order found. Decoding is lazy, so the list grows as
    /// images are read; warnings() reports them too. Empty for datasets read into memory.
    virtual std::vector<UnreadableFile> unreadableFiles() const { return {}; }
    /// The whole split as one contiguous block when it is held in memory, else nullptr.
    virtual const ImageBlock* block() const { return nullptr; }
};

inline Result<cv::Mat> Dataset::tryImage(std::size_t i) const {
    try {
        return image(i);
    } catch (const UnreadableImageError& e) {
        return makeError(ErrorCode::Corrupt, e.what());
    }
}

using DatasetPtr = std::shared_ptr<const Dataset>;

} // namespace gps::data
