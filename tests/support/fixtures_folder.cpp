#include "fixtures_folder.h"

#include "common/check.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <zlib.h>

#include <cstdio>
#include <fstream>

namespace gps::test {
namespace fs = std::filesystem;

std::string tinyImageFileName(int index, const std::string& extension) {
    char name[32];
    std::snprintf(name, sizeof name, "img_%05d", index);
    return name + extension;
}

void writeImageFile(const fs::path& file, int height, int width, int channels,
                    const std::vector<std::uint8_t>& pixels,
                    const std::vector<std::uint16_t>& pixels16) {
    GPS_CHECK(channels == 1 || channels == 3 || channels == 4,
              "writeImageFile: channels " << channels);
    fs::create_directories(file.parent_path());
    cv::Mat image;
    if (pixels16.empty()) {
        GPS_CHECK(pixels.size() == std::size_t(height) * width * channels, "writeImageFile: size");
        image = cv::Mat(height, width, CV_8UC(channels), const_cast<std::uint8_t*>(pixels.data()));
    } else {
        GPS_CHECK(pixels16.size() == std::size_t(height) * width * channels,
                  "writeImageFile: size");
        image =
            cv::Mat(height, width, CV_16UC(channels), const_cast<std::uint16_t*>(pixels16.data()));
    }
    cv::Mat bgr = image;
    if (channels == 3)
        cv::cvtColor(image, bgr, cv::COLOR_RGB2BGR);
    else if (channels == 4)
        cv::cvtColor(image, bgr, cv::COLOR_RGBA2BGRA);
    std::vector<int> params;
    if (file.extension() == ".jpg" || file.extension() == ".jpeg")
        params = {cv::IMWRITE_JPEG_QUALITY, 100};
    if (file.extension() == ".webp")
        params = {cv::IMWRITE_WEBP_QUALITY, 101}; // above 100: lossless
    GPS_CHECK(cv::imwrite(file.string(), bgr, params),
              "writeImageFile: cannot write " << file.string());
}

void writeImageFolder(const fs::path& dir, const TinyImages& images,
                      const std::vector<std::string>& classNames, const std::string& extension) {
    const std::size_t imageBytes = std::size_t(images.height) * images.width * images.channels;
    for (int i = 0; i < images.count; ++i) {
        fs::path folder = dir;
        if (!classNames.empty()) {
            const int label = images.labels[std::size_t(i)];
            GPS_CHECK(label >= 0 && label < int(classNames.size()),
                      "writeImageFolder: label " << label);
            folder /= classNames[std::size_t(label)];
        }
        const auto begin = images.pixels.begin() + std::ptrdiff_t(i * imageBytes);
        writeImageFile(folder / tinyImageFileName(i, extension), images.height, images.width,
                       images.channels,
                       std::vector<std::uint8_t>(begin, begin + std::ptrdiff_t(imageBytes)));
    }
    fs::create_directories(dir);
}

void writeBytes(const fs::path& file, const std::vector<std::uint8_t>& bytes) {
    if (file.has_parent_path())
        fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    GPS_CHECK(out.good(), "writeBytes: cannot write " << file.string());
}

void writeEmptyFile(const fs::path& file) {
    writeBytes(file, {});
}

void writeNotAnImage(const fs::path& file) {
    const std::string text = "this is not an image\n";
    writeBytes(file, std::vector<std::uint8_t>(text.begin(), text.end()));
}

void writeUndecodableImage(const fs::path& file) {
    std::vector<std::uint8_t> bytes = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    for (int i = 0; i < 64; ++i)
        bytes.push_back(std::uint8_t(i * 37 + 11));
    writeBytes(file, bytes);
}

void writeTruncatedPng(const fs::path& file) {
    const TinyImages images = makeTinyImages(1, 32, 32, 3, 0, 17);
    writeImageFile(file, 32, 32, 3, images.pixels);
    fs::resize_file(file, fs::file_size(file) / 2);
}

void writePngDeclaring(const fs::path& file, std::uint32_t width, std::uint32_t height) {
    std::vector<std::uint8_t> bytes = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    auto bigEndian = [&bytes](std::uint32_t value) {
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.push_back(std::uint8_t(value >> shift));
    };
    auto chunk = [&](const char* type, const std::vector<std::uint8_t>& data) {
        bigEndian(std::uint32_t(data.size()));
        const std::size_t start = bytes.size();
        bytes.insert(bytes.end(), type, type + 4);
        bytes.insert(bytes.end(), data.begin(), data.end());
        bigEndian(std::uint32_t(crc32(0, bytes.data() + start, uInt(bytes.size() - start))));
    };
    std::vector<std::uint8_t> header;
    for (std::uint32_t value : {width, height})
        for (int shift = 24; shift >= 0; shift -= 8)
            header.push_back(std::uint8_t(value >> shift));
    header.insert(header.end(), {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
    chunk("IHDR", header);
    chunk("IDAT", {0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01});
    chunk("IEND", {});
    writeBytes(file, bytes);
}

} // namespace gps::test
