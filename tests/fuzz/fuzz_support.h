#pragma once
/// Shared by the fuzz harnesses (tests/fuzz/fuzz_*.cpp), which run under libFuzzer
/// (scripts/fuzz.sh) and as CTest corpus replays (replay_main.cpp).
///
/// Readers take paths, so a harness writes its input into a scratch folder first. One input
/// carries an options byte and up to a few files:
///
///     OPTIONS  FILE_0  kFileSeparator  FILE_1  kFileSeparator  FILE_2 ...
///
/// The options byte picks names, splits and OpenOptions; the files become the dataset's files.
/// A broken promise of a reader (an image whose size disagrees with shape(), a label outside the
/// class names) aborts the process, as a crash would: both are findings.
///
/// Not thread-safe: a harness handles one input at a time.

#include "data/dataset.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gps::fuzz {

using Bytes = std::span<const std::uint8_t>;

/// Separates the files of one input (see above). Printable, so seeds can be written by hand.
inline constexpr std::string_view kFileSeparator = "\n--file--\n";

/// One input taken apart.
struct FuzzInput {
    std::uint8_t options = 0; ///< the first byte, 0 for an empty input
    std::vector<Bytes> files; ///< at most the maxFiles asked for; the last keeps the rest

    /// File i, or no bytes when the input has fewer files.
    Bytes file(std::size_t i) const { return i < files.size() ? files[i] : Bytes(); }
    bool has(std::size_t i) const { return i < files.size(); }
    /// True when bit `bit` (0..7) of the options byte is set.
    bool flag(int bit) const { return (options >> bit) & 1; }
};

/// Splits `size` bytes at `data` as described above, into at most `maxFiles` files.
FuzzInput splitInput(const std::uint8_t* data, std::size_t size, std::size_t maxFiles);

/// An empty folder private to this process, under $TMPDIR (else /tmp). Each call empties it;
/// it is removed when the process exits normally.
const std::filesystem::path& freshScratchDir();

/// Writes `bytes` to `file`, creating its folder; aborts when it cannot (the harness is broken,
/// not the reader).
void writeFile(const std::filesystem::path& file, Bytes bytes);

/// `bytes` followed by copies of `fill` up to the next multiple of `unit` (at least one unit):
/// lets small inputs reach the code behind a reader's "whole number of records" check.
std::vector<std::uint8_t> padToMultiple(Bytes bytes, std::size_t unit, std::uint8_t fill);

/// Prints "fuzz check failed: WHAT" to stderr and aborts.
[[noreturn]] void fail(const std::string& what);

/// Reads the first `maxImages` images and labels of `dataset` and its block, as the studio
/// does, and fails when the promises of data/dataset.h are broken (image size and type equal
/// shape(), labels within classNames() or kNoLabel, block() matching size() and shape(), an
/// image that throws UnreadableImageError listed in unreadableFiles()).
void exerciseDataset(const data::Dataset& dataset, std::size_t maxImages);

/// Describes and opens `path` as the studio does, exercises what opened (exerciseDataset), and
/// fails when describe and open both succeeded but disagree on the split's size, or on the image
/// shape when there is one split. For formats whose describe promises the sizes open gives (not
/// image folders); the sizes are compared only without OpenOptions::limit.
void describeOpenAndExercise(const std::string& path, const data::OpenOptions& options,
                             std::size_t maxImages);

} // namespace gps::fuzz
