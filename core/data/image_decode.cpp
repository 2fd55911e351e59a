#include "data/image_decode.h"

#include "common/check.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <system_error>

namespace gps::data {
namespace fs = std::filesystem;

namespace {

constexpr int kMaxJpegSegments = 1024; // metadata segments skipped looking for the frame header
constexpr std::size_t kHeadBytes = 30; // enough for the PNG, BMP and WebP sizes

std::int64_t bigEndian(const std::uint8_t* p, int bytes) {
    std::int64_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | p[i];
    return value;
}

std::int64_t littleEndian(const std::uint8_t* p, int bytes) {
    std::int64_t value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | p[i];
    return value;
}

Error noSize() {
    return makeError(ErrorCode::Unsupported, "no size in the header");
}
Error endsEarly() {
    return makeError(ErrorCode::Corrupt, "header ends early");
}

// Segments "FF marker [length payload]" after FF D8, up to the first start-of-frame.
Result<cv::Size2l> jpegSize(std::istream& in) {
    in.clear();
    in.seekg(2);
    for (int segment = 0; segment < kMaxJpegSegments; ++segment) {
        int marker = in.get();
        if (marker != 0xFF)
            return marker == EOF ? endsEarly() : noSize();
        while (marker == 0xFF) // fill bytes
            marker = in.get();
        if (marker == EOF)
            return endsEarly();
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue; // markers without a length
        if (marker == 0xD9 || marker == 0xDA)
            return noSize(); // image data before any frame header
        std::array<std::uint8_t, 7> head{};
        if (!in.read(reinterpret_cast<char*>(head.data()), 2))
            return endsEarly();
        const std::int64_t length = bigEndian(head.data(), 2);
        const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                           marker != 0xCC; // DHT, JPG and DAC are not frames
        if (frame) {
            if (!in.read(reinterpret_cast<char*>(head.data() + 2), 5))
                return endsEarly();
            return cv::Size2l(bigEndian(head.data() + 5, 2), bigEndian(head.data() + 3, 2));
        }
        if (length < 2)
            return noSize();
        in.seekg(length - 2, std::ios::cur);
    }
    return noSize();
}

Result<cv::Size2l> webpSize(const std::uint8_t* h) {
    const std::string chunk(reinterpret_cast<const char*>(h + 12), 4);
    if (chunk == "VP8 " && h[23] == 0x9D && h[24] == 0x01 && h[25] == 0x2A)
        return cv::Size2l(littleEndian(h + 26, 2) & 0x3FFF, littleEndian(h + 28, 2) & 0x3FFF);
    if (chunk == "VP8L" && h[20] == 0x2F) {
        const std::int64_t bits = littleEndian(h + 21, 4);
        return cv::Size2l((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    if (chunk == "VP8X")
        return cv::Size2l(littleEndian(h + 24, 3) + 1, littleEndian(h + 27, 3) + 1);
    return noSize();
}

// Refuses a file whose header declares too many pixels; anything the header reader cannot
// judge is left to OpenCV.
Status checkDeclaredSize(const fs::path& file) {
    auto size = readDeclaredSize(file);
    if (!size)
        return size.error().code == ErrorCode::Io ? Status(size.error()) : Status(Ok{});
    if (std::int64_t(size->width) * size->height > kMaxImagePixels)
        return makeError(ErrorCode::Corrupt, "declares " + std::to_string(size->width) + " × " +
                                                 std::to_string(size->height) +
                                                 " pixels, above the limit of " +
                                                 std::to_string(kMaxImagePixels));
    return Ok{};
}

Result<cv::Mat> checkedRead(const fs::path& file, int flags) {
    if (auto allowed = checkDeclaredSize(file); !allowed)
        return allowed.error();
    cv::Mat image;
    try {
        image = cv::imread(file.string(), flags);
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::Corrupt, "cannot be decoded (" + e.err + ")");
    }
    if (image.empty())
        return makeError(ErrorCode::Corrupt,
                         "cannot be decoded (damaged, truncated or an unsupported variant)");
    return image;
}

cv::Mat toEightBit(const cv::Mat& image) {
    if (image.depth() == CV_8U)
        return image;
    cv::Mat out;
    const double scale = image.depth() == CV_16U   ? 1.0 / 257.0
                         : image.depth() == CV_32F ? 255.0
                                                   : 1.0;
    image.convertTo(out, CV_8U, scale);
    return out;
}

// Shorter side to `side`, then the centred side × side square.
cv::Mat resizeAndCrop(const cv::Mat& image, int side) {
    if (image.rows == side && image.cols == side)
        return image;
    cv::Mat resized = image;
    if (std::min(image.rows, image.cols) != side) {
        const double scale = double(side) / std::min(image.rows, image.cols);
        const cv::Size size(std::max(side, int(std::lround(image.cols * scale))),
                            std::max(side, int(std::lround(image.rows * scale))));
        // Area averaging avoids aliasing when shrinking; linear is smoother when enlarging.
        cv::resize(image, resized, size, 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    const cv::Rect centre((resized.cols - side) / 2, (resized.rows - side) / 2, side, side);
    return resized(centre).clone(); // clone: callers expect a continuous Mat
}

} // namespace

Result<cv::Size> readDeclaredSize(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Io,
                         "cannot open (" +
                             std::error_code(errno, std::generic_category()).message() + ")");
    std::array<std::uint8_t, kHeadBytes> h{};
    in.read(reinterpret_cast<char*>(h.data()), h.size());
    const auto got = static_cast<std::size_t>(in.gcount());
    auto startsWith = [&](std::string_view magic, std::size_t at = 0) {
        return got >= at + magic.size() &&
               std::equal(magic.begin(), magic.end(), h.begin() + at,
                          [](char a, std::uint8_t b) { return std::uint8_t(a) == b; });
    };
    Result<cv::Size2l> size = noSize();
    if (startsWith("\xFF\xD8\xFF")) {
        size = jpegSize(in);
    } else if (startsWith("\x89PNG\r\n\x1A\n")) {
        if (got < 24)
            size = endsEarly();
        else if (startsWith("IHDR", 12))
            size = cv::Size2l(bigEndian(&h[16], 4), bigEndian(&h[20], 4));
    } else if (startsWith("BM")) {
        const bool core = got >= 18 && littleEndian(&h[14], 4) == 12; // OS/2 1.x: 16-bit sizes
        auto signed32 = [&h](int at) {
            return std::int64_t(std::int32_t(std::uint32_t(littleEndian(&h[at], 4))));
        };
        if (got < 26)
            size = endsEarly();
        else if (core)
            size = cv::Size2l(littleEndian(&h[18], 2), littleEndian(&h[20], 2));
        else // a negative height means rows stored top-down
            size = cv::Size2l(signed32(18), std::abs(signed32(22)));
    } else if (startsWith("RIFF") && startsWith("WEBP", 8)) {
        size = got < kHeadBytes ? endsEarly() : webpSize(h.data());
    }
    if (!size)
        return size.error();
    if (size->width <= 0 || size->height <= 0)
        return noSize();
    // Clamped so that the product cannot overflow; anything this large is refused anyway.
    constexpr std::int64_t kLargest = std::int64_t(1) << 30;
    return cv::Size(int(std::min(size->width, kLargest)), int(std::min(size->height, kLargest)));
}

Result<cv::Mat> decodeImageFile(const fs::path& file, int channels, int side) {
    GPS_CHECK(channels == 1 || channels == 3, "decodeImageFile: channels " << channels);
    GPS_CHECK(side > 0, "decodeImageFile: side " << side);
    const int flags =
        (channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR) | cv::IMREAD_ANYDEPTH;
    auto image = checkedRead(file, flags);
    if (!image)
        return image;
    cv::Mat eight = toEightBit(*image);
    if (channels == 3)
        cv::cvtColor(eight, eight, cv::COLOR_BGR2RGB);
    return resizeAndCrop(eight, side);
}

Result<cv::Mat> readImageUnchanged(const fs::path& file) {
    return checkedRead(file, cv::IMREAD_UNCHANGED);
}

} // namespace gps::data
