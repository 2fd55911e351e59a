#pragma once
/// A tiny dataset and project for tests of whole training runs: 64 training and 32 test images
/// of 28 × 28 grey in 4 classes (IDX files), small_cnn of width 8, batch 16, on the CPU. A run
/// of two epochs takes about a second.

#include <nlohmann/json.hpp>

#include <filesystem>

namespace gps::test {

/// train-* and t10k-* IDX files in `dir`.
void writeTinyIdxDataset(const std::filesystem::path& dir);

/// The project document (version 1) of a tiny run on `dataset`; callers change keys first.
nlohmann::json tinyProjectDocument(const std::filesystem::path& dataset, int epochs);

} // namespace gps::test
