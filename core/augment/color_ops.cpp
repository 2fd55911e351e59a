#include "augment/op_kernels.h"

#include "common/check.h"

#include <algorithm>
#include <array>

namespace gps::augment::detail {
namespace {

using Table = std::array<std::uint8_t, 256>;

// Calls fn(row pointer, bytes in the row) for each row, or once for a continuous image.
template <class Fn> void forEachRow(cv::Mat& image, Fn fn) {
    const std::size_t rowBytes = std::size_t(image.cols) * image.channels();
    if (image.isContinuous()) {
        fn(image.ptr<std::uint8_t>(0), rowBytes * image.rows);
        return;
    }
    for (int row = 0; row < image.rows; ++row)
        fn(image.ptr<std::uint8_t>(row), rowBytes);
}

void applyTable(cv::Mat& image, const Table& table) {
    forEachRow(image, [&](std::uint8_t* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            p[i] = table[p[i]];
    });
}

// torchvision's _blend(img1, img2, ratio) = ratio · img1 + (1 − ratio) · img2, for a constant img2.
Table blendTable(double factor, double other) {
    Table table;
    for (int v = 0; v < 256; ++v)
        table[v] = toByte(factor * v + (1.0 - factor) * other);
    return table;
}

double meanLuma(cv::Mat& image) {
    std::uint64_t sum = 0;
    const bool rgb = image.channels() == 3;
    forEachRow(image, [&](std::uint8_t* p, std::size_t n) {
        if (rgb)
            for (std::size_t i = 0; i < n; i += 3)
                sum += std::uint64_t(luma(p[i], p[i + 1], p[i + 2]));
        else
            for (std::size_t i = 0; i < n; ++i)
                sum += p[i];
    });
    return double(sum) / double(image.total());
}

// Per-pixel RGB work runs on de-interleaved chunks so that the compiler vectorises it; every
// step is an element-wise integer or IEEE operation, so the bytes do not depend on the vector
// width.
constexpr int kChunk = 64;
template <class T> struct RgbChunk { T r[kChunk], g[kChunk], b[kChunk]; };

template <class T, class Kernel> void forEachRgbChunk(cv::Mat& image, Kernel kernel) {
    forEachRow(image, [&](std::uint8_t* row, std::size_t bytes) {
        RgbChunk<T> chunk;
        const std::size_t pixels = bytes / 3;
        for (std::size_t start = 0; start < pixels; start += kChunk) {
            const int count = int(std::min<std::size_t>(kChunk, pixels - start));
            std::uint8_t* p = row + start * 3;
            for (int i = 0; i < count; ++i) {
                chunk.r[i] = p[3 * i];
                chunk.g[i] = p[3 * i + 1];
                chunk.b[i] = p[3 * i + 2];
            }
            kernel(chunk, count);
            for (int i = 0; i < count; ++i) {
                p[3 * i] = toByte(chunk.r[i]);
                p[3 * i + 1] = toByte(chunk.g[i]);
                p[3 * i + 2] = toByte(chunk.b[i]);
            }
        }
    });
}

// torchvision's _rgb2hsv → hue rotation → _hsv2rgb, in integers. Rotating the hue keeps
// V = max and S, i.e. max and min; with R = max − min and the hue H measured in units of R per
// sixth of a turn (a full turn is 6R), each channel is max − clamp(min(K, 4R − K), 0, R) with
// K = (n·R + H) mod 6R and n = 5, 3, 1 for red, green, blue. The shift is rounded to whole units,
// which moves the result by at most one grey level, and grey pixels (R = 0) come out unchanged.
// No branches: integer selects, which the compiler vectorises. `shift6` is in sixths, [−3, 3].
void rotateHue(RgbChunk<int>& c, int count, float shift6) {
    for (int i = 0; i < count; ++i) {
        const int r = c.r[i], g = c.g[i], b = c.b[i];
        const int maxc = std::max(r, std::max(g, b));
        const int range = maxc - std::min(r, std::min(g, b));
        const int turn = 6 * range;
        int h = maxc == r ? g - b : (maxc == g ? 2 * range + b - r : 4 * range + r - g);
        // Rounds shift6 · range; the offset of 3 · range keeps the argument positive so that
        // truncation is flooring.
        h += int((shift6 + 3.0f) * float(range) + 0.5f) - 3 * range; // now in [−4R, 8R]
        h += h < 0 ? turn : 0;
        h -= h >= turn ? turn : 0;
        const auto channel = [&](int n) {
            int k = n * range + h;
            k -= k >= turn ? turn : 0;
            return maxc - std::clamp(std::min(k, 4 * range - k), 0, range);
        };
        c.r[i] = channel(5);
        c.g[i] = channel(3);
        c.b[i] = channel(1);
    }
}

// factor · v + (1 − factor) · luma, with luma rounded to an integer as in luma().
void blendWithLuma(RgbChunk<float>& c, int count, float factor) {
    for (int i = 0; i < count; ++i) {
        // The numerator is an exact integer below 2^24 and the quotient is never within float
        // error of an integer it does not equal, so truncating it floors exactly.
        const float weighted = 299.0f * c.r[i] + 587.0f * c.g[i] + 114.0f * c.b[i] + 500.0f;
        const float grey = float(int(weighted / 1000.0f)) * (1.0f - factor);
        c.r[i] = factor * c.r[i] + grey;
        c.g[i] = factor * c.g[i] + grey;
        c.b[i] = factor * c.b[i] + grey;
    }
}

} // namespace

void brightnessInPlace(cv::Mat& image, double factor) {
    checkImage(image);
    applyTable(image, blendTable(factor, 0.0));
}

void contrastInPlace(cv::Mat& image, double factor) {
    checkImage(image);
    applyTable(image, blendTable(factor, meanLuma(image)));
}

void saturationInPlace(cv::Mat& image, double factor) {
    checkImage(image);
    if (image.channels() == 1)
        return;
    const float f = static_cast<float>(factor);
    forEachRgbChunk<float>(image,
                           [f](RgbChunk<float>& c, int count) { blendWithLuma(c, count, f); });
}

void hueInPlace(cv::Mat& image, double shift) {
    checkImage(image);
    if (image.channels() == 1 || shift == 0.0)
        return;
    const float shift6 = static_cast<float>(shift * 6.0);
    forEachRgbChunk<int>(image,
                         [shift6](RgbChunk<int>& c, int count) { rotateHue(c, count, shift6); });
}

bool jitterActive(const JitterSpec& spec) {
    return spec.p > 0 &&
           (spec.brightness > 0 || spec.contrast > 0 || spec.saturation > 0 || spec.hue > 0);
}

void colorJitterInPlace(cv::Mat& image, const JitterSpec& spec, Rng& rng) {
    if (!jitterActive(spec) || !rng.bernoulli(spec.p))
        return;
    std::array<int, 4> order{0, 1, 2, 3};
    for (int i = 3; i > 0; --i)
        std::swap(order[i], order[rng.below(std::uint64_t(i) + 1)]);
    const auto factor = [&rng](double strength) {
        return strength > 0 ? rng.uniform(std::max(0.0, 1.0 - strength), 1.0 + strength) : 1.0;
    };
    const double brightness = factor(spec.brightness);
    const double contrast = factor(spec.contrast);
    const double saturation = factor(spec.saturation);
    const double hue = spec.hue > 0 ? rng.uniform(-spec.hue, spec.hue) : 0.0;
    for (int op : order) {
        if (op == 0 && spec.brightness > 0)
            brightnessInPlace(image, brightness);
        else if (op == 1 && spec.contrast > 0)
            contrastInPlace(image, contrast);
        else if (op == 2 && spec.saturation > 0)
            saturationInPlace(image, saturation);
        else if (op == 3 && spec.hue > 0)
            hueInPlace(image, hue);
    }
}

void grayscaleInPlace(cv::Mat& image) {
    checkImage(image);
    if (image.channels() == 1)
        return;
    forEachRow(image, [](std::uint8_t* p, std::size_t n) {
        for (std::size_t i = 0; i < n; i += 3)
            p[i] = p[i + 1] = p[i + 2] = static_cast<std::uint8_t>(luma(p[i], p[i + 1], p[i + 2]));
    });
}

void solarizeInPlace(cv::Mat& image, int threshold) {
    checkImage(image);
    Table table;
    for (int v = 0; v < 256; ++v)
        table[v] = static_cast<std::uint8_t>(v >= threshold ? 255 - v : v);
    applyTable(image, table);
}

} // namespace gps::augment::detail
