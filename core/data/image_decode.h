#pragma once
/// Decoding one image file the way image folders use it, without letting a file's header make
/// OpenCV allocate gigabytes: the size a JPEG, PNG, BMP or WebP header declares is read first
/// (a few dozen bytes, a few segments for JPEG) and a file above kMaxImagePixels is refused
/// before cv::imread sees it. OpenCV 4.6 has no public header-only reader, and its own guard
/// (OPENCV_IO_MAX_IMAGE_PIXELS, 2^30 pixels by default) is process-wide and still lets a
/// 30000 × 30000 colour image allocate 2.7 GB.
///
/// Stateless: safe to call from several threads at once.

#include "common/result.h"

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>

namespace gps::data {

/// Largest width × height decoded: 64 Mpx, above any camera's photos, about 200 MB as RGB.
inline constexpr std::int64_t kMaxImagePixels = std::int64_t(1) << 26;

/// Width and height a JPEG, PNG, BMP or WebP file declares, read from its header only.
/// Io when the file cannot be opened; Unsupported when the bytes are none of those formats or
/// the header holds no usable size (OpenCV then decides); Corrupt when the header ends early.
Result<cv::Size> readDeclaredSize(const std::filesystem::path& file);

/// Decodes `file` into `channels` (1 or 3) channels, RGB order, 8-bit, then resizes it so the
/// shorter side is `side` and centre-crops a side × side square (continuous Mat).
/// Alpha is dropped, 16-bit scaled to 8-bit. On failure the error's message is the reason alone,
/// without the file name, since callers name the file as they show it: "cannot open (Permission
/// denied)" (Io), "declares 100000 × 100000 pixels, above the limit of 67108864" or "cannot be
/// decoded (truncated or damaged)" (Corrupt).
Result<cv::Mat> decodeImageFile(const std::filesystem::path& file, int channels, int side);

/// The file as stored (cv::IMREAD_UNCHANGED) after the same size check, with the same errors.
Result<cv::Mat> readImageUnchanged(const std::filesystem::path& file);

} // namespace gps::data
