#pragma once
/// MedMNIST .npz files (format id "medmnist"): a zip of NumPy arrays named
/// <split>_images.npy and <split>_labels.npy for the splits train, val and test, each entry
/// deflate-compressed or stored.
///
/// Images are uint8 shaped (N, H, W) (grey), (N, H, W, 1) or (N, H, W, 3) (RGB). Labels are any
/// integer dtype shaped (N,) or (N, 1); negative labels are Corrupt. The file does not say how
/// many classes it has, so they are inferred from the labels of every split (all splits agree):
/// classes "0" .. "K-1" as data/label_pattern.h describes. Images whose label lies beyond that
/// pattern (250 where the others are 0..9) are left out of their split, with a warning naming
/// the labels entry, the labels and how many images carry each; OpenOptions.limit counts the
/// file's rows before they are left out. Multi-label files (labels (N, C) with C > 1, e.g.
/// ChestMNIST) and splits without a labels entry open unlabelled, with a warning.
///
/// A split is read wholly into memory (an InMemoryDataset). One larger than
/// OpenOptions.memoryBudgetBytes is refused: open it with OpenOptions.limit.
///
/// Errors name the file and the entry ("blood.npz:train_labels.npy: ..."). Stateless: safe to
/// call from several threads at once.

#include "common/result.h"
#include "data/dataset.h"

#include <filesystem>

namespace gps::data {

/// A regular file whose name ends in ".npz" (any case). Looks at the name only.
bool isNpzFile(const std::filesystem::path& path);

/// Splits, sizes (after OpenOptions.limit), classes and image shape, from the .npy headers and
/// the labels entries; no pixel is read.
Result<DatasetInfo> describeMedMnist(const std::filesystem::path& path, const OpenOptions& options);

/// Reads options.split (the first options.limit images when limit > 0) into memory.
Result<DatasetPtr> openMedMnist(const std::filesystem::path& path, const OpenOptions& options);

} // namespace gps::data
