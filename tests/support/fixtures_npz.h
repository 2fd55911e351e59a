#pragma once
/// Writers for MedMNIST-style .npz fixtures: a zip of .npy entries, compressed or stored.
/// Failures throw gps::CheckFailure (a fixture that cannot be written is a broken test).

#include "test_data.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gps::test {

/// Writes a zip at `file` holding each (entry name, bytes) pair, deflate-compressed when
/// `compressed`, else stored. Bytes are usually gps::encodeNpy output.
void writeNpz(const std::filesystem::path& file,
              const std::vector<std::pair<std::string, std::vector<std::uint8_t>>>& entries,
              bool compressed);

/// The .npy bytes MedMNIST stores for `images`: uint8 (N, H, W) when grey, else (N, H, W, C).
std::vector<std::uint8_t> medMnistImagesNpy(const TinyImages& images);
/// The .npy bytes MedMNIST stores for the labels of `images`: uint8 shaped (N, 1).
std::vector<std::uint8_t> medMnistLabelsNpy(const TinyImages& images);

/// Writes a MedMNIST .npz: <split>_images.npy and <split>_labels.npy for train, val and test.
/// A split with count 0 is left out; labels are left out when `classes` is 0.
void writeMedMnist(const std::filesystem::path& file, const TinyImages& train,
                   const TinyImages& val, const TinyImages& test, bool compressed);

} // namespace gps::test
