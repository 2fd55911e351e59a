#pragma once
/// NumPy .npy arrays: parse (format versions 1.0, 2.0 and 3.0), encode and write.
///
/// Only plain numeric dtypes are handled, little-endian or byte-order-free ('|'), such as "<f4",
/// "<f8", "<i8", "|u1", "|b1". Big-endian data and structured or object dtypes are Unsupported.
/// Arrays are returned in C (row-major) order; a Fortran-ordered 2-D array is transposed on
/// reading. What this module writes loads with numpy.load (version 1.0 header, 64-byte aligned).
///
/// All functions are pure or touch only the named file, so they are safe to call from several
/// threads at once.

#include "common/result.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace gps {

/// What the header of a .npy file says.
struct NpyHeader {
    std::string dtype; ///< numpy descr as written, e.g. "<f4", "|u1"
    bool fortranOrder = false;
    std::vector<std::int64_t> shape; ///< empty for a 0-d (scalar) array
    std::size_t dataOffset = 0;      ///< bytes from the start of the file to the first element
    int majorVersion = 1;

    /// Number of elements (product of shape; 1 for a 0-d array).
    std::size_t count() const;
    /// Bytes per element.
    std::size_t itemSize() const;
    /// count() × itemSize().
    std::size_t dataBytes() const;
};

/// A whole array, elements in C order.
struct NpyArray {
    std::string dtype;               ///< numpy descr, e.g. "<f4", "|u1", "<i8"
    std::vector<std::int64_t> shape; ///< empty for a 0-d array
    std::vector<std::uint8_t> bytes; ///< count() × item size bytes, little-endian, C order

    std::size_t count() const;
};

/// Bytes per element of a supported numpy descr ("<f4" -> 4), or 0 when it is not a plain
/// numeric dtype this module can read and write.
std::size_t npyItemSize(const std::string& dtype);

/// Bytes a stream must hold for parseNpyHeader to succeed, read from its first 12 bytes (fewer
/// for a version 1.0 file: 10). Lets a streaming reader fetch exactly the header.
/// Errors name `sourceName`: bad magic, unknown version, fewer than 10 bytes.
Result<std::size_t> npyHeaderBytes(std::span<const std::uint8_t> prefix,
                                   const std::string& sourceName);

/// Parses the header from the start of a .npy stream; `bytes` may stop anywhere after the header
/// (the first few KB of a file are enough). Checks the dtype is supported and the shape sane, but
/// not that the data is all there.
Result<NpyHeader> parseNpyHeader(std::span<const std::uint8_t> bytes,
                                 const std::string& sourceName);

/// Parses a whole .npy stream. Data shorter than the header promises is Corrupt ("expected N
/// bytes of data, found M"); bytes past the data are ignored, as numpy.load does.
Result<NpyArray> parseNpy(std::span<const std::uint8_t> bytes, const std::string& sourceName);

/// Reads and parses a .npy file; errors name the file.
Result<NpyArray> readNpy(const std::filesystem::path& path);

/// The .npy encoding of `size` bytes of C-ordered data. Preconditions (GPS_CHECK): `dtype` is
/// supported, no dimension is negative, size equals product(shape) × item size.
std::vector<std::uint8_t> encodeNpy(const std::string& dtype,
                                    const std::vector<std::int64_t>& shape, const void* data,
                                    std::size_t size);

/// Writes product(shape) elements of `dtype` from `data` to `path` atomically
/// (writeFileAtomic: a reader never sees a half-written file). Same preconditions as encodeNpy.
Status writeNpy(const std::filesystem::path& path, const std::string& dtype,
                const std::vector<std::int64_t>& shape, const void* data);

} // namespace gps
