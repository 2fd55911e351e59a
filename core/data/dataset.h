#pragma once
/// The one interface every dataset reader returns, and the options and summary shared by them.
///
/// Images are uint8, height × width × channels (1 = grey, 3 = RGB in that order, not OpenCV's
/// BGR). Labels are 0-based class indices, or kNoLabel for unlabelled data.

#include "data/image_block.h"

#include <opencv2/core/mat.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace gps::data {

inline constexpr int kNoLabel = -1;

/// How to open a dataset path. Defaults suit every format.
struct OpenOptions {
    std::string split = "train";           ///< train, test, val, unlabeled (format dependent)
    std::string labelSet = "fine";         ///< CIFAR-100 only: fine (100) or coarse (20)
    int imageSize = 0;                     ///< image folders: working side in px; 0 = from first image
    std::size_t limit = 0;                 ///< keep only the first `limit` images (0 = all)
    std::size_t cacheImages = 4096;        ///< image folders: decoded images kept in memory
    std::size_t memoryBudgetBytes = std::size_t(2) << 30; ///< larger splits are read lazily
};

struct SplitInfo {
    std::string name;
    std::size_t size = 0;
};

/// What `dataset info` prints: cheap to compute (headers and file sizes, not pixels).
struct DatasetInfo {
    std::string format;                   ///< idx, cifar10, cifar100, stl10, medmnist, image-folder
    std::string path;                     ///< the resolved path that was read
    std::vector<SplitInfo> splits;
    std::vector<std::string> classNames;  ///< empty when unlabelled
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
    virtual cv::Mat image(std::size_t i) const = 0;
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
    /// The whole split as one contiguous block when it is held in memory, else nullptr.
    virtual const ImageBlock* block() const { return nullptr; }
};

using DatasetPtr = std::shared_ptr<const Dataset>;

} // namespace gps::data
