#pragma once
/// STL-10 reader for the binary version of the dataset.
///
///   train:     train_X.bin + train_y.bin    (5000 images in the real dataset)
///   test:      test_X.bin  + test_y.bin     (8000)
///   unlabeled: unlabeled_X.bin              (100000, 2.7 GB; "unlabelled" is accepted too)
/// Each image is 96 × 96 × 3 = 27648 bytes stored plane by plane (R, G, B) and column-major
/// within a plane: pixel (y, x) of channel c is byte c·9216 + x·96 + y (the dataset was written
/// from MATLAB). Images come out as 96 × 96 × 3 RGB (HWC). Labels are bytes 1..10 in *_y.bin and
/// are served 0-based. Class names come from class_names.txt, else "0".."9".
///
/// A split whose decoded size (after OpenOptions::limit) exceeds OpenOptions::memoryBudgetBytes
/// is not loaded: the returned Dataset reads and converts image i on each image(i) call with
/// pread on one shared descriptor (no file offset is shared, so calls from several threads are
/// safe) and its block() is nullptr. Smaller splits are one InMemoryDataset.

#include "common/result.h"
#include "data/dataset.h"

#include <cstddef>
#include <filesystem>

namespace gps::data {

inline constexpr int kStl10Side = 96;
inline constexpr std::size_t kStl10ImageBytes = std::size_t(kStl10Side) * kStl10Side * 3;

/// A folder holding train_X.bin, test_X.bin or unlabeled_X.bin.
bool isStl10Dataset(const std::filesystem::path& folder);

/// Splits and sizes from file sizes alone; Corrupt when an *_X.bin is not a whole number of
/// images or an *_y.bin holds a different number of labels.
Result<DatasetInfo> describeStl10(const std::filesystem::path& folder, const OpenOptions& options);

/// Opens options.split (train, test, unlabeled/unlabelled), in memory or lazily as above.
/// Corrupt for a size that is not a whole number of images, a label count that differs from the
/// image count, or a label outside 1..10; NotFound for a missing split or label file. Every
/// message names the file.
Result<DatasetPtr> openStl10(const std::filesystem::path& folder, const OpenOptions& options);

} // namespace gps::data
