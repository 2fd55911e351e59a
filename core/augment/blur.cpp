#include "augment/op_kernels.h"

#include "common/check.h"

#include <algorithm>

namespace gps::augment::detail {
namespace {

// Index i reflected into [0, n) without repeating the edge pixel (…2 1 | 0 1 2 … n−1 | n−2 …),
// folding as often as needed when the kernel is wider than the image.
int reflect101(int i, int n) {
    if (n == 1)
        return 0;
    const int period = 2 * (n - 1);
    i %= period;
    if (i < 0)
        i += period;
    return i < n ? i : period - i;
}

void gaussianKernel(double sigma, int radius, std::vector<float>& kernel) {
    const auto density = [sigma](int k) { return std::exp(-0.5 * (k / sigma) * (k / sigma)); };
    double sum = 0;
    for (int k = -radius; k <= radius; ++k)
        sum += density(k);
    const int taps = 2 * radius + 1;
    kernel.resize(std::size_t(taps));
    for (int k = -radius; k <= radius; ++k) {
        const int tap = k + radius;
        kernel[std::size_t(tap)] = static_cast<float>(density(k) / sum);
    }
}

} // namespace

void blurInto(const cv::Mat& src, double sigma, cv::Mat& dst, Scratch& scratch) {
    checkImage(src);
    GPS_CHECK(sigma > 0 && std::isfinite(sigma), "blur sigma " << sigma);
    GPS_CHECK(src.data != dst.data, "blurInto cannot work in place");
    const int radius = static_cast<int>(std::ceil(3.0 * sigma));
    gaussianKernel(sigma, radius, scratch.kernel);
    const float* kernel = scratch.kernel.data();
    const int taps = 2 * radius + 1;
    const int channels = src.channels(), width = src.cols, height = src.rows;
    const std::size_t rowLength = std::size_t(width) * channels;

    // Horizontal pass: copy each row with its reflected margins, then sum shifted copies one
    // tap at a time (a loop over a whole row, which the compiler vectorises).
    scratch.rows.resize(std::size_t(height) * rowLength);
    scratch.line.resize(std::size_t(width + 2 * radius) * channels);
    float* padded = scratch.line.data();
    for (int row = 0; row < height; ++row) {
        const std::uint8_t* in = src.ptr<std::uint8_t>(row);
        for (int x = -radius; x < width + radius; ++x) {
            const std::uint8_t* p = in + std::size_t(reflect101(x, width)) * channels;
            for (int c = 0; c < channels; ++c)
                padded[std::size_t(x + radius) * channels + c] = p[c];
        }
        float* out = scratch.rows.data() + std::size_t(row) * rowLength;
        for (std::size_t i = 0; i < rowLength; ++i)
            out[i] = kernel[0] * padded[i];
        for (int k = 1; k < taps; ++k) {
            const float w = kernel[k];
            const float* shifted = padded + std::size_t(k) * channels;
            for (std::size_t i = 0; i < rowLength; ++i)
                out[i] += w * shifted[i];
        }
    }

    // Vertical pass into dst, accumulating one output row in `line`.
    dst.create(height, width, src.type());
    scratch.line.resize(rowLength);
    float* acc = scratch.line.data();
    for (int row = 0; row < height; ++row) {
        const auto sourceRow = [&](int k) {
            return scratch.rows.data() +
                   std::size_t(reflect101(row + k - radius, height)) * rowLength;
        };
        const float* first = sourceRow(0);
        for (std::size_t i = 0; i < rowLength; ++i)
            acc[i] = kernel[0] * first[i];
        for (int k = 1; k < taps; ++k) {
            const float w = kernel[k];
            const float* in = sourceRow(k);
            for (std::size_t i = 0; i < rowLength; ++i)
                acc[i] += w * in[i];
        }
        std::uint8_t* out = dst.ptr<std::uint8_t>(row);
        for (std::size_t i = 0; i < rowLength; ++i)
            out[i] = toByte(acc[i]);
    }
}

} // namespace gps::augment::detail
