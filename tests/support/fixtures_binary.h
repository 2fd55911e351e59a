#pragma once
/// Writers of tiny datasets in the real binary formats (IDX, CIFAR-10, CIFAR-100, STL-10), and
/// byte-level helpers for making corrupt variants of them.
///
/// The byte layouts are spelled out here from the formats' documentation, independently of the
/// readers in core/data, so a reader and a writer cannot share a mistake unnoticed (the reader
/// tests also check a few raw bytes of what is written here).
///
/// Every function writes into `dir` (created when missing) and throws std::runtime_error naming
/// the file when it cannot write, or std::invalid_argument when the images do not fit the format.
/// A split given as TinyImages with count 0 is not written at all, so tests can make a dataset
/// that lacks a split.

#include "test_data.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gps::test {

/// PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte, gzipped with ".gz" appended when
/// `gzip`. `prefix` is "train" or "t10k"; images must be grey (channels == 1), labels 0..255.
void writeIdxSplit(const std::filesystem::path& dir, const std::string& prefix,
                   const TinyImages& images, bool gzip);

/// data_batch_1.bin .. data_batch_K.bin with K = min(5, train.count), train images spread over
/// them in order (as evenly as possible), and test_batch.bin. Images must be 32 × 32 × 3; each
/// record is the label byte then the R, G and B planes. No batches.meta.txt (see writeLines).
void writeCifar10(const std::filesystem::path& dir, const TinyImages& train,
                  const TinyImages& test);

/// train.bin and test.bin: each record is the coarse label byte (from coarseLabels /
/// coarseTestLabels, one per image), the fine label byte (images.labels), then the R, G and B
/// planes. Images must be 32 × 32 × 3.
void writeCifar100(const std::filesystem::path& dir, const TinyImages& train,
                   const TinyImages& test, const std::vector<int>& coarseLabels,
                   const std::vector<int>& coarseTestLabels);

/// train_X.bin/train_y.bin, test_X.bin/test_y.bin and, when `unlabeled` is not null,
/// unlabeled_X.bin. Images must be 96 × 96 × 3; pixel (y, x) of channel c goes to byte
/// c·9216 + x·96 + y of its image; labels are written 1-based (label + 1).
void writeStl10(const std::filesystem::path& dir, const TinyImages& train, const TinyImages& test,
                const TinyImages* unlabeled);

// Byte-level helpers for corrupt variants.

/// The whole file as written on disk (no decompression).
std::vector<std::uint8_t> readBytes(const std::filesystem::path& file);
/// Writes `bytes` to `file`, gzip-compressed when `gzip`.
void writeBytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes,
                bool gzip = false);
/// One line per entry, each ended by '\n' (class-name files).
void writeLines(const std::filesystem::path& file, const std::vector<std::string>& lines);
/// Drops the last `bytes` bytes of `file`.
void truncateBy(const std::filesystem::path& file, std::size_t bytes);
/// Overwrites one byte of `file` at `offset` (inside the file).
void setByte(const std::filesystem::path& file, std::size_t offset, std::uint8_t value);
/// Compresses `file` to `file` + ".gz" and removes `file`; returns the new path.
std::filesystem::path gzipFile(const std::filesystem::path& file);

} // namespace gps::test
