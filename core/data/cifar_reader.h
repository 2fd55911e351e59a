#pragma once
/// CIFAR-10 and CIFAR-100 readers for the "binary version" of both datasets.
///
/// Every image is a fixed-size record: label byte(s), then 3072 pixel bytes holding the red,
/// green and blue planes in turn, each 32 × 32 row-major. Images come out as 32 × 32 × 3 RGB
/// (HWC), labels 0-based.
///
///   CIFAR-10:  data_batch_1.bin .. data_batch_5.bin (train, concatenated in that order) and
///              test_batch.bin (test); record = 1 label byte + 3072; names in batches.meta.txt.
///   CIFAR-100: train.bin, test.bin; record = coarse label byte + fine label byte + 3072;
///              OpenOptions::labelSet picks "fine" (100 classes, fine_label_names.txt) or
///              "coarse" (20 classes, coarse_label_names.txt).
/// A missing names file gives numbered names ("0".."9", "0".."99" or "0".."19").
///
/// All functions are stateless and safe to call from several threads at once.

#include "common/result.h"
#include "data/dataset.h"

#include <filesystem>

namespace gps::data {

/// A folder holding data_batch_1.bin or test_batch.bin.
bool isCifar10Dataset(const std::filesystem::path& folder);

/// A folder with train.bin or test.bin whose size is a whole number of 3074-byte records, and no
/// data_batch_1.bin (that is CIFAR-10).
bool isCifar100Dataset(const std::filesystem::path& folder);

/// Splits and sizes from file sizes alone (no pixels read); Corrupt when a file's size is not a
/// whole number of records, NotFound when a batch in the middle of data_batch_1..5 is missing.
Result<DatasetInfo> describeCifar10(const std::filesystem::path& folder,
                                    const OpenOptions& options);
/// As describeCifar10; InvalidInput when options.labelSet is not "fine" or "coarse".
Result<DatasetInfo> describeCifar100(const std::filesystem::path& folder,
                                     const OpenOptions& options);

/// Loads options.split ("train" or "test"; the first options.limit images when limit > 0) into
/// an InMemoryDataset. Corrupt for a size that is not a whole number of records or a label
/// outside the classes; NotFound for a missing split. Every message names the file.
Result<DatasetPtr> openCifar10(const std::filesystem::path& folder, const OpenOptions& options);
/// As openCifar10, with the labels options.labelSet selects.
Result<DatasetPtr> openCifar100(const std::filesystem::path& folder, const OpenOptions& options);

} // namespace gps::data
