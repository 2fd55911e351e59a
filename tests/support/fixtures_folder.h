#pragma once
/// Writers for image-folder fixtures: real image files (via OpenCV) in class folders or flat,
/// plus files that are broken in the ways the reader must survive.
/// Failures throw gps::CheckFailure (a fixture that cannot be written is a broken test).

#include "test_data.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gps::test {

/// The file name writeImageFolder gives image i: "img_00012.png". Zero-padded, so sorted names
/// keep index order.
std::string tinyImageFileName(int index, const std::string& extension);

/// Writes each image of `images` as dir/<class>/img_NNNNN<extension> (class folder named
/// classNames[label]) or, when classNames is empty, flat as dir/img_NNNNN<extension>.
/// Pixels are RGB (grey when channels is 1); they are turned to BGR for cv::imwrite.
/// Creates the folders. A reader lists a labelled folder by class then name, so image order
/// there is: all of class 0 in index order, then class 1, ...
void writeImageFolder(const std::filesystem::path& dir, const TinyImages& images,
                      const std::vector<std::string>& classNames,
                      const std::string& extension = ".png");

/// Writes one image (RGB or grey, height × width × channels bytes) to `file` in the format its
/// extension names. 16-bit when `pixels16` is not empty (then `pixels` is ignored).
void writeImageFile(const std::filesystem::path& file, int height, int width, int channels,
                    const std::vector<std::uint8_t>& pixels,
                    const std::vector<std::uint16_t>& pixels16 = {});

/// Writes raw bytes to `file` (creating its folder).
void writeBytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes);
/// A zero-byte file: the reader's cheap check rejects it ("empty file").
void writeEmptyFile(const std::filesystem::path& file);
/// Text under an image name: the cheap check rejects it ("not an image").
void writeNotAnImage(const std::filesystem::path& file);
/// A PNG signature followed by garbage: passes the cheap check, fails to decode.
void writeUndecodableImage(const std::filesystem::path& file);
/// A real 32 × 32 RGB PNG cut off halfway through its pixel data: passes the cheap check, fails
/// to decode.
void writeTruncatedPng(const std::filesystem::path& file);
/// A PNG whose header declares width × height (RGB, 8-bit) over a few bytes of pixel data: what
/// a decoder must refuse before allocating.
void writePngDeclaring(const std::filesystem::path& file, std::uint32_t width,
                       std::uint32_t height);

} // namespace gps::test
