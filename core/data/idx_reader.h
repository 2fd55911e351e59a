#pragma once
/// IDX reader: the MNIST / Fashion-MNIST layout.
///
/// A folder holds, per split, an image file and a label file, raw or gzipped, with dashes or a
/// dot before "idx" (both spellings circulate):
///   train: train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz]   (or
///   train-images.idx3-ubyte) test:  t10k-images-idx3-ubyte[.gz]  + t10k-labels-idx1-ubyte[.gz]
/// Headers are big-endian: magic 0x00000803 then n, rows, cols for images (uint8, row-major);
/// magic 0x00000801 then n for labels (uint8). Images come out as grey, rows × cols × 1.
///
/// Class names: `classes.txt` in the folder (one per line); else Fashion-MNIST's ten names when
/// the folder's path contains "fashion" (any case); else "0".."max label".
///
/// All functions are stateless and safe to call from several threads at once.

#include "common/result.h"
#include "data/dataset.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gps::data {

/// True when `path` is a folder holding an IDX image file of either split, or is one such file
/// (then the dataset is its folder). Looks at names only.
bool isIdxDataset(const std::filesystem::path& path);

/// Splits with their sizes, the image shape and the class names, from the 16-byte image headers,
/// the label files (1 byte per image) and file sizes; pixels are never decompressed.
Result<DatasetInfo> describeIdx(const std::filesystem::path& path, const OpenOptions& options);

/// Loads options.split ("train" or "test"; the first options.limit images when limit > 0) into
/// an InMemoryDataset. Corrupt for a bad magic, a size that disagrees with the header, image and
/// label counts that differ, or a label outside the class names; NotFound for a missing split or
/// label file. Every message names the file.
Result<DatasetPtr> openIdx(const std::filesystem::path& path, const OpenOptions& options);

/// Fashion-MNIST's ten class names in label order (0 = "T-shirt/top" ... 9 = "Ankle boot").
const std::vector<std::string>& fashionMnistClassNames();

} // namespace gps::data
